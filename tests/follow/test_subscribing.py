"""Asking to follow (double opt-in), confirming once, an expired link, bad input, and
following in one click with an account."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous.timed import TimestampSigner
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import Subscription, User, utcnow
from consult.services.catalogue import ensure_catalogues
from consult.services.follow import notices
from tests.factories.consultations import build_consultation
from tests.follow.world import TOPIC, ask
from tests.support.mail import Outbox
from tests.support.sessions import log_in


@pytest.fixture(autouse=True)
def _catalogues(app: Flask) -> None:
    ensure_catalogues()
    db.session.commit()


def _subscriptions() -> list[Subscription]:
    db.session.expire_all()
    return list(db.session.scalars(select(Subscription)))


def test_asking_mails_a_link_and_nothing_is_sent_before_it_is_followed(
    client: FlaskClient, outbox: Outbox,
) -> None:
    response = ask(client, TOPIC, "Sam@Example.nl ", "en")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/follow/check-your-mail")
    assert "Check your mail" in client.get("/follow/check-your-mail").text

    [mail] = outbox.mails
    assert mail["To"] == "sam@example.nl"
    assert mail["Subject"].startswith("Confirm that you want to follow the topic")
    [subscription] = _subscriptions()
    assert subscription.confirmed_at is None and subscription.locale == "en"

    build_consultation(topic="cultivated-meat-fish")  # opens in the topic: a notice is due
    assert notices.send_due() == 0
    assert len(outbox.mails) == 1  # still only the confirmation


def test_the_link_confirms_once_then_says_it_was_used(client: FlaskClient,
                                                      outbox: Outbox) -> None:
    ask(client, TOPIC)
    link = outbox.link()
    first = client.get(link)
    assert first.status_code == 200
    assert "You follow this now" in first.text
    assert "Cultivated meat and fish" in first.text or "the topic" in first.text
    [subscription] = _subscriptions()
    confirmed_at = subscription.confirmed_at
    assert confirmed_at is not None

    second = client.get(link)
    assert second.status_code == 400
    assert "This confirmation link was used already" in second.text
    [subscription] = _subscriptions()
    assert subscription.confirmed_at == confirmed_at


def test_the_link_opens_in_the_language_the_person_asked_in(
    app: Flask, outbox: Outbox,
) -> None:
    """Asked on a Dutch page, the confirmation opens in Dutch on a browser set to English
    (a phone's mail app opens links in whatever browser it has)."""
    ask(app.test_client(), TOPIC, locale="nl")
    elsewhere = app.test_client()
    elsewhere.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = elsewhere.get(outbox.link())
    assert page.status_code == 200
    assert "U volgt dit nu" in page.text and "You follow this now" not in page.text


def test_an_expired_link_says_so_and_confirms_nothing(
    client: FlaskClient, outbox: Outbox, monkeypatch: pytest.MonkeyPatch,
) -> None:
    made = int(utcnow().timestamp()) - 49 * 3600  # the link works for 48 hours
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: made)
    ask(client, TOPIC)
    monkeypatch.undo()
    response = client.get(outbox.link())
    assert response.status_code == 400
    assert "This confirmation link has expired" in response.text
    dutch = client.get(outbox.link().replace("lang=en", "lang=nl"))
    assert "Deze bevestigingslink is verlopen" in dutch.text
    assert _subscriptions()[0].confirmed_at is None


def test_a_damaged_link_is_refused(client: FlaskClient, outbox: Outbox) -> None:
    ask(client, TOPIC)
    path = outbox.link().split("?")[0]
    response = client.get(path[:-3] + "xyz")
    assert response.status_code == 400
    assert "This confirmation link is not valid" in response.text


@pytest.mark.parametrize(("language", "message"), [
    ("en", "Enter an email address like name@example.nl."),
    ("nl", "Vul een e-mailadres in zoals naam@voorbeeld.nl."),
])
def test_a_bad_address_gets_a_clear_message_and_keeps_what_was_typed(
    client: FlaskClient, outbox: Outbox, language: str, message: str,
) -> None:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    response = ask(client, TOPIC, "sam at example", language)
    assert response.status_code == 400
    assert message in response.text
    assert 'value="sam at example"' in response.text
    assert f'<html lang="{language}"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert not outbox.mails and not _subscriptions()


