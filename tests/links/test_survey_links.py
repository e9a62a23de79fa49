"""A tasting links a consultation to answer before it and one (or the same) after it:
the organisers' form (with forged ids refused), the event page, the personal page and the
mails, and the officials' analysis showing how opinions shifted."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.extensions import db
from consult.mail import read_outbox
from consult.models import Audience, Consultation, Event, Role, Topic, User
from consult.services.catalogue import ensure_catalogues
from consult.services.consultations import editing as consultations_service
from consult.services.events import registration as reg_service
from consult.services.events.survey_links import links_for
from consult.services.insights import run as analysis
from tests.factories.consultations import build_consultation
from tests.factories.events import adult, checked_in, make_event_in_db
from tests.factories.insights import add_response
from tests.factories.users import new_user, official_user
from tests.support.sessions import log_in


@pytest.fixture
def organiser(app: Flask) -> User:
    ensure_catalogues()
    user = new_user("org@example.nl", Role.ORGANISER)
    db.session.commit()
    return user


@pytest.fixture
def organiser_client(app: Flask, organiser: User) -> FlaskClient:
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    log_in(client, organiser)
    return client


@pytest.fixture
def before_after(app: Flask) -> tuple[Consultation, Consultation]:
    with app.test_request_context("/"):
        return build_consultation(slug="voor-de-proeverij"), build_consultation(
            slug="na-de-proeverij")


def _draft() -> Consultation:
    official = official_user()
    draft = consultations_service.create_consultation(
        official, consultations_service.ConsultationData(
            title_nl="Nog een concept", title_en="Still a draft", slug="concept"))
    db.session.commit()
    return draft


def _form(**overrides: Any) -> dict[str, Any]:
    topic = db.session.scalars(select(Topic).order_by(Topic.position)).first()
    data: dict[str, Any] = {
        "kind": "tasting", "topic_id": str(topic.id),  # type: ignore[union-attr]
        "title_nl": "Proeverij kweekvlees", "title_en": "Cultivated meat tasting",
        "description_nl": "Proeven", "description_en": "Tasting",
        "starts_at": "2030-05-14T19:30", "ends_at": "2030-05-14T21:30",
        "venue": "Bibliotheek Utrecht", "online_link": "", "capacity": "25",
        "registration_mode": "fcfs", "max_guests": "0", "min_age": "18",
        "reminder_hours": "24", "offer_hours": "48", "dietary_purge_days": "30",
        "before_consultation_id": "", "after_consultation_id": "",
    }
    data.update(overrides)
    return data


# --- The organisers' form -------------------------------------------------------------


def test_the_form_offers_none_and_every_consultation_that_is_not_a_draft(
    organiser_client: FlaskClient, before_after: tuple[Consultation, Consultation]
) -> None:
    _draft()
    page = organiser_client.get("/organise/events/new").get_data(as_text=True)
    assert 'id="before_consultation_id"' in page and 'id="after_consultation_id"' in page
    assert '<label for="before_consultation_id"' in page
    assert "Questionnaire before the tasting" in page
    assert page.count(">None</option>") == 2
    assert page.count(">Cultivated meat in the Netherlands</option>") == 4  # 2 in each
    assert "Still a draft" not in page


def test_an_organiser_links_a_before_and_an_after_consultation(
    organiser_client: FlaskClient, before_after: tuple[Consultation, Consultation]
) -> None:
    before, after = before_after
    response = organiser_client.post("/organise/events/new", data=_form(
        before_consultation_id=str(before.id), after_consultation_id=str(after.id)))
    assert response.status_code == 302
    event = db.session.scalars(select(Event)).one()
    assert (event.before_consultation_id, event.after_consultation_id) == (before.id, after.id)
    # The edit form shows what is stored; choosing "none" unlinks.
    edit = organiser_client.get(f"/organise/events/{event.id}/edit").get_data(as_text=True)
    assert f'<option selected value="{before.id}">' in edit
    assert f'<option selected value="{after.id}">' in edit
    organiser_client.post(f"/organise/events/{event.id}/edit",
                          data=_form(before_consultation_id=str(before.id)))
    db.session.expire_all()
    assert (event.before_consultation_id, event.after_consultation_id) == (before.id, None)


@pytest.mark.parametrize("forged", ["999999", "abc", "-3", "1" * 30, "draft"])
def test_a_forged_consultation_id_gets_a_clear_message_and_nothing_is_stored(
    organiser_client: FlaskClient, before_after: tuple[Consultation, Consultation],
    forged: str,
) -> None:
    value = str(_draft().id) if forged == "draft" else forged
    response = organiser_client.post("/organise/events/new", data=_form(
        after_consultation_id=value, title_en="Kept as typed"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    # At the field and in the error summary; what was typed is still there.
    assert page.count("Choose a consultation from the list, or “none”.") == 2
    assert 'value="Kept as typed"' in page
    assert db.session.scalar(select(Event.id)) is None


def test_a_forged_id_on_edit_keeps_the_stored_links(
    organiser_client: FlaskClient, organiser: User,
    before_after: tuple[Consultation, Consultation],
) -> None:
    before, _ = before_after
    event = make_event_in_db(organiser, tasting=True, before_consultation_id=before.id)
    db.session.commit()
    response = organiser_client.post(f"/organise/events/{event.id}/edit",
                                     data=_form(before_consultation_id="424242"))
    assert response.status_code == 400
    db.session.expire_all()
    assert event.before_consultation_id == before.id


def test_only_a_tasting_links_questionnaires_and_the_message_is_in_dutch(
    organiser_client: FlaskClient, before_after: tuple[Consultation, Consultation]
) -> None:
    before, _ = before_after
    response = organiser_client.post("/organise/events/new?lang=nl", data=_form(
        kind="workshop", before_consultation_id=str(before.id)))
    assert response.status_code == 400
    assert "Alleen een proeverij heeft vragenlijsten vooraf en achteraf." in response.get_data(
        as_text=True)
    assert db.session.scalar(select(Event.id)) is None


# --- What participants see --------------------------------------------------------------


def _linked_tasting(organiser: User, before: Consultation, after: Consultation) -> Event:
    event = make_event_in_db(organiser, tasting=True, before_consultation_id=before.id,
                             after_consultation_id=after.id)
    db.session.commit()
    return event


def test_the_event_page_links_both_questionnaires_in_english_and_dutch(
    app: Flask, organiser: User, before_after: tuple[Consultation, Consultation]
) -> None:
    before, after = before_after
    event = _linked_tasting(organiser, before, after)
    client = app.test_client()
    page = client.get(f"/events/{event.id}?lang=en").get_data(as_text=True)
    assert re.search(r"Before the tasting, please answer:\s*<a href=\"/consultations/"
                     r"voor-de-proeverij\">Cultivated meat in the Netherlands</a>", page)
    assert re.search(r"After the tasting:\s*<a href=\"/consultations/na-de-proeverij\">", page)
    assert "Use the links on your registration page" in page
    dutch = client.get(f"/events/{event.id}?lang=nl").get_data(as_text=True)
    assert "Vul vóór de proeverij deze vragenlijst in:" in dutch
    assert "Na de proeverij:" in dutch and "Kweekvlees in Nederland</a>" in dutch


def test_the_same_consultation_before_and_after_is_one_link(
    app: Flask, organiser: User, before_after: tuple[Consultation, Consultation]
) -> None:
    before, _ = before_after
    event = _linked_tasting(organiser, before, before)
    page = app.test_client().get(f"/events/{event.id}?lang=en").get_data(as_text=True)
    assert page.count('href="/consultations/voor-de-proeverij"') == 1
    assert "Before and after the tasting, please answer:" in page
    assert "Use the links on your registration page" in page


def test_an_event_without_links_shows_no_questionnaires(app: Flask, organiser: User) -> None:
    event = make_event_in_db(organiser, tasting=True)
    db.session.commit()
    page = app.test_client().get(f"/events/{event.id}?lang=en").get_data(as_text=True)
    assert "Questionnaires" not in page and "please answer" not in page


def test_registrant_without_an_account_gets_personal_links(
    app: Flask, organiser: User, before_after: tuple[Consultation, Consultation]
) -> None:
    before, after = before_after
    event = _linked_tasting(organiser, before, after)
    with app.test_request_context("/"):
        _, secret = reg_service.register(event, adult("piet@example.nl"))
        db.session.commit()
    page = app.test_client().get(f"/events/r/{secret}?lang=en").get_data(as_text=True)
    assert re.search(r"Before the tasting, please answer:\s*<a href=\"/consultations/"
                     r"voor-de-proeverij/tasting/[^\"]+\">", page)
    assert re.search(r"After the tasting:\s*<a href=\"/consultations/"
                     r"na-de-proeverij/tasting/[^\"]+\">", page)
    assert "These links are yours" in page
    mail = read_outbox(app.config["MAIL_OUTBOX"])[-1]
    body = str(mail.get_body(("plain",)).get_content())  # type: ignore[union-attr]
    assert "Before the tasting, please answer: Cultivated meat in the Netherlands" in body
    assert re.search(r"http://consult.test/consultations/voor-de-proeverij/tasting/\S+", body)
    assert "After the tasting: Cultivated meat in the Netherlands" in body
    assert re.search(r"http://consult.test/consultations/na-de-proeverij/tasting/\S+", body)
    assert "These links are yours" in body


def test_registrant_with_an_account_gets_personal_links_too(
    app: Flask, organiser: User, before_after: tuple[Consultation, Consultation]
) -> None:
    before, after = before_after
    event = _linked_tasting(organiser, before, after)
    anna = new_user("anna@example.nl")
    db.session.commit()
    with app.test_request_context("/"):
        reg_service.register(event, adult("anna@example.nl", user=anna))
        db.session.commit()
    client = app.test_client()
    log_in(client, anna)
    for url in (f"/events/{event.id}/mine?lang=en", f"/events/{event.id}?lang=en"):
        page = client.get(url).get_data(as_text=True)
        assert "After the tasting:" in page and "/consultations/na-de-proeverij/tasting/" in page
    body = str(read_outbox(app.config["MAIL_OUTBOX"])[-1].get_body(("plain",))
               .get_content())  # type: ignore[union-attr]
    assert "After the tasting:" in body and "/consultations/na-de-proeverij/tasting/" in body


def test_a_consultation_for_account_holders_says_so(
    app: Flask, organiser: User,
) -> None:
    with app.test_request_context("/"):
        members = build_consultation(slug="alleen-accounts", audience=Audience.ACCOUNT)
    event = _linked_tasting(organiser, members, members)
    (link,) = links_for(event)
    assert link.moment == "both" and link.needs_account
    with app.test_request_context("/"):
        _, secret = reg_service.register(event, adult("piet@example.nl"))
        db.session.commit()
    page = app.test_client().get(f"/events/r/{secret}?lang=en").get_data(as_text=True)
    assert page.count("(only with an account: log in to answer)") == 2  # before and again
    assert "After the tasting, answer the same questionnaire once more:" in page


def test_the_mail_without_links_has_no_questionnaires(app: Flask, organiser: User) -> None:
    event = make_event_in_db(organiser, tasting=True)
    db.session.commit()
    with app.test_request_context("/"):
        reg_service.register(event, adult("piet@example.nl"))
        db.session.commit()
    body = str(read_outbox(app.config["MAIL_OUTBOX"])[-1].get_body(("plain",))
               .get_content())  # type: ignore[union-attr]
    assert "please answer" not in body and "without an account" not in body


# --- The officials' analysis ---------------------------------------------------------------


def test_the_analysis_page_shows_how_opinions_shifted_by_tasting(
    db_app: Flask,
) -> None:
    with db_app.test_request_context("/"):
        before = build_consultation(slug="voor-de-proeverij")
        after = build_consultation(slug="na-de-proeverij")
        organiser = new_user("org@example.nl", Role.ORGANISER)
        event = _linked_tasting(organiser, before, after)
        for n in range(7):
            person = new_user(f"deelnemer{n}@example.nl")
            # The planted shift: sceptical before, convinced after.
            add_response(before, user_id=person.id, votes=[-1, 1], rating=2, likert=2)
            add_response(after, user_id=person.id, votes=[1, 1], rating=4, likert=4)
            checked_in(event, person)
        outsider = new_user("niet-geweest@example.nl")  # answered both, never at the tasting
        add_response(before, user_id=outsider.id, votes=[1, 1], rating=4, likert=4)
        add_response(after, user_id=outsider.id, votes=[-1, -1], rating=1, likert=1)
        add_response(after, votes=[-1, -1], rating=1, likert=1)  # no account: not paired
        official = new_user("ambtenaar@example.nl", Role.OFFICIAL)
        # The page shows the shift below a finished analysis, as officials see it.
        for consultation in (before, after):
            analysis.run(consultation)
        db.session.commit()
        event_title = event.title_en
    client = db_app.test_client()
    log_in(client, official)
    for slug in ("voor-de-proeverij", "na-de-proeverij"):
        response = client.get(f"/officials/consultations/{slug}/analysis?lang=en")
        # The lone respondent without an account is a group too small to show: its share
        # is left out of the stored run, and the page says "–" instead of failing.
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert f"Before and after the tasting: {event_title}" in page
        assert "7 people who were checked in at the tasting answered both" in page
        assert "Fewer than 10 people: too few to say" in page
        assert "<caption>Change per question and principle</caption>" in page
        row = re.search(r"<th scope=\"row\">Cultivated meat is safe</th>(.*?)</tr>", page,
                        re.S)
        assert row is not None
        cells = re.findall(r"<td>([^<]*)</td>", row.group(1))
        assert cells[:4] == ["7", "-1", "1", "2"]  # people, before, after, change
        assert cells[4:] == ["2 to 2", "too few to say"]  # interval, test
        likert = re.search(r"<th scope=\"row\">I would taste it</th>(.*?)</tr>", page, re.S)
        assert likert is not None
        assert re.findall(r"<td>([^<]*)</td>", likert.group(1))[:4] == ["7", "-0.5", "0.5",
                                                                         "1"]


def test_the_same_consultation_before_and_after_shows_its_rounds(
    app: Flask, organiser: User, before_after: tuple[Consultation, Consultation]
) -> None:
    before, _ = before_after
    _linked_tasting(organiser, before, before)
    for n in range(6):  # ordinary responses, no round: nothing to pair yet
        add_response(before, user_id=new_user(f"p{n}@example.nl").id, likert=4)
    official = new_user("ambtenaar@example.nl", Role.OFFICIAL)
    analysis.run(before)
    db.session.commit()
    client = app.test_client()
    log_in(client, official)
    page = client.get("/officials/consultations/voor-de-proeverij/analysis?lang=en")
    assert page.status_code == 200 and "Refresh analysis" in page.get_data(as_text=True)
    assert "Before and after the tasting" in page.get_data(as_text=True)
    assert "Fewer than 5 participants of the tasting answered both" in page.get_data(
        as_text=True)
