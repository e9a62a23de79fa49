"""No email address or link token reaches the application's logs.

The flows that handle addresses (register, confirm, log in, reset, change address, the
admin filters) run against a real werkzeug server, so its request lines are logged too;
everything logged is captured and searched.
"""

from __future__ import annotations

import logging
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy.exc import IntegrityError
from werkzeug.serving import make_server

from consult import jobs
from consult.extensions import db
from consult.log_redaction import redact
from consult.mail import read_outbox
from consult.models import Role, User
from tests.factories.users import PASSWORD
from tests.support.apps import make_app

EMAIL = re.compile(r"[\w.+-]+(@|%40)[\w-]+\.[\w.-]+")


class Browser:
    """A tiny cookie-keeping client over HTTP."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())

    def get(self, path: str) -> str:
        try:
            with self.opener.open(self.base + path) as response:
                return str(response.read().decode())
        except urllib.error.HTTPError as error:
            return str(error.read().decode())

    def post(self, path: str, **fields: str) -> str:
        data = urllib.parse.urlencode(fields).encode()
        try:
            with self.opener.open(self.base + path, data=data) as response:
                return str(response.read().decode())
        except urllib.error.HTTPError as error:
            return str(error.read().decode())


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Flask, Browser]]:
    app = make_app(tmp_path, SERVER_NAME=None)
    with app.app_context():
        db.create_all()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, Browser(f"http://127.0.0.1:{server.server_port}")
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


def _link(app: Flask) -> str:
    jobs.wait_for_threads()  # the reset link is mailed by a background job
    body = read_outbox(app.config["MAIL_OUTBOX"])[-1].get_body(("plain",))
    assert body is not None
    match = re.search(r"https?://[^/\s]+(/\S+)", str(body.get_content()))  # type: ignore[attr-defined]
    assert match
    return match.group(1)


def test_register_login_reset_and_admin_filters_log_no_address_or_token(
    served: tuple[Flask, Browser], caplog: pytest.LogCaptureFixture
) -> None:
    app, browser = served
    caplog.set_level(logging.DEBUG)

    browser.post("/account/register", email="kees@example.nl", password=PASSWORD,
                 confirm=PASSWORD)
    confirm_link = _link(app)
    browser.get(confirm_link)
    browser.post("/account/login", email="kees@example.nl", password="wrong password")
    browser.post("/account/login?next=/account/", email="kees@example.nl", password=PASSWORD)
    browser.post("/account/email", email="kees.nieuw@example.nl", password=PASSWORD)
    change_link = _link(app)
    browser.get(change_link)
    browser.post("/account/forgot-password", email="kees.nieuw@example.nl")
    reset_link = _link(app)
    browser.get(reset_link)
    browser.get("/account/check-your-mail?email=kees@example.nl")

    with app.app_context():
        from consult.services.accounts.auth import create_user

        create_user("admin@example.nl", PASSWORD, Role.ADMIN, confirmed=True)
        db.session.commit()
    admin = Browser(browser.base)
    admin.post("/account/login", email="admin@example.nl", password=PASSWORD)
    assert "kees.nieuw@example.nl" in admin.get("/admin/users?q=kees.nieuw@example.nl")
    admin.get("/admin/audit?actor=kees%40example.nl")

    text = caplog.text
    # The capture is real: werkzeug's request lines and the mail lines are in it.
    assert '"POST /account/register HTTP/1.1" 302' in text
    assert "/admin/audit?actor=[redacted]" in text
    assert "mail 'reset_password' written" in text
    assert not EMAIL.search(text), EMAIL.search(text)
    for link in (confirm_link, change_link, reset_link):
        token = link.rsplit("/", 1)[1]
        assert token not in text
    assert "/account/confirm/[token]" in text and "/account/reset/[token]" in text


def test_any_logger_is_redacted(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    logging.getLogger("some.library").info("sent to %s about %s", "anna@example.nl", "x")
    assert caplog.records[-1].getMessage() == "sent to [email] about x"


def test_sql_errors_do_not_show_the_values(app: Flask) -> None:
    """The engine hides SQL parameters, so an error logged with a trace names no one."""
    db.session.add(User(email="twice@example.nl", password_hash="x", role=Role.CITIZEN))
    db.session.commit()
    db.session.add(User(email="twice@example.nl", password_hash="x", role=Role.CITIZEN))
    with pytest.raises(IntegrityError) as caught:
        db.session.commit()
    db.session.rollback()
    assert "twice@example.nl" not in str(caught.value)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('"GET /account/confirm/eyJ1aWQiOjF9.aSl3Fw.AbCdEfGhIjKlMnOpQr HTTP/1.1" 302 -',
         '"GET /account/confirm/[token] HTTP/1.1" 302 -'),
        ('"GET /admin/users?q=piet&page=2 HTTP/1.1" 200 -',
         '"GET /admin/users?q=[redacted]&page=2 HTTP/1.1" 200 -'),
        ("to Anna.de-Vries+x@sub.example.co.uk", "to [email]"),
        ("GET /x?who=anna%40example.nl", "GET /x?who=[email]"),
        ("mail 'confirm_email' written to 20261128T0800-confirm_email-1a2b3c4d.eml",
         "mail 'confirm_email' written to 20261128T0800-confirm_email-1a2b3c4d.eml"),
    ],
)
def test_redaction_rules(line: str, expected: str) -> None:
    assert redact(line) == expected
