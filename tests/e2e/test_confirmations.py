"""An official closes a consultation through its confirmation page, by keyboard alone,
in Dutch and English, on a phone and a desktop screen; every page passes axe. Going
back from the confirmation page changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.models import Consultation, ConsultationStatus
from tests.e2e.browser import PHONE, LiveServer, check_a11y, has_no_horizontal_scroll
from tests.factories.consultations import build_consultation

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 900}
WORDS = {
    "nl": {"close": "Nu sluiten", "heading": "De consultatie nu sluiten?",
           "back": "Terug zonder iets te wijzigen", "confirm": "De consultatie sluiten",
           "closed": "Gesloten"},
    "en": {"close": "Close now", "heading": "Close the consultation now?",
           "back": "Go back without changing anything", "confirm": "Close the consultation",
           "closed": "Closed"},
}


def _seed(live_server: LiveServer) -> str:
    with live_server.app.test_request_context("/"):
        consultation = build_consultation()
        db.session.commit()
        return consultation.slug


def _status(live_server: LiveServer, slug: str) -> ConsultationStatus:
    with live_server.app.app_context():
        found = db.session.scalar(select(Consultation).filter_by(slug=slug))
        assert found is not None
        return found.status


def _login(page: Any, live_server: LiveServer, lang: str) -> None:
    page.goto(live_server(f"/account/login?lang={lang}"))
    page.fill("#email", "ambtenaar@consult.example")
    page.fill("#password", "demo-ambtenaar-2026")
    with page.expect_navigation():
        page.click("main button[type=submit]")


def _tab_to(page: Any, name: str, limit: int = 80) -> None:
    """Press Tab until the focused link or button reads `name`; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "document.activeElement ? document.activeElement.innerText.trim() : ''")
        if focused == name:
            return
    raise AssertionError(f"Tab never reached {name!r} on {page.url}")


def _press_enter(page: Any) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_an_official_closes_a_consultation_through_its_confirmation_page_by_keyboard(
    live_server: LiveServer, new_page: Any, lang: str, viewport: dict[str, int]
) -> None:
    words = WORDS[lang]
    slug = _seed(live_server)
    page = new_page(locale="nl-NL" if lang == "nl" else "en-GB", viewport=viewport)
    _login(page, live_server, lang)
    edit = live_server(f"/officials/consultations/{slug}")
    page.goto(f"{edit}?lang={lang}")  # saves the language as the account's preference
    page.goto(edit)
    check_a11y(page)

    _tab_to(page, words["close"])
    _press_enter(page)  # a link: the confirmation page, nothing changed yet
    assert page.locator("h1").inner_text() == words["heading"]
    assert page.locator("html").get_attribute("lang") == lang
    assert has_no_horizontal_scroll(page)
    check_a11y(page)
    _tab_to(page, words["back"])
    _press_enter(page)
    assert page.url == edit
    assert _status(live_server, slug) == ConsultationStatus.OPEN

    _tab_to(page, words["close"])
    _press_enter(page)
    _tab_to(page, words["confirm"])
    _press_enter(page)
    assert page.url == edit
    assert page.locator(".badge").first.inner_text() == words["closed"]
    check_a11y(page)
    assert _status(live_server, slug) == ConsultationStatus.CLOSED
