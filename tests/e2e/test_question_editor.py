"""The officials' question editor in a real browser, by keyboard, in Dutch and English:
a statements question with two statements and their principles (a row added, moved and
removed on the way, the error summary on a mistake), and a ranking of the ethical
principles; every state checked with axe on a phone-sized and a desktop screen."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.models import Question, QuestionKind
from consult.services.catalogue import PRINCIPLES
from tests.e2e.browser import PHONE, LiveServer, check_a11y, has_no_horizontal_scroll
from tests.factories.consultations import build_consultation

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 900}


def _draft(live_server: LiveServer) -> str:
    with live_server.app.app_context(), live_server.app.test_request_context("/"):
        return build_consultation(opened=False).slug


def _log_in(page: Any, live_server: LiveServer, lang: str) -> None:
    page.goto(live_server(f"/account/login?lang={lang}"))
    page.fill("#email", "ambtenaar@consult.example")
    page.fill("#password", "demo-ambtenaar-2026")
    page.press("#password", "Enter")
    page.wait_for_url("**/account/overview")


def _check_both_widths(page: Any, viewport: dict[str, int]) -> None:
    """axe and no sideways scrolling at this width, then at the other."""
    for size in (viewport, DESKTOP if viewport == PHONE else PHONE):
        page.set_viewport_size(size)
        check_a11y(page)
        assert has_no_horizontal_scroll(page)
    page.set_viewport_size(viewport)


def _focused(page: Any) -> str:
    return str(page.evaluate("document.activeElement ? document.activeElement.id : ''"))


def _focus_moves_to(page: Any, element_id: str) -> bool:
    """Has the focus reached `element_id`? A new page's `autofocus` is applied when the
    browser next renders, which can come a moment after the load event: wait for it."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with contextlib.suppress(PlaywrightTimeout):  # the caller's assertion names the focus
        page.wait_for_function(
            "id => document.activeElement && document.activeElement.id === id",
            arg=element_id, timeout=5000)
    return _focused(page) == element_id


def _press_on(page: Any, selector: str, key: str = "Enter") -> None:
    page.focus(selector)
    with page.expect_navigation():
        page.keyboard.press(key)


def _question(live_server: LiveServer, text_nl: str) -> dict[str, Any]:
    with live_server.app.app_context():
        q = db.session.scalars(select(Question).filter_by(text_nl=text_nl)).one()
        return {"kind": q.kind, "options": [(o.label_nl, o.label_en) for o in q.options],
                "statements": [(s.text_nl, s.text_en, s.principle_codes)
                               for s in q.statements]}


@pytest.mark.parametrize(("lang", "viewport"), [("nl", PHONE), ("en", DESKTOP)])
def test_an_official_adds_a_statements_question_by_keyboard(
    live_server: LiveServer, new_page: Any, lang: str, viewport: dict[str, int]
) -> None:
    slug = _draft(live_server)
    page = new_page(locale="nl-NL" if lang == "nl" else "en-GB", viewport=viewport)
    _log_in(page, live_server, lang)
    page.goto(live_server(f"/officials/consultations/{slug}/questions/new"))
    _check_both_widths(page, viewport)
    page.select_option("#kind", "statements")
    # Saved without a question text: the summary takes the focus, the rows stay.
    page.focus("#statements-0-nl")
    page.keyboard.type("Kweekvlees is veilig")
    _press_on(page, "#page")  # Enter in a text field saves (the first submit button)
    page.wait_for_function(
        "document.activeElement && document.activeElement.classList.contains('error-summary')")
    assert page.input_value("#statements-0-nl") == "Kweekvlees is veilig"
    _check_both_widths(page, viewport)
    page.focus("#text_nl")
    page.keyboard.type("Wat vindt u van deze stellingen?")
    page.keyboard.press("Tab")
    page.keyboard.type("What do you think of these statements?")
    page.focus("#statements-0-en")
    page.keyboard.type("Cultivated meat is safe")
    page.keyboard.press("Tab")  # the first principle: safety
    assert _focus_moves_to(page, "statements-0-principles-0"), _focused(page)
    page.keyboard.press("Space")
    page.focus("#statements-1-nl")
    page.keyboard.type("Boeren moeten meedelen")
    page.keyboard.press("Tab")
    page.keyboard.type("Farmers should share in it")
    page.focus("#statements-1-principles-4")  # justice
    page.keyboard.press("Space")
    # One row more: the new row has the focus, typing goes into it.
    _press_on(page, "button[value=add-statements]")
    assert _focus_moves_to(page, "statements-2-nl"), _focused(page)
    page.keyboard.type("Een rij die weg moet")
    # Moved up: the moved row's button keeps the focus, the text moves with it.
    _press_on(page, "#statements-2-up")
    assert _focus_moves_to(page, "statements-1-up"), _focused(page)
    assert page.input_value("#statements-1-nl") == "Een rij die weg moet"
    assert page.input_value("#statements-2-nl") == "Boeren moeten meedelen"
    assert page.is_checked("#statements-2-principles-4")
    _check_both_widths(page, viewport)
    page.focus("#statements-1-remove")
    page.keyboard.press("Space")
    _press_on(page, "#page")
    assert page.url.endswith(f"/officials/consultations/{slug}#questions")
    saved = _question(live_server, "Wat vindt u van deze stellingen?")
    assert saved["kind"] == QuestionKind.STATEMENTS
    assert saved["statements"] == [
        ("Kweekvlees is veilig", "Cultivated meat is safe", ["safety"]),
        ("Boeren moeten meedelen", "Farmers should share in it", ["justice"])]


@pytest.mark.parametrize(("lang", "viewport"), [("nl", PHONE), ("en", DESKTOP)])
def test_an_official_ranks_the_ethical_principles(
    live_server: LiveServer, new_page: Any, lang: str, viewport: dict[str, int]
) -> None:
    slug = _draft(live_server)
    page = new_page(locale="nl-NL" if lang == "nl" else "en-GB", viewport=viewport)
    _log_in(page, live_server, lang)
    page.goto(live_server(f"/officials/consultations/{slug}/questions/new"))
    page.focus("#text_nl")
    page.keyboard.type("Zet de principes in volgorde")
    _press_on(page, "button[value=principles]")
    assert page.input_value("#kind") == "ranking"
    assert _focus_moves_to(page, "options-0-nl"), _focused(page)
    assert [(page.input_value(f"#options-{i}-nl"), page.input_value(f"#options-{i}-en"))
            for i in range(len(PRINCIPLES))] == [(nl, en) for _, nl, en, _, _ in PRINCIPLES]
    assert page.input_value("#text_nl") == "Zet de principes in volgorde"
    _check_both_widths(page, viewport)
    _press_on(page, "#page")
    assert page.url.endswith("#questions")
    saved = _question(live_server, "Zet de principes in volgorde")
    assert saved["kind"] == QuestionKind.RANKING
    assert saved["options"] == [(nl, en) for _, nl, en, _, _ in PRINCIPLES]
