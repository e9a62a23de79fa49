"""Organisers' pages: creating and editing events (every bad input gets a clear message
and keeps what was typed), publishing rules, registrations, CSV, attendance, cancelling."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.extensions import db
from consult.mail import read_outbox
from consult.models import (
    DietaryNote,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    Role,
    TastingApproval,
    Topic,
    User,
)
from consult.services.catalogue import ensure_catalogues
from consult.services.events import registration as reg_service
from consult.services.events.seats import counter_mismatches
from tests.factories.events import adult, make_event_in_db
from tests.factories.users import new_user
from tests.support.sessions import log_in


@pytest.fixture
def organiser_client(app: Flask) -> tuple[FlaskClient, User]:
    ensure_catalogues()
    user = new_user("org@example.nl", Role.ORGANISER)
    db.session.commit()
    client = app.test_client()
    log_in(client, user)
    return client, user


def _form(**overrides: Any) -> dict[str, Any]:
    topic = db.session.scalars(select(Topic).order_by(Topic.position)).first()
    data: dict[str, Any] = {
        "kind": "workshop", "topic_id": str(topic.id),  # type: ignore[union-attr]
        "title_nl": "Gesprek over gentherapie", "title_en": "Talk about gene therapy",
        "description_nl": "Uitleg", "description_en": "Explanation",
        "starts_at": "2030-05-14T19:30", "ends_at": "2030-05-14T21:30",
        "venue": "Bibliotheek Utrecht", "online_link": "", "capacity": "25",
        "registration_mode": "fcfs", "max_guests": "0", "min_age": "18",
        "reminder_hours": "24", "offer_hours": "48", "dietary_purge_days": "30",
    }
    data.update(overrides)
    return data


def _events() -> int:
    return int(db.session.scalar(select(func.count()).select_from(Event)) or 0)


def test_an_organiser_creates_an_event_in_amsterdam_time(organiser_client: Any) -> None:
    client, user = organiser_client
    response = client.post("/organise/events/new", data=_form())
    assert response.status_code == 302
    event = db.session.scalars(select(Event)).one()
    assert event.status == EventStatus.DRAFT
    assert event.starts_at.isoformat() == "2030-05-14T17:30:00+00:00"  # 19:30 CEST
    assert event.is_organiser(user)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title_nl": "x" * 201}, "Use at most 200 characters."),
        ({"title_en": ""}, "Enter the English title."),
        ({"ends_at": "2030-05-14T18:00"}, "The end must be after the start."),
        ({"ends_at": "2030-05-14T19:30"}, "The end must be after the start."),
        ({"capacity": "0"}, "Enter a number from 1 to 100,000."),
        ({"capacity": "-3"}, "Enter a number from 1 to 100,000."),
        ({"capacity": "lots"}, "Enter a whole number."),
        ({"starts_at": "tomorrow evening"}, "Enter a date and time like 2026-05-14 19:30."),
        ({"topic_id": "99999"}, "Choose a topic from the list."),
        ({"topic_id": "abc"}, "Choose a topic from the list."),
        ({"kind": "party"}, "Choose a kind from the list."),
        ({"registration_mode": "lottery"}, "Choose how participants are registered."),
        ({"venue": "", "online_link": ""}, "Enter a venue address, or an online link."),
        ({"online_link": "http://insecure.example"}, "The online link must start with https://."),
        ({"registration_closes_at": "2030-05-15T10:00"},
         "Registration must close before the event starts."),
        ({"allow_guests": "y", "max_guests": "0"},
         "Allow at least 1 guest, or do not allow guests."),
        ({"description_nl": "y" * 5001}, "Use at most 5000 characters."),
        ({"description_en": " "},
         "Write the English description too: the event page is also shown in English."),
        ({"description_nl": ""},
         "Write the Dutch description too: the event page is also shown in Dutch."),
    ],
)
def test_bad_input_gets_a_clear_message_and_keeps_what_was_typed(
    organiser_client: Any, overrides: dict[str, str], message: str
) -> None:
    client, _ = organiser_client
    response = client.post("/organise/events/new?lang=en", data=_form(**overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert "error-summary" in page
    assert "Talk about gene therapy" in page or overrides.get("title_en") == ""
    assert _events() == 0


def test_an_event_without_any_description_is_fine(organiser_client: Any) -> None:
    client, _ = organiser_client
    response = client.post("/organise/events/new", data=_form(description_nl="",
                                                               description_en=""))
    assert response.status_code == 302 and _events() == 1


def test_bad_input_in_dutch_is_in_dutch(organiser_client: Any) -> None:
    client, _ = organiser_client
    response = client.post("/organise/events/new?lang=nl", data=_form(capacity="0"))
    assert response.status_code == 400
    assert "Vul een getal in van 1 tot 100.000." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("lang", "message"),
    [("en", "This time does not exist in the Netherlands"),
     ("nl", "Deze tijd bestaat niet in Nederland")],
)
def test_a_time_in_the_spring_forward_gap_is_refused_at_its_field(
    organiser_client: Any, lang: str, message: str
) -> None:
    # 2030-03-31 02:30 does not exist in Amsterdam: the clocks go from 02:00 to 03:00.
    client, _ = organiser_client
    response = client.post(f"/organise/events/new?lang={lang}",
                           data=_form(starts_at="2030-03-31T02:30", ends_at="2030-03-31T05:00"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert "error-summary" in page
    assert 'value="2030-03-31T02:30"' in page
    assert _events() == 0


def test_capacity_below_the_seats_taken_is_refused(organiser_client: Any) -> None:
    client, user = organiser_client
    event = make_event_in_db(user, capacity=3)
    for n in range(3):
        reg_service.register(event, adult(f"p{n}@example.nl"))
    db.session.commit()
    response = client.post(f"/organise/events/{event.id}/edit?lang=en",
                           data=_form(capacity="2", kind="workshop"))
    assert response.status_code == 400
    assert "3 seats are taken already: the capacity cannot be lower." in response.get_data(
        as_text=True)
    assert db.session.get(Event, event.id).capacity == 3  # type: ignore[union-attr]


def test_only_the_events_own_organisers_manage_it(app: Flask) -> None:
    owner = new_user("owner@example.nl", Role.ORGANISER)
    other = new_user("other@example.nl", Role.ORGANISER)
    citizen = new_user("citizen@example.nl")
    event = make_event_in_db(owner)
    db.session.commit()
    for user, expected in ((other, 404), (citizen, 403)):
        client = app.test_client()
        log_in(client, user)
        assert client.get(f"/organise/events/{event.id}").status_code == expected
        assert client.get(f"/organise/events/{event.id}/registrations.csv").status_code == expected
        assert client.post(f"/organise/events/{event.id}/cancel").status_code == expected
    assert client.get("/organise/events/123456").status_code == 403
    db.session.refresh(event)
    assert event.status == EventStatus.PUBLISHED


def test_a_tasting_is_not_published_without_a_safe_verdict(organiser_client: Any) -> None:
    client, user = organiser_client
    event = make_event_in_db(user, tasting=True, status=EventStatus.DRAFT)
    db.session.delete(event.approval)
    db.session.commit()
    response = client.post(f"/organise/events/{event.id}/publish?lang=en", follow_redirects=True)
    assert "A tasting can only be published with an approval" in response.get_data(as_text=True)
    db.session.refresh(event)
    assert event.status == EventStatus.DRAFT

    response = client.post(f"/organise/events/{event.id}/tasting/approval?lang=en", data={
        "approval-committee": "Commissie", "approval-reference": "GP-1",
        "approval-verdict": "not_safe", "approval-decided_on": "2026-01-05",
        "approval-conditions": "",
    })
    assert response.status_code == 302
    client.post(f"/organise/events/{event.id}/publish")
    db.session.refresh(event)
    assert event.status == EventStatus.DRAFT  # a negative verdict does not do

    client.post(f"/organise/events/{event.id}/tasting/approval", data={
        "approval-committee": "Commissie", "approval-reference": "GP-1",
        "approval-verdict": "safe", "approval-decided_on": "2026-01-05",
    })
    client.post(f"/organise/events/{event.id}/publish")
    db.session.refresh(event)
    assert event.status == EventStatus.PUBLISHED
    approval = db.session.scalars(select(TastingApproval)).one()
    assert approval.committee == "Commissie"


def test_a_tasting_is_not_published_with_an_empty_approval_reference(
    organiser_client: Any,
) -> None:
    client, user = organiser_client
    event = make_event_in_db(user, tasting=True, status=EventStatus.DRAFT)
    db.session.commit()
    client.post(f"/organise/events/{event.id}/tasting/approval", data={
        "approval-committee": "Commissie", "approval-reference": "   ",
        "approval-verdict": "safe", "approval-decided_on": "2026-01-05",
    })
    response = client.post(f"/organise/events/{event.id}/publish?lang=nl", follow_redirects=True)
    assert "met het kenmerk van de goedkeuring" in response.get_data(as_text=True)
    db.session.refresh(event)
    assert event.status == EventStatus.DRAFT
    client.post(f"/organise/events/{event.id}/tasting/approval", data={
        "approval-committee": "Commissie", "approval-reference": "CoP-2026-11",
        "approval-verdict": "safe", "approval-decided_on": "2026-01-05",
    })
    client.post(f"/organise/events/{event.id}/publish")
    db.session.refresh(event)
    assert event.status == EventStatus.PUBLISHED


def test_approval_form_bad_input(organiser_client: Any) -> None:
    client, user = organiser_client
    event = make_event_in_db(user, tasting=True, status=EventStatus.DRAFT)
    db.session.commit()
    response = client.post(f"/organise/events/{event.id}/tasting/approval?lang=en", data={
        "approval-committee": "C" * 201, "approval-verdict": "maybe",
        "approval-decided_on": "yesterday",
    })
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Use at most 200 characters." in page
    assert "Choose the verdict." in page
    assert "Enter a date like 2026-05-14." in page


@pytest.mark.parametrize(("filled", "message", "kept"), [
    ({"approval-conditions": "Ten hoogste 30 gram"},
     "Write the conditions in English too: the tasting's page is also shown in English.",
     "Ten hoogste 30 gram"),
    ({"approval-conditions_en": "At most 30 grams"},
     "Write the conditions in Dutch too: the tasting's page is also shown in Dutch.",
     "At most 30 grams"),
])
def test_the_conditions_are_written_in_both_languages_or_neither(
    organiser_client: Any, filled: dict[str, str], message: str, kept: str,
) -> None:
    client, user = organiser_client
    event = make_event_in_db(user, tasting=True, status=EventStatus.DRAFT)
    db.session.commit()
    data = {"approval-committee": "Commissie", "approval-reference": "GP-1",
            "approval-verdict": "safe", "approval-decided_on": "2026-01-05", **filled}
    response = client.post(f"/organise/events/{event.id}/tasting/approval?lang=en", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page and kept in page


def test_each_language_reads_the_conditions_in_its_own(organiser_client: Any) -> None:
    client, user = organiser_client
    event = make_event_in_db(user, tasting=True, status=EventStatus.DRAFT)
    db.session.commit()
    response = client.post(f"/organise/events/{event.id}/tasting/approval", data={
        "approval-committee": "Commissie Proeverijen", "approval-reference": "GP-1",
        "approval-verdict": "safe", "approval-decided_on": "2026-01-05",
        "approval-conditions": "Ten hoogste 30 gram", "approval-conditions_en": "At most 30 grams",
    })
    assert response.status_code == 302
    english = client.get(f"/events/{event.id}?lang=en").get_data(as_text=True)
    assert "Conditions: <span>At most 30 grams</span>" in english
    assert '<span lang="nl">Commissie Proeverijen</span>' in english
    assert "Ten hoogste" not in english
    dutch = client.get(f"/events/{event.id}?lang=nl").get_data(as_text=True)
    assert "Ten hoogste 30 gram" in dutch and "At most" not in dutch
    assert 'lang="nl">Commissie' not in dutch


def test_products_carry_allergens_and_forged_codes_are_refused(organiser_client: Any) -> None:
    client, user = organiser_client
    event = make_event_in_db(user, tasting=True, status=EventStatus.DRAFT)
    db.session.commit()
    response = client.post(f"/organise/events/{event.id}/tasting/products?lang=en", data={
        "product-name_nl": "Kweekvis", "product-name_en": "Cultivated fish",
        "product-allergens": ["fish", "plutonium"],
    })
    assert response.status_code == 400
    assert "Choose allergens from the list." in response.get_data(as_text=True)
    client.post(f"/organise/events/{event.id}/tasting/products", data={
        "product-name_nl": "Kweekvis", "product-name_en": "Cultivated fish",
        "product-allergens": ["molluscs", "fish"],
    })
    db.session.refresh(event)
    assert event.products[-1].allergens == ["fish", "molluscs"]
    assert event.allergens == ["gluten", "eggs", "fish", "molluscs"]


def test_the_information_sheet_is_versioned(organiser_client: Any) -> None:
    client, user = organiser_client
    event = make_event_in_db(user, tasting=True, status=EventStatus.DRAFT)
    db.session.commit()
    url = f"/organise/events/{event.id}/tasting/info-sheet"
    client.post(url, data={"sheet-body_nl": "Een", "sheet-body_en": "One"})
    client.post(url, data={"sheet-body_nl": "Een", "sheet-body_en": "One"})  # unchanged
    client.post(url, data={"sheet-body_nl": "Twee", "sheet-body_en": "Two"})
    db.session.refresh(event)
    assert [s.version for s in event.info_sheets] == [1, 2]
    assert event.info_sheet.body_en == "Two"  # type: ignore[union-attr]


def test_registrations_csv_attendance_and_forged_registration_ids(organiser_client: Any) -> None:
    client, user = organiser_client
    event = make_event_in_db(user, capacity=1)
    reg_service.register(event, adult("a@example.nl", name="=HYPERLINK(1)"))
    waiting, _ = reg_service.register(event, adult("b@example.nl", name="Bea"))
    db.session.commit()
    page = client.get(f"/organise/events/{event.id}/registrations?lang=en").get_data(as_text=True)
    assert "Bea" in page and "On the waiting list" in page
    rows = list(csv.reader(io.StringIO(
        client.get(f"/organise/events/{event.id}/registrations.csv?lang=en")
        .get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Name", "Email address", "Status"]
    assert rows[1][0] == "'=HYPERLINK(1)"  # no formula injection
    attendance = client.get(f"/organise/events/{event.id}/attendance").get_data(as_text=True)
    assert "a@example.nl" in attendance and "b@example.nl" not in attendance
    assert client.post(
        f"/organise/events/{event.id}/registrations/999999/promote").status_code == 404
    assert client.post(
        f"/organise/events/{event.id}/registrations/{waiting.id}/explode").status_code == 404
    other_event = make_event_in_db(user)
    db.session.commit()
    assert client.post(
        f"/organise/events/{other_event.id}/registrations/{waiting.id}/promote"
    ).status_code == 404


def test_cancelling_the_event_mails_everyone_and_frees_all_seats(
    organiser_client: Any, app: Flask
) -> None:
    client, user = organiser_client
    event = make_event_in_db(user, capacity=2)
    for n in range(3):
        reg_service.register(event, adult(f"p{n}@example.nl", dietary_note="Vegan",
                                          dietary_consent=True))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(DietaryNote)) == 3
    before = len(read_outbox(app.config["MAIL_OUTBOX"]))
    response = client.post(f"/organise/events/{event.id}/cancel", data={"confirm": "yes"})
    assert response.status_code == 302
    mails = read_outbox(app.config["MAIL_OUTBOX"])[before:]
    assert sorted(m["To"] for m in mails) == ["p0@example.nl", "p1@example.nl", "p2@example.nl"]
    db.session.refresh(event)
    assert event.status == EventStatus.CANCELLED and event.seats_taken == 0
    statuses = set(db.session.scalars(select(Registration.status)))
    assert statuses == {RegistrationStatus.CANCELLED}
    assert db.session.scalar(select(func.count()).select_from(DietaryNote)) == 0
    assert counter_mismatches() == []


def test_the_edit_form_shows_the_stored_values_in_amsterdam_time(organiser_client: Any) -> None:
    from datetime import UTC, datetime

    client, user = organiser_client
    event = make_event_in_db(user, starts_at=datetime(2030, 1, 10, 18, 0, tzinfo=UTC),
                             ends_at=datetime(2030, 1, 10, 20, 0, tzinfo=UTC))
    db.session.commit()
    page = client.get(f"/organise/events/{event.id}/edit").get_data(as_text=True)
    assert 'value="2030-01-10T19:00"' in page  # CET in winter
    assert 'value="Cultivated meat workshop"' in page
    response = client.post(f"/organise/events/{event.id}/edit", data=_form(
        title_en="Renamed", starts_at="2030-01-10T19:00", ends_at="2030-01-10T21:00"))
    assert response.status_code == 302
    db.session.refresh(event)
    assert event.title_en == "Renamed"
    assert event.starts_at == datetime(2030, 1, 10, 18, 0, tzinfo=UTC)


def test_adding_an_organiser_checks_the_address(organiser_client: Any) -> None:
    client, user = organiser_client
    event = make_event_in_db(user)
    colleague = new_user("colleague@example.nl", Role.ORGANISER)
    new_user("citizen@example.nl")
    db.session.commit()
    url = f"/organise/events/{event.id}/organisers?lang=en"
    bad = client.post(url, data={"email": "colleague-at-example"})
    assert bad.status_code == 400
    page = bad.get_data(as_text=True)
    assert "Enter an email address like name@example.nl." in page
    assert 'value="colleague-at-example"' in page
    citizen = client.post(url, data={"email": "citizen@example.nl"})
    assert "There is no organiser account with this email address." in citizen.get_data(
        as_text=True)
    assert client.post(url, data={"email": "colleague@example.nl"}).status_code == 302
    db.session.refresh(event)
    assert event.is_organiser(colleague)
