"""Trust pages in a real browser: axe in Dutch and English, and the flows by keyboard."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from consult.extensions import db
from consult.models import User
from consult.services import audit
from tests.e2e.browser import NARROW, LiveServer, check_a11y, has_no_horizontal_scroll

pytestmark = pytest.mark.e2e

ADMIN = ("beheer@consult.example", "demo-beheer-2026")
CITIZEN = ("burger@consult.example", "demo-burger-2026")


def log_in(page: Any, live_server: LiveServer, who: tuple[str, str]) -> None:
    page.goto(live_server("/account/login"))
    page.fill("#email", who[0])
    page.fill("#password", who[1])
    with page.expect_navigation():
        page.click("main button[type=submit]")


def _seed_audit(live_server: LiveServer) -> None:
    with live_server.app.app_context():
        admin = db.session.scalar(db.select(User).where(User.email == ADMIN[0]))
        audit.record(admin, "user.role_changed", admin, old="official", new="admin")
        audit.record(None, "account.locked")
        db.session.commit()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_trust_pages_pass_axe(live_server: LiveServer, new_page: Any, lang: str) -> None:
    _seed_audit(live_server)
    page = new_page(locale=f"{lang}-NL" if lang == "nl" else "en-GB")
    for path in ["/privacy", "/accessibility"]:
        page.goto(live_server(f"{path}?lang={lang}"))
        assert page.locator("html").get_attribute("lang") == lang
        check_a11y(page)
    log_in(page, live_server, ADMIN)
    with live_server.app.app_context():
        admin_id = db.session.scalar(db.select(User.id).where(User.email == ADMIN[0]))
    for path in ["/account/", "/account/my-data", "/account/delete", "/admin/audit",
                 "/admin/audit?actor=beheer", "/admin/users", f"/admin/users/{admin_id}"]:
        joiner = "&" if "?" in path else "?"
        page.goto(live_server(f"{path}{joiner}lang={lang}"))
        check_a11y(page)
    # Forms in their error state.
    page.goto(live_server(f"/account/delete?lang={lang}"))
    page.fill("#password", "not my password")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    check_a11y(page)
    page.goto(live_server(f"/admin/users/{admin_id}?lang={lang}"))
    page.check("#role-0")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    check_a11y(page)


def test_admin_pages_fit_a_narrow_screen(live_server: LiveServer, new_page: Any) -> None:
    _seed_audit(live_server)
    page = new_page(viewport=NARROW)
    log_in(page, live_server, ADMIN)
    for path in ["/admin/audit", "/admin/users", "/account/delete", "/privacy"]:
        page.goto(live_server(path))
        assert has_no_horizontal_scroll(page), path


def test_download_then_delete_my_account_by_keyboard(
    live_server: LiveServer, page: Any, tmp_path: Path
) -> None:
    log_in(page, live_server, CITIZEN)
    page.goto(live_server("/account/?lang=en"))
    page.get_by_role("link", name="Download my data").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_role("button", name="Download my data").focus()
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    saved = tmp_path / "data.json"
    info.value.save_as(saved)
    data = json.loads(saved.read_text())
    assert data["areas"]["account"]["email"] == CITIZEN[0]

    page.goto(live_server("/account/delete?lang=en"))
    page.focus("#password")
    page.keyboard.type(CITIZEN[1])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("text=Your account and your data are deleted.").is_visible()
    assert page.get_by_role("link", name="Log in").is_visible()
    with live_server.app.app_context():
        assert db.session.scalar(db.select(User).where(User.email == CITIZEN[0])) is None
