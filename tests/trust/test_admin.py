"""Admin pages: the audit log and the accounts, for administrators only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.extensions import db
from consult.models import AuditEntry, Role, User, utcnow
from consult.services import audit
from tests.support.sessions import login

ADMIN_PAGES = ["/admin/audit", "/admin/users"]


@pytest.fixture
def admin_client(client: FlaskClient, make_user: Callable[..., User]) -> FlaskClient:
    make_user("admin@example.nl", role=Role.ADMIN)
    login(client, "admin@example.nl")
    return client


@pytest.mark.parametrize("path", ADMIN_PAGES)
@pytest.mark.parametrize("role", [Role.CITIZEN, Role.ORGANISER, Role.OFFICIAL])
def test_other_roles_get_403(
    client: FlaskClient, make_user: Callable[..., User], role: Role, path: str
) -> None:
    make_user("someone@example.nl", role=role)
    login(client, "someone@example.nl")
    response = client.get(path)
    assert response.status_code == 403 and "No access" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", [*ADMIN_PAGES, "/admin/users/1"])
def test_anonymous_people_are_sent_to_login(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_admin_sees_entries_newest_first_with_actor_and_local_time(
    admin_client: FlaskClient, make_user: Callable[..., User]
) -> None:
    anna = make_user("anna@example.nl", role=Role.ORGANISER)
    old = audit.record(anna, "event.created", anna, text="old one")
    old.at = utcnow() - timedelta(days=2)
    audit.record(None, "account.locked", anna)
    db.session.commit()
    page = admin_client.get("/admin/audit").get_data(as_text=True)
    assert page.index("Account locked after wrong passwords") < page.index("Event created")
    assert "anna@example.nl" in page and 'Text: <span lang="">old one</span>' in page
    assert "account.locked" not in page.replace('value="account.locked"', "")  # no raw code
    assert "<time datetime=" in page
    assert 'href="/admin/audit"' in page  # the nav link for admins


def test_audit_log_filters_by_action_and_by_actor(
    admin_client: FlaskClient, make_user: Callable[..., User]
) -> None:
    anna = make_user("anna@example.nl", role=Role.ORGANISER)
    bram = make_user("bram@example.nl", role=Role.OFFICIAL)
    audit.record(anna, "event.created", marker="anna-event")
    audit.record(bram, "event.created", marker="bram-event")
    audit.record(bram, "consultation.published", marker="bram-consultation")
    db.session.commit()

    by_action = admin_client.get("/admin/audit?action=event.created").get_data(as_text=True)
    assert "anna-event" in by_action and "bram-event" in by_action
    assert "bram-consultation" not in by_action

    by_actor = admin_client.get("/admin/audit?actor=BRAM@example").get_data(as_text=True)
    assert "bram-event" in by_actor and "bram-consultation" in by_actor
    assert "anna-event" not in by_actor

    both = admin_client.get("/admin/audit?action=event.created&actor=bram").get_data(as_text=True)
    assert "bram-event" in both and "anna-event" not in both and "bram-consultation" not in both

    # A wildcard is taken literally, not as "any".
    wildcard = admin_client.get("/admin/audit?actor=%25").get_data(as_text=True)
    assert "No entries match." in wildcard


def test_audit_log_pages_by_fifty(admin_client: FlaskClient) -> None:
    start = utcnow()
    for n in range(120):
        entry = audit.record(None, "test.step", n=f"step-{n:03d}")
        entry.at = start + timedelta(seconds=n)
    db.session.commit()
    first = admin_client.get("/admin/audit?lang=en").get_data(as_text=True)
    assert "step-119" in first and "step-070" in first and "step-069" not in first
    assert "1–50 of 120" in first and "page=2" in first
    third = admin_client.get("/admin/audit?page=3&lang=en").get_data(as_text=True)
    assert "step-019" in third and "step-000" in third and "step-020" not in third
    # A page past the end is the last page; not a number is the first; never an error.
    beyond = admin_client.get("/admin/audit?page=99&lang=en").get_data(as_text=True)
    assert "101–120 of 120" in beyond and "step-000" in beyond
    assert admin_client.get("/admin/audit?page=abc").status_code == 200
    assert admin_client.get("/admin/audit?page=-3").status_code == 200


def test_audit_log_pages_keep_the_filter_and_size_in_both_languages(
    admin_client: FlaskClient,
) -> None:
    for n in range(60):
        audit.record(None, "test.step", n=n)
    audit.record(None, "test.other")
    db.session.commit()
    english = admin_client.get("/admin/audit?lang=en&action=test.step&per_page=25")
    text = english.get_data(as_text=True)
    assert "1–25 of 60" in text and 'aria-label="Pages of the audit log"' in text
    assert "action=test.step&amp;per_page=25&amp;page=3" in text
    dutch = admin_client.get("/admin/audit?lang=nl&action=test.step&per_page=25&page=3")
    assert "51–60 van 60" in dutch.get_data(as_text=True)
    tampered = admin_client.get("/admin/audit?lang=en&action=test.step&per_page=9999")
    assert "1–50 of 60" in tampered.get_data(as_text=True)


def test_too_long_actor_filter_is_a_message_not_an_error(admin_client: FlaskClient) -> None:
    response = admin_client.get("/admin/audit?lang=en&actor=" + "a" * 300)
    assert response.status_code == 200
    assert "Use at most 254 characters." in response.get_data(as_text=True)


def test_users_list_searches_by_email_and_pages(
    admin_client: FlaskClient, make_user: Callable[..., User]
) -> None:
    from consult.services.accounts.auth import create_user

    for n in range(55):
        create_user(f"person{n:02d}@example.nl", "correct horse battery")
    make_user("kees@elders.nl")
    found = admin_client.get("/admin/users?q=ELDERS").get_data(as_text=True)
    assert "kees@elders.nl" in found and "person00@example.nl" not in found
    first = admin_client.get("/admin/users?lang=en").get_data(as_text=True)
    assert "1–50 of 57" in first and 'aria-current="page"' in first
    dutch = admin_client.get("/admin/users?lang=nl&q=example.nl&page=2").get_data(as_text=True)
    assert "51–56 van 56" in dutch and "q=example.nl&amp;page=1" in dutch


def test_admin_changes_a_role_and_it_is_audit_logged(
    admin_client: FlaskClient, make_user: Callable[..., User]
) -> None:
    anna = make_user("anna@example.nl")
    response = admin_client.post(f"/admin/users/{anna.id}", data={"role": "official"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, anna.id).role == Role.OFFICIAL  # type: ignore[union-attr]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.role_changed"))
    assert entry is not None
    assert entry.object_type == "user" and entry.object_id == anna.id
    assert entry.detail == {"old": "citizen", "new": "official"}
    admin = db.session.scalar(select(User).where(User.email == "admin@example.nl"))
    assert admin is not None and entry.actor_id == admin.id


def test_an_admin_cannot_demote_themself(admin_client: FlaskClient) -> None:
    admin = db.session.scalar(select(User).where(User.email == "admin@example.nl"))
    assert admin is not None
    response = admin_client.post(f"/admin/users/{admin.id}?lang=en", data={"role": "citizen"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and "You cannot change your own role." in page
    db.session.expire_all()
    assert db.session.get(User, admin.id).role == Role.ADMIN  # type: ignore[union-attr]
    assert db.session.scalar(select(AuditEntry)) is None


def test_an_unknown_role_is_refused_with_a_message(
    admin_client: FlaskClient, make_user: Callable[..., User]
) -> None:
    anna = make_user("anna@example.nl")
    response = admin_client.post(f"/admin/users/{anna.id}?lang=en", data={"role": "emperor"})
    assert response.status_code == 200
    assert "There is a problem" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, anna.id).role == Role.CITIZEN  # type: ignore[union-attr]


def test_an_unknown_account_is_404(admin_client: FlaskClient) -> None:
    assert admin_client.get("/admin/users/99999").status_code == 404


def test_audit_page_on_both_databases(db_app: Flask) -> None:
    from consult.services.accounts.auth import create_user

    admin = create_user("admin@example.nl", "correct horse battery", Role.ADMIN, confirmed=True)
    audit.record(admin, "answer.hide", reason="x_y")
    db.session.commit()
    client = db_app.test_client()
    login(client, "admin@example.nl")
    page = client.get("/admin/audit?actor=admin@&action=answer.hide&lang=en").get_data(
        as_text=True)
    assert "Answer hidden" in page and 'Reason: <span lang="">x_y</span>' in page
    literal = client.get("/admin/audit?actor=adm_n&lang=en").get_data(as_text=True)
    assert "No entries match." in literal
