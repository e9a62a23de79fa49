"""Scales as people see them: on a wide screen a 1-5 scale is one row, and the principle
ratings are a grid (a row per principle, the scale's words once, in its head); on a phone
every option is a row of its own, with its words beside it. Both pass axe, in nl and en."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.browser import PHONE, LiveServer, check_a11y, has_no_horizontal_scroll
from tests.e2e.respondent import PRINCIPLES, make, submit

DESKTOP = {"width": 1280, "height": 900}

#: Per fieldset of a scale: how many rows its five buttons take on the screen.
ROWS = """sel => [...document.querySelectorAll(sel)].map(f => new Set(
    [...f.querySelectorAll('input[type=radio]')].map(i => Math.round(i.getBoundingClientRect().top))
).size)"""


def _first_question_page(live_server: LiveServer, new_page: Any, lang: str,
                         screen: dict[str, int]) -> tuple[Any, dict[str, Any]]:
    ids = make(live_server)
    page = new_page(locale="nl-NL" if lang == "nl" else "en-GB", viewport=screen)
    page.goto(live_server(f"/consultations/{ids['slug']}/respond?lang={lang}"))
    page.check("#category-citizen")
    page.check("#consent-publish_anonymously")
    page.check("#age_confirmed")
    submit(page)
    assert "/respond/1" in page.url
    return page, ids


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_on_a_wide_screen_scales_are_rows_and_principles_a_grid(
    live_server: LiveServer, new_page: Any, lang: str,
) -> None:
    page, ids = _first_question_page(live_server, new_page, lang, DESKTOP)
    rating = f"#q{ids['rating']}-question"
    assert page.evaluate(ROWS, f"{rating} fieldset.scale") == [1] * len(PRINCIPLES)
    assert page.evaluate(ROWS, f"#q{ids['likert']}-question") == [1]
    head = page.locator(f"{rating} .scale-grid-head")
    assert head.is_visible()
    very = "Heel belangrijk" if lang == "nl" else "Very important"
    assert very in head.inner_text()
    # The words are in the head once; each row shows numbers, its words only for screen
    # readers (still the button's accessible name).
    safety = page.locator(f"#q{ids['rating']}-safety-5")
    hidden_words = page.locator(f"label[for=q{ids['rating']}-safety-5] .scale-label")
    box = hidden_words.bounding_box()
    assert box is not None and box["width"] <= 1 and box["height"] <= 1  # visually hidden
    assert very in (safety.evaluate("i => i.labels[0].textContent") or "")
    # The head's columns stand above the rows' buttons.
    head_x = [round(b["x"] + b["width"] / 2) for b in
              (s.bounding_box() for s in head.locator(":scope > span").all()) if b]
    row_x = [round(b["x"] + b["width"] / 2) for b in
             (page.locator(f"#q{ids['rating']}-safety-{v}").bounding_box() for v in range(1, 6))
             if b]
    assert len(head_x) == len(row_x) == 5
    assert all(abs(h - r) <= 2 for h, r in zip(head_x, row_x, strict=True)), (head_x, row_x)
    check_a11y(page)
    assert has_no_horizontal_scroll(page)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_on_a_phone_every_option_is_a_row_with_its_words(
    live_server: LiveServer, new_page: Any, lang: str,
) -> None:
    page, ids = _first_question_page(live_server, new_page, lang, PHONE)
    rating = f"#q{ids['rating']}-question"
    assert page.evaluate(ROWS, f"{rating} fieldset.scale") == [5] * len(PRINCIPLES)
    assert not page.locator(f"{rating} .scale-grid-head").is_visible()
    words = "Heel belangrijk" if lang == "nl" else "Very important"
    assert page.locator(f"label[for=q{ids['rating']}-safety-5]").inner_text().endswith(words)
    check_a11y(page)
    assert has_no_horizontal_scroll(page)
