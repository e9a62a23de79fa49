"""The public side: the list (upcoming and past, filters), each event's page, the home
page, the API with allergens, the iCal feed, and the demo data."""

from __future__ import annotations

from datetime import timedelta

import icalendar
from flask import Flask
from sqlalchemy import func, select

from consult.demo.steps import load_demo_data
from consult.extensions import db
from consult.models import Event, EventKind, EventStatus, Role, Topic, utcnow
from consult.services.events import registration as reg_service
from tests.factories.events import adult, make_event_in_db
from tests.factories.users import new_user


def _three_events() -> tuple[Event, Event, Event]:
    owner = new_user("owner@example.nl", Role.ORGANISER)
    tasting = make_event_in_db(owner, tasting=True, title_en="Meat tasting",
                               online_link="https://meet.example/secret-room")
    topics = db.session.scalars(select(Topic).order_by(Topic.position)).all()
    start = utcnow() - timedelta(days=30)
    past = make_event_in_db(owner, title_en="Old webinar", kind=EventKind.WEBINAR,
                            starts_at=start, ends_at=start + timedelta(hours=1),
                            topic_id=topics[1].id)
    draft = make_event_in_db(owner, title_en="Secret draft", status=EventStatus.DRAFT)
    db.session.commit()
    return tasting, past, draft


def test_the_list_shows_upcoming_and_past_and_never_drafts(app: Flask) -> None:
    _three_events()
    page = app.test_client().get("/events/?lang=en").get_data(as_text=True)
    assert "Meat tasting" in page and "Old webinar" in page
    assert "Secret draft" not in page
    assert page.index("Upcoming events") < page.index("Meat tasting") < page.index(
        "Past events") < page.index("Old webinar")


def test_the_list_filters_by_kind_and_topic(app: Flask) -> None:
    tasting, past, _ = _three_events()
    client = app.test_client()
    page = client.get("/events/?kind=webinar&lang=en").get_data(as_text=True)
    assert "Old webinar" in page and "Meat tasting" not in page
    page = client.get(f"/events/?topic={tasting.topic_id}&lang=en").get_data(as_text=True)
    assert "Meat tasting" in page and "Old webinar" not in page
    forged = client.get("/events/?kind=rave&topic=abc&lang=en")
    assert forged.status_code == 200
    text = forged.get_data(as_text=True)
    assert "That filter is not known; all events are shown instead." in text
    assert "Meat tasting" in text


def test_an_event_page_shows_seats_left_and_allergens_but_not_the_online_link(
    app: Flask,
) -> None:
    tasting, _, draft = _three_events()
    reg_service.register(tasting, adult())
    db.session.commit()
    client = app.test_client()
    page = client.get(f"/events/{tasting.id}?lang=en").get_data(as_text=True)
    assert "9 of 10" in page
    assert "Cereals containing gluten" in page and "Eggs" in page
    assert "secret-room" not in page
    assert client.get(f"/events/{draft.id}").status_code == 404


def test_the_home_page_lists_upcoming_events(app: Flask) -> None:
    tasting, _, _ = _three_events()
    page = app.test_client().get("/?lang=en").get_data(as_text=True)
    assert "Meat tasting" in page and f"/events/{tasting.id}" in page
    assert "Old webinar" not in page and "Secret draft" not in page


def test_the_api_lists_kind_dates_seats_and_allergens(app: Flask) -> None:
    tasting, past, _ = _three_events()
    client = app.test_client()
    data = client.get("/api/v1/events").get_json()
    by_title = {e["title"]["en"]: e for e in data["events"]}
    assert set(by_title) == {"Meat tasting", "Old webinar"}
    meat = by_title["Meat tasting"]
    assert meat["kind"] == "tasting" and meat["seats_left"] == 10
    assert meat["allergens"] == ["gluten", "eggs"]
    assert meat["starts_at"] == tasting.starts_at.isoformat()
    assert "allergens" not in by_title["Old webinar"]
    assert "secret-room" not in client.get("/api/v1/events").get_data(as_text=True)
    only = client.get("/api/v1/events?kind=webinar").get_json()["events"]
    assert [e["title"]["en"] for e in only] == ["Old webinar"]
    bad = client.get("/api/v1/events?kind=rave")
    assert bad.status_code == 400 and bad.get_json()["error"] == "unknown kind"
    assert client.get("/api/v1/events/999999").status_code == 404
    document = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/events" in document["paths"]
    assert "Event" in document["components"]["schemas"]


def test_the_ical_feed_has_all_published_events_and_parses(app: Flask) -> None:
    _three_events()
    response = app.test_client().get("/events.ics?lang=en")
    assert response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.data)
    summaries = sorted(str(e["SUMMARY"]) for e in calendar.walk("VEVENT"))
    assert summaries == ["Meat tasting", "Old webinar"]
    assert b"secret-room" not in response.data
    single = app.test_client().get("/events/1/event.ics")
    assert icalendar.Calendar.from_ical(single.data).walk("VEVENT")


def test_demo_data_adds_a_tasting_and_a_workshop_once(app: Flask) -> None:
    def progress(_label: str, _total: int):  # type: ignore[no-untyped-def]
        return lambda _n=1: None

    load_demo_data(progress)
    db.session.commit()
    events = db.session.scalars(select(Event).order_by(Event.kind)).all()
    assert sorted(e.kind.value for e in events) == ["tasting", "tasting", "workshop"]
    tasting = next(e for e in events if e.is_tasting and e.status == EventStatus.PUBLISHED)
    held = next(e for e in events if e.is_tasting and e.status == EventStatus.COMPLETED)
    assert held.starts_at < utcnow() and held.approval is not None
    assert tasting.status == EventStatus.PUBLISHED
    assert tasting.approval is not None and tasting.approval.is_positive
    assert tasting.products and tasting.allergens
    assert tasting.eligibility_items and tasting.info_sheet is not None
    assert all(e.organisers for e in events)
    lines = load_demo_data(progress)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Event)) == 3
    assert any("exists" in line and "Proeverij" in line for line in lines)


def test_an_event_description_is_rendered_markdown_made_safe(app: Flask) -> None:
    owner = new_user("owner@example.nl", Role.ORGANISER)
    event = make_event_in_db(
        owner, description_nl="We proeven **samen**.\n\n- eerst uitleg\n- dan proeven\n\n"
                              "<script>alert(1)</script>[meer](javascript:alert(2))")
    db.session.commit()
    page = app.test_client().get(f"/events/{event.id}?lang=nl").get_data(as_text=True)
    assert "We proeven <strong>samen</strong>." in page
    assert "<li>eerst uitleg</li>" in page
    assert "**samen**" not in page  # no raw Markdown
    assert "<script>alert(1)" not in page and "javascript:" not in page