def test_an_empty_address_and_an_unknown_target(client: FlaskClient) -> None:
    response = ask(client, TOPIC, "")
    assert response.status_code == 400 and "Enter your email address." in response.text
    assert ask(client, "topic:no-such-topic").status_code == 404
    assert ask(client, "consultation:no-such").status_code == 404


def test_asking_again_for_a_followed_target_sends_nothing_and_says_the_same(
    client: FlaskClient, outbox: Outbox,
) -> None:
    ask(client, TOPIC)
    client.get(outbox.link())
    again = ask(client, TOPIC)
    assert again.status_code == 302 and again.headers["Location"].endswith("check-your-mail")
    assert len(outbox.mails) == 1
    assert len(_subscriptions()) == 1


def test_an_account_follows_in_one_click_without_a_second_confirmation(
    client: FlaskClient, outbox: Outbox, make_user: Callable[..., User],
) -> None:
    user = make_user("anna@example.nl")
    log_in(client, user)
    page = client.get("/follow/mine")
    assert page.status_code == 200
    assert "Follow the tastings" in page.text
    response = client.post("/follow/", data={"target": "tastings", "back": "mine"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/follow/mine")
    [subscription] = _subscriptions()
    assert subscription.confirmed_at is not None and subscription.user_id == user.id
    assert not outbox.mails
    listed = client.get("/follow/mine").text
    assert "<strong>Tastings</strong>" in listed
    stop = re.search(r'action="(/follow/mine/\d+/stop)"', listed)
    assert stop is not None
    assert client.post(stop.group(1)).status_code == 302
    assert not _subscriptions()


def test_the_forms_are_on_the_topic_page_the_events_list_and_linked_from_the_consultation(
    client: FlaskClient,
) -> None:
    build_consultation(slug="kweek", topic="cultivated-meat-fish")
    db.session.commit()
    topic_page = client.get("/consultations/?topic=cultivated-meat-fish").text
    assert 'value="topic:cultivated-meat-fish"' in topic_page
    assert "follow-email" not in client.get("/consultations/").text  # no topic: no form
    # The consultation page is kept for every anonymous visitor: a link to the form.
    consultation_page = client.get("/consultations/kweek").text
    assert 'href="/follow/?target=consultation:kweek"' in consultation_page
    assert "follow-email" not in consultation_page
    assert 'value="consultation:kweek"' in client.get("/follow/?target=consultation:kweek").text
    assert 'value="tastings"' in client.get("/events/").text


def test_the_kept_consultation_page_has_no_token_and_its_link_leads_to_a_working_form(
    app_factory: Callable[..., Flask],
) -> None:
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        build_consultation(slug="kweek")
        db.session.commit()
    outbox = Outbox(app)
    for email in ("first@example.nl", "second@example.nl"):  # the second sees the kept page
        visitor = app.test_client()
        shown = visitor.get("/consultations/kweek")
        assert "csrf_token" not in shown.text
        assert "Set-Cookie" not in shown.headers  # no token: no session written
        link = re.search(r'href="(/follow/\?target=consultation[^"]+)"', shown.text)
        assert link is not None
        form = visitor.get(link.group(1).replace("&amp;", "&")).text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form) or \
            re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert token is not None
        response = visitor.post("/follow/", data={
            "csrf_token": token.group(1), "email": email, "locale": "nl",
            "target": "consultation:kweek"})
        assert response.status_code == 302, response.text
    assert sorted(m["To"] for m in outbox.mails) == ["first@example.nl", "second@example.nl"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Subscription)) == 2


def test_a_logged_in_person_still_follows_the_consultation_in_one_click(
    client: FlaskClient, make_user: Callable[..., User],
) -> None:
    build_consultation(slug="kweek")
    db.session.commit()
    log_in(client, make_user("fan@example.nl"))
    page = client.get("/consultations/kweek").text
    assert 'value="consultation:kweek"' in page
    assert 'href="/follow/?target=consultation:kweek"' not in page
