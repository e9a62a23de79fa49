"""Download my data, delete my account, and purging what has expired."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import AuditEntry, Role, User, utcnow
from consult.services import audit, privacy
from tests.factories.users import PASSWORD, new_user
from tests.support.mail import Outbox
from tests.support.sessions import login


def count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def registry() -> Iterator[None]:
    """Restore the registry after a test that registers an area of its own."""
    saved = dict(privacy._AREAS)
    yield
    privacy._AREAS.clear()
    privacy._AREAS.update(saved)


# --- Download my data ---------------------------------------------------------------


def test_download_is_a_json_attachment_of_the_account_and_own_audit_entries(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    anna = make_user("anna@example.nl", role=Role.ORGANISER)
    anna.display_name, anna.locale = "Anna de Vries", "nl"
    bram = make_user("bram@example.nl")
    audit.record(anna, "event.published", detail_of="anna")
    audit.record(bram, "event.published", detail_of="bram")
    db.session.commit()
    login(client, "anna@example.nl")

    page = client.get("/account/my-data")
    assert page.status_code == 200  # in her language, Dutch
    assert "Mijn gegevens downloaden" in page.get_data(as_text=True)

    response = client.post("/account/my-data")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    account = data["areas"]["account"]
    assert account["email"] == "anna@example.nl"
    assert account["role"] == "organiser"
    assert account["display_name"] == "Anna de Vries"
    assert account["locale"] == "nl"
    assert account["created_at"] and account["confirmed_at"]
    details = [e["detail"] for e in account["audit_entries_as_actor"]]
    assert {"detail_of": "anna"} in details
    assert {"detail_of": "bram"} not in details  # only the person's own acts
    assert "bram@example.nl" not in response.get_data(as_text=True)
    # The export itself is recorded.
    exported = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "privacy.exported"))
    assert exported is not None and exported.object_type == "user"


def test_download_needs_a_login_and_a_post(client: FlaskClient) -> None:
    assert "/account/login" in client.get("/account/my-data").headers["Location"]
    assert "/account/login" in client.post("/account/my-data").headers["Location"]


def test_an_area_plugs_its_data_into_the_export(
    client: FlaskClient, make_user: Callable[..., User], registry: None
) -> None:
    privacy.register("events", exporter=lambda user: {"registrations": [f"for {user.id}"]})
    user = make_user()
    login(client, user.email)
    data = client.post("/account/my-data").get_json()
    assert data["areas"]["events"] == {"registrations": [f"for {user.id}"]}


# --- Delete my account --------------------------------------------------------------


def test_delete_account_with_the_password_removes_it_mails_and_keeps_the_audit_entry(
    app: Flask, client: FlaskClient, outbox: Outbox, make_user: Callable[..., User]
) -> None:
    anna = make_user("anna@example.nl", role=Role.ORGANISER)
    anna.locale = "en"
    anna_id = anna.id
    entry = audit.record(anna, "event.published")
    db.session.commit()
    entry_id = entry.id
    login(client, "anna@example.nl")
    cookie = client.get_cookie("session", domain="consult.test")
    assert cookie is not None

    page = client.get("/account/delete?lang=en").get_data(as_text=True)
    assert "This cannot be undone." in page and 'autocomplete="current-password"' in page

    response = client.post("/account/delete", data={"password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/")
    db.session.expire_all()
    assert db.session.get(User, anna_id) is None
    kept = db.session.get(AuditEntry, entry_id)
    assert kept is not None and kept.actor_id is None and kept.action == "event.published"
    deleted = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "account.deleted"))
    assert deleted is not None and deleted.actor_id is None
    assert (deleted.object_type, deleted.object_id) == ("user", anna_id)
    assert "anna" not in json.dumps(deleted.detail)
    mail = outbox.last()
    assert mail["To"] == "anna@example.nl"
    assert mail["Subject"] == "Your account is deleted"
    # Logged out: the account page sends to the login page.
    assert "/account/login" in client.get("/account/").headers["Location"]

    # A copy of the old session cookie gets nothing.
    thief = app.test_client()
    thief.set_cookie("session", cookie.value, domain=cookie.domain)
    assert "/account/login" in thief.get("/account/").headers["Location"]


def test_an_old_cookie_does_not_fit_a_new_account_that_gets_the_same_id(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    """SQLite reuses the highest id; the session version must not let the cookie in."""
    anna = make_user("anna@example.nl")
    anna_id = anna.id
    login(client, "anna@example.nl")
    cookie = client.get_cookie("session", domain="consult.test")
    assert cookie is not None
    client.post("/account/delete", data={"password": PASSWORD})

    from consult.services.accounts.auth import create_user

    newcomer = create_user("newcomer@example.nl", "another long passphrase", confirmed=True)
    newcomer.id = anna_id  # what SQLite's rowid reuse would give
    db.session.commit()
    assert db.session.get(User, anna_id) is not None

    thief = app.test_client()
    thief.set_cookie("session", cookie.value, domain=cookie.domain)
    assert "/account/login" in thief.get("/account/").headers["Location"]


def test_wrong_password_keeps_the_account_and_says_so(
    client: FlaskClient, outbox: Outbox, make_user: Callable[..., User]
) -> None:
    make_user("anna@example.nl")
    login(client, "anna@example.nl")
    mails_before = len(outbox.mails)
    response = client.post("/account/delete?lang=en", data={"password": "not my password"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and "Your password is not correct." in page
    assert 'aria-invalid="true"' in page
    assert count(User) == 1 and len(outbox.mails) == mails_before


def test_empty_password_is_asked_for_in_dutch(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    make_user("anna@example.nl")
    login(client, "anna@example.nl")
    response = client.post("/account/delete?lang=nl", data={"password": ""})
    assert response.status_code == 200
    assert "Vul uw wachtwoord in." in response.get_data(as_text=True)
    assert count(User) == 1


def test_the_only_admin_cannot_delete_their_account(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    make_user("admin@example.nl", role=Role.ADMIN)
    login(client, "admin@example.nl")
    response = client.post("/account/delete?lang=en", data={"password": PASSWORD})
    assert response.status_code == 200
    assert "You are the only administrator." in response.get_data(as_text=True)
    assert count(User) == 1


def test_erasers_of_other_areas_run_before_the_account_goes(
    client: FlaskClient, make_user: Callable[..., User], registry: None
) -> None:
    seen: list[tuple[str, bool]] = []

    def erase_events(user: User) -> None:
        seen.append((user.email, db.session.get(User, user.id) is not None))

    privacy.register("events", eraser=erase_events)
    make_user("anna@example.nl")
    login(client, "anna@example.nl")
    client.post("/account/delete", data={"password": PASSWORD})
    assert seen == [("anna@example.nl", True)]
    assert count(User) == 0


def test_delete_needs_a_login(client: FlaskClient) -> None:
    assert "/account/login" in client.get("/account/delete").headers["Location"]


# --- Purging what has expired --------------------------------------------------------


def _aged_user(email: str, days: int, confirmed: bool) -> User:
    user = new_user(email, confirmed=confirmed, password=PASSWORD)
    user.created_at = utcnow() - timedelta(days=days)
    return user


def test_purge_removes_only_unconfirmed_accounts_past_the_setting(db_app: Flask) -> None:
    old_unconfirmed = _aged_user("old@example.nl", 31, confirmed=False)
    _aged_user("young@example.nl", 29, confirmed=False)
    _aged_user("confirmed@example.nl", 400, confirmed=True)
    audit.record(old_unconfirmed, "something.done")
    db.session.commit()

    runner = db_app.test_cli_runner()
    first = runner.invoke(args=["purge-expired"])
    assert first.exit_code == 0, first.output
    assert "account: 1 removed" in first.output
    emails = set(db.session.scalars(select(User.email)))
    assert emails == {"young@example.nl", "confirmed@example.nl"}
    assert db.session.scalar(select(AuditEntry.actor_id)) is None  # the entry stays

    second = runner.invoke(args=["purge-expired"])
    assert second.exit_code == 0 and "account: 0 removed" in second.output


def test_purge_time_can_be_given_and_the_period_is_a_setting(
    app_factory: Callable[..., Flask],
) -> None:
    app = app_factory(UNCONFIRMED_ACCOUNT_DAYS=7)
    with app.app_context():
        _aged_user("eight@example.nl", 8, confirmed=False)
        _aged_user("six@example.nl", 6, confirmed=False)
        db.session.commit()
        runner = app.test_cli_runner()
        # A week in the past nothing is old enough yet.
        past = (utcnow() - timedelta(days=7)).isoformat()
        assert "account: 0 removed" in runner.invoke(args=["purge-expired", "--now", past]).output
        # Two days ahead both are; a time without offset counts as UTC.
        ahead = (datetime.now(UTC) + timedelta(days=2)).replace(tzinfo=None).isoformat()
        result = runner.invoke(args=["purge-expired", "--now", ahead])
        assert "account: 2 removed" in result.output
        assert count(User) == 0


def test_purge_refuses_a_time_that_is_not_iso(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["purge-expired", "--now", "next tuesday"])
    assert result.exit_code == 2
    assert "ISO 8601" in result.output


def test_purge_runs_every_areas_step(app: Flask, registry: None) -> None:
    moments: list[datetime] = []

    def purge_events(now: datetime) -> int:
        moments.append(now)
        return 3

    privacy.register("events", purge=purge_events)
    result = app.test_cli_runner().invoke(
        args=["purge-expired", "--now", "2026-03-01T04:00:00+01:00"]
    )
    assert "events: 3 removed" in result.output and "account: 0 removed" in result.output
    assert moments == [datetime(2026, 3, 1, 3, 0, tzinfo=UTC)]


def test_guessing_the_password_on_the_delete_page_is_rate_limited(
    app_factory: Callable[..., Flask],
) -> None:
    app = app_factory(RATELIMIT_ENABLED=True, LOGIN_LIMIT_PER_ACCOUNT="3 per minute")
    with app.app_context():
        from consult.services.accounts.auth import create_user

        create_user("anna@example.nl", PASSWORD, confirmed=True)
        db.session.commit()
        client = app.test_client()
        login(client, "anna@example.nl")
        answers = [
            client.post("/account/delete?lang=en", data={"password": f"guess {n}"}).status_code
            for n in range(4)
        ]
        assert answers == [200, 200, 200, 429]
        assert count(User) == 1
