"""Every foundation page, in Dutch and English, passes axe; forms work by keyboard."""

from __future__ import annotations

import re
from typing import Any

import pytest

from consult.mail import read_outbox
from tests.e2e.browser import NARROW, PHONE, LiveServer, check_a11y, has_no_horizontal_scroll

pytestmark = pytest.mark.e2e

PAGES = [
    "/",
    "/about",
    "/privacy",
    "/accessibility",
    "/consultations/",
    "/events/",
    "/account/login",
    "/account/register",
    "/account/forgot-password",
    "/account/check-your-mail",
    "/no-such-page",
]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_page_passes_axe_in_both_languages(
    live_server: LiveServer, page: Any, lang: str
) -> None:
    for path in PAGES:
        page.goto(live_server(f"{path}?lang={lang}"))
        assert page.locator("html").get_attribute("lang") == lang
        check_a11y(page)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_form_errors_pass_axe_and_keep_what_was_typed(
    live_server: LiveServer, page: Any, lang: str
) -> None:
    page.goto(live_server(f"/account/register?lang={lang}"))
    page.fill("#email", "not-an-email")
    page.fill("#password", "short")
    page.fill("#confirm", "different")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    # Focus moves to the summary, and its links lead to the fields.
    # The script moves focus after load; wait for it rather than race it.
    page.wait_for_function("document.activeElement.classList.contains('error-summary')")
    assert page.input_value("#email") == "not-an-email"
    summary.locator("a[href='#email']").click()
    assert page.evaluate("document.activeElement.id") in {"email", ""}
    check_a11y(page)


def test_keyboard_reaches_skip_link_then_main(live_server: LiveServer, page: Any) -> None:
    page.goto(live_server("/"))
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "skip-link" in focused
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("viewport", [NARROW, PHONE])
def test_narrow_screens_need_no_horizontal_scrolling(
    live_server: LiveServer, new_page: Any, viewport: dict[str, int]
) -> None:
    page = new_page(viewport=viewport)
    for path in ["/", "/account/login", "/account/register", "/about"]:
        page.goto(live_server(path))
        assert has_no_horizontal_scroll(page), path


def test_register_confirm_login_logout_by_keyboard(live_server: LiveServer, page: Any) -> None:
    page.goto(live_server("/account/register?lang=en"))
    page.focus("#email")
    page.keyboard.type("kees@example.nl")
    page.keyboard.press("Tab")
    page.keyboard.type("a long passphrase for kees")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "confirm"
    page.keyboard.type("a long passphrase for kees")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "check-your-mail" in page.url
    check_a11y(page)

    outbox = live_server.app.config["MAIL_OUTBOX"]
    body = read_outbox(outbox)[-1].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    link = re.search(r"http://[^/\s]+(/account/confirm/\S+)", body)
    assert link, body
    page.goto(live_server(link.group(1)))
    assert "/account/login" in page.url
    page.fill("#email", "kees@example.nl")
    page.fill("#password", "a long passphrase for kees")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("text=You are logged in.").is_visible()
    page.goto(live_server("/account/"))
    check_a11y(page)
    with page.expect_navigation():
        page.click("nav button:has-text('Log out')")
    assert page.locator("text=You are logged out.").is_visible()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_on_a_phone_the_menu_folds_behind_one_button_that_works_by_keyboard(
    live_server: LiveServer, new_page: Any, lang: str
) -> None:
    page = new_page(viewport={"width": 320, "height": 640})
    page.goto(live_server(f"/?lang={lang}"))
    events = "Bijeenkomsten" if lang == "nl" else "Events"
    menu = page.locator(".menu-toggle")
    nav_link = page.locator(f".main-nav a:text-is('{events}')")
    assert menu.is_visible() and not nav_link.is_visible()
    assert menu.get_attribute("aria-expanded") == "false"
    header_height = page.evaluate("document.querySelector('.site-header').offsetHeight")
    assert header_height < 160, header_height  # the page starts on the first screen
    menu.focus()
    page.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "true" and nav_link.is_visible()
    check_a11y(page)
    assert has_no_horizontal_scroll(page)
    page.keyboard.press("Tab")  # into the opened menu, then follow a link by keyboard
    with page.expect_navigation():
        nav_link.focus()
        page.keyboard.press("Enter")
    assert "/events/" in page.url
    # On a wide screen there is no button: the menu is simply there.
    wide = new_page()
    wide.goto(live_server(f"/?lang={lang}"))
    assert not wide.locator(".menu-toggle").is_visible()
    assert wide.locator(f".main-nav a:text-is('{events}')").is_visible()
