"""Every form shows all its mistakes at once: the form's own messages (a field it cannot
read) and the rules' messages (services) together in the error summary, each at its
field, in the page's language, with what was typed kept. Before, a rule's message only
appeared after the form's own mistakes were fixed, and the rules stopped at the first.

Each case sends one form with several mistakes of both kinds, in Dutch and in English,
and names the message each bad input gets (the English text, and the Dutch one from the
catalogue, which must differ from it).
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import (
    Consultation,
    ConsultationDocument,
    EligibilityItem,
    Event,
    InfoSheet,
    Registration,
    Role,
    Topic,
)
from consult.services.catalogue import ensure_catalogues
from tests.factories.consultations import build_consultation
from tests.factories.events import make_event_in_db
from tests.factories.users import new_user, official_user
from tests.support.sessions import log_in, login

LANGS = ("nl", "en")


def _in(app: Flask, lang: str, english: str) -> str:
    """The message as the page in `lang` shows it."""
    with app.test_request_context("/"), force_locale(lang):
        shown = _(english)
    if lang == "nl":
        assert shown != english, f"no Dutch for {english!r}"
    return shown


def _summary(page: str) -> str:
    """The text of the error summary at the top of the page."""
    found = re.search(r'<div class="error-summary".*?</ul>', page, re.S)
    assert found, "no error summary"
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(0)))


def _count(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def _client(app: Flask, role: Role, lang: str) -> FlaskClient:
    user = new_user(f"{role.value}@example.nl", role)
    db.session.commit()
    client = app.test_client()
    client.get(f"/?lang={lang}")
    log_in(client, user)
    return client


# --- an organiser's event ---------------------------------------------------------------

EVENT_MISTAKES = {
    # field: (what is typed, the message it gets)
    "title_nl": ("", "Enter the Dutch title."),  # the form's own
    "ends_at": ("2030-05-14T18:00", "The end must be after the start."),  # a rule
    "venue": ("", "Enter a venue address, or an online link."),  # a rule
    "max_guests": ("0", "Allow at least 1 guest, or do not allow guests."),  # a rule
    "capacity": ("many", "Enter a whole number."),  # the form's own
}


@pytest.mark.parametrize("lang", LANGS)
def test_an_event_with_five_mistakes_gets_five_messages(app: Flask, lang: str) -> None:
    ensure_catalogues()
    client = _client(app, Role.ORGANISER, lang)
    topic = db.session.scalars(select(Topic).order_by(Topic.position)).first()
    data: dict[str, Any] = {
        "kind": "workshop", "topic_id": str(topic.id),  # type: ignore[union-attr]
        "title_en": "Talk about gene therapy", "starts_at": "2030-05-14T19:30",
        "online_link": "", "registration_mode": "fcfs", "allow_guests": "y", "min_age": "18",
        "reminder_hours": "24", "offer_hours": "48", "dietary_purge_days": "30",
    }
    data.update({field: typed for field, (typed, _message) in EVENT_MISTAKES.items()})
    response = client.post(f"/organise/events/new?lang={lang}", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    summary = _summary(page)
    for field, (_typed, message) in EVENT_MISTAKES.items():
        assert _in(app, lang, message) in summary, field
        assert f'id="{field}-error"' in page or f'id="{field}_error"' in page or (
            re.search(rf'aria-describedby="[^"]*{field}[^"]*error', page)), field
    assert 'value="Talk about gene therapy"' in page and 'value="many"' in page
    assert _count(Event) == 0


# --- a tasting registration -------------------------------------------------------------

REGISTRATION_MISTAKES = {
    "birth_date": "Enter a real date of birth: day, month and year in numbers, "
                  "for example 14 5 1990.",  # the form's own
    "eligible": "You can only take part when none of these apply to you. Confirm this to "
                "register.",  # a rule
    "info_sheet": "Read and accept the participant information sheet to register.",  # a rule
    "dietary_consent": "Give your explicit consent to store the dietary note, or leave "
                       "the note empty.",  # a rule
}


@pytest.mark.parametrize("lang", LANGS)
def test_a_registration_with_a_bad_date_and_broken_rules_gets_every_message(
    app: Flask, lang: str,
) -> None:
    organiser = new_user("org@example.nl", Role.ORGANISER)
    event = make_event_in_db(organiser, tasting=True, capacity=5)
    event.eligibility_items.append(EligibilityItem(text_nl="Ik ben zwanger.",
                                                   text_en="I am pregnant."))
    event.info_sheets.append(InfoSheet(version=1, body_nl="Versie een.", body_en="Version one."))
    db.session.commit()
    client = _client(app, Role.CITIZEN, lang)
    response = client.post(f"/events/{event.id}/register?lang={lang}", data={
        "name": "Anna", "birth_date": "14-99-1990", "dietary_note": "Geen noten",
        "info_sheet_version": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    summary = _summary(page)
    for field, message in REGISTRATION_MISTAKES.items():
        assert _in(app, lang, message) in summary, field
    assert "Geen noten</textarea>" in page and 'value="Anna"' in page
    assert _count(Registration) == 0


# --- an official's consultation, question and document ----------------------------------

def _official(app: Flask, lang: str) -> FlaskClient:
    with app.test_request_context("/"):
        official_user()
        db.session.commit()
    client = app.test_client()
    client.get(f"/?lang={lang}")
    login(client, "official@example.nl")
    return client


@pytest.mark.parametrize("lang", LANGS)
def test_a_consultation_without_a_title_and_closing_before_it_opens_gets_both(
    app: Flask, lang: str,
) -> None:
    client = _official(app, lang)
    response = client.post(f"/officials/consultations/new?lang={lang}", data={
        "title_nl": "", "title_en": "Gene therapy", "audience": "anyone", "topic_id": "0",
        "opens_at": "2030-04-30T12:00", "closes_at": "2030-04-05T12:00"})
    page = response.get_data(as_text=True)
    summary = _summary(page)
    for message in ("Enter a Dutch title.", "The close must come after the open."):
        assert _in(app, lang, message) in summary
    assert 'value="Gene therapy"' in page and 'value="2030-04-05T12:00"' in page
    assert _count(Consultation) == 0


@pytest.mark.parametrize("lang", LANGS)
def test_a_question_without_text_or_options_on_a_page_too_far_gets_three_messages(
    app: Flask, lang: str,
) -> None:
    with app.test_request_context("/"):
        c = build_consultation(opened=False)
        db.session.commit()
    client = _official(app, lang)
    response = client.post(f"/officials/consultations/{c.slug}/questions/new?lang={lang}",
                           data={"kind": "single_choice", "text_nl": "", "text_en": "",
                                 "help_en": "Pick one", "page": "99",
                                 "condition_option_id": "0", "options-0-nl": "Ja"})
    page = response.get_data(as_text=True)
    summary = _summary(page)
    for message in ("Write the question in at least one language.",  # a rule
                    "Give at least two options."):  # a rule
        assert _in(app, lang, message) in summary
    with app.test_request_context("/"), force_locale(lang):  # the form's own
        assert _("Enter a number from %(min)s to %(max)s.", min="1", max="20") in summary
    assert "Pick one" in page and 'value="99"' in page


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("url", "messages"), [
    ("", ("Give the document a title.", "Upload a PDF or enter a link.")),
    ("not a link", ("Give the document a title.",
                    "Enter a web address starting with https://.")),
])
def test_a_document_without_a_title_gets_every_message_and_keeps_the_link(
    app: Flask, lang: str, url: str, messages: tuple[str, ...],
) -> None:
    with app.test_request_context("/"):
        c = build_consultation(opened=False)
        db.session.commit()
    client = _official(app, lang)
    response = client.post(f"/officials/consultations/{c.slug}/documents?lang={lang}",
                           data={"doc-title_nl": "", "doc-title_en": "", "doc-url": url})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    summary = _summary(page)
    for message in messages:
        assert _in(app, lang, message) in summary
        assert summary.count(_in(app, lang, message)) == 1  # once, not twice
    if url:
        assert f'value="{url}"' in page
    assert _count(ConsultationDocument) == 0


# --- accounts: a new password judged beside the other fields --------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_registering_with_a_bad_address_and_a_short_password_gets_both(
    app: Flask, lang: str,
) -> None:
    client = app.test_client()
    client.get(f"/?lang={lang}")
    response = client.post(f"/account/register?lang={lang}", data={
        "email": "not an address", "password": "short", "confirm": "other"})
    summary = _summary(response.get_data(as_text=True))
    for message in ("Enter an email address like name@example.nl.",
                    "The two passwords are not the same."):
        assert _in(app, lang, message) in summary
    with app.test_request_context("/"), force_locale(lang):
        assert _("Use at least %(n)d characters.", n=8) in summary


@pytest.mark.parametrize("lang", LANGS)
def test_changing_the_password_with_a_wrong_current_one_and_a_weak_new_one_gets_both(
    app: Flask, lang: str,
) -> None:
    client = _client(app, Role.CITIZEN, lang)
    response = client.post(f"/account/password?lang={lang}", data={
        "current_password": "not my password", "password": "kort", "confirm": "kort"})
    summary = _summary(response.get_data(as_text=True))
    assert _in(app, lang, "Your current password is not correct.") in summary
    with app.test_request_context("/"), force_locale(lang):
        assert _("Use at least %(n)d characters.", n=8) in summary


@pytest.mark.parametrize(("lang", "limit"), [("nl", "100.000"), ("en", "100,000")])
def test_a_number_out_of_range_is_told_its_limits_in_the_page_s_locale(
    app: Flask, lang: str, limit: str,
) -> None:
    ensure_catalogues()
    client = _client(app, Role.ORGANISER, lang)
    topic = db.session.scalars(select(Topic).order_by(Topic.position)).first()
    response = client.post(f"/organise/events/new?lang={lang}", data={
        "kind": "workshop", "topic_id": str(topic.id),  # type: ignore[union-attr]
        "title_nl": "Gesprek", "title_en": "Talk", "starts_at": "2030-05-14T19:30",
        "ends_at": "2030-05-14T21:30", "venue": "Utrecht", "capacity": "200000",
        "registration_mode": "fcfs", "max_guests": "0", "min_age": "18",
        "reminder_hours": "24", "offer_hours": "48", "dietary_purge_days": "30"})
    summary = _summary(response.get_data(as_text=True))
    with app.test_request_context("/"), force_locale(lang):
        expected = _("Enter a number from %(min)s to %(max)s.", min="1", max=limit)
    assert expected in summary
