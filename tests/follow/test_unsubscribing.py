"""Unsubscribing from the mail's link alone: a page with a button (GET changes nothing),
the one-click POST of RFC 8058 without cookie, login or CSRF token, and every
subscription of the address at once."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import select

from consult.extensions import db
from consult.models import Subscription
from consult.services.catalogue import ensure_catalogues
from consult.services.consultations import editing
from consult.services.follow import notices
from tests.factories.consultations import build_consultation
from tests.factories.users import official_user
from tests.follow.world import TOPIC, follower, notices_to
from tests.support.mail import Outbox


@pytest.fixture
def csrf_app(app_factory: Callable[..., Flask]) -> Flask:
    """CSRF protection on, as in production."""
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        ensure_catalogues()
        db.session.commit()
    return app


def _emails_following() -> list[str]:
    return sorted(db.session.scalars(select(Subscription.email)))


def _opened_notice(app: Flask) -> str:
    """Follow, open the consultation, send the notice; the unsubscribe path in its mail."""
    with app.app_context():
        consultation = build_consultation(slug="kweek", opened=False)
        follower("ed@example.nl", TOPIC, "en")
        follower("ed@example.nl", "tastings", "en")
        follower("other@example.nl", TOPIC, "nl")
        editing.open_now(official_user(), consultation)
        db.session.commit()
        assert notices.send_due() == 2
    [mail] = notices_to(Outbox(app), "ed@example.nl")
    header = re.fullmatch(r"<https://consult\.test(/follow/unsubscribe/[\w-]+)>",
                          mail["List-Unsubscribe"])
    assert header is not None
    assert header.group(1) in Outbox(app).body(mail)
    return header.group(1)


def test_opening_the_link_shows_a_button_and_unsubscribes_nobody(csrf_app: Flask) -> None:
    path = _opened_notice(csrf_app)
    page = csrf_app.test_client().get(path, headers={"Accept-Language": "nl"})
    assert page.status_code == 200
    assert "Wilt u daarmee stoppen?" in page.text
    assert '<button type="submit" class="button">Afmelden</button>' in page.text
    with csrf_app.app_context():
        assert _emails_following() == ["ed@example.nl", "ed@example.nl", "other@example.nl"]


def test_the_mail_s_link_opens_in_the_subscriber_s_language(csrf_app: Flask) -> None:
    path = _opened_notice(csrf_app)  # ed follows in English
    [mail] = notices_to(Outbox(csrf_app), "ed@example.nl")
    link = re.search(re.escape(path) + r"\?lang=(\w+)", Outbox(csrf_app).body(mail))
    assert link is not None and link.group(1) == "en"
    page = csrf_app.test_client().get(link.group(0), headers={"Accept-Language": "nl"})
    assert page.status_code == 200
    assert "Unsubscribe" in page.text and "Afmelden" not in page.text


def test_the_one_click_post_unsubscribes_without_cookie_login_or_token(csrf_app: Flask) -> None:
    path = _opened_notice(csrf_app)
    mail_program = csrf_app.test_client()  # no session, no CSRF token: as RFC 8058 sends it
    response = mail_program.post(path, data="List-Unsubscribe=One-Click",
                                 content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert "U bent afgemeld" in response.text  # no Accept-Language: the default, Dutch
    with csrf_app.app_context():
        # Only the followed topic went; the tastings and the other address stay.
        assert _emails_following() == ["ed@example.nl", "other@example.nl"]
        assert db.session.scalar(select(Subscription.target).where(
            Subscription.email == "ed@example.nl")) == "tastings"
    again = mail_program.post(path, data="List-Unsubscribe=One-Click",
                              content_type="application/x-www-form-urlencoded")
    assert again.status_code == 404 and "Niets om af te melden" in again.text


def test_the_page_s_second_button_unsubscribes_the_address_from_everything(
    csrf_app: Flask,
) -> None:
    path = _opened_notice(csrf_app)
    response = csrf_app.test_client().post(path, data={"everything": "yes"})
    assert response.status_code == 200
    with csrf_app.app_context():
        assert _emails_following() == ["other@example.nl"]


def test_other_follow_forms_still_need_their_csrf_token(csrf_app: Flask) -> None:
    response = csrf_app.test_client().post("/follow/", data={
        "email": "sam@example.nl", "locale": "en", "target": "tastings"})
    assert response.status_code == 400
    with csrf_app.app_context():
        assert _emails_following() == []


def test_an_unknown_link_says_so(csrf_app: Flask) -> None:
    response = csrf_app.test_client().get("/follow/unsubscribe/not-a-real-token",
                                          headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert "This link belongs to no subscription" in response.text


def test_the_link_s_secret_never_reaches_a_log_line() -> None:
    from consult.log_redaction import redact

    line = '"POST /follow/unsubscribe/Ab3_-xYz0123456789abcdefghijklmnop HTTP/1.1" 200'
    assert redact(line) == '"POST /follow/unsubscribe/[token] HTTP/1.1" 200'
