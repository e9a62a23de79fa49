"""Guided coding in a real browser, in nl and en, with axe on every step: an official codes
answers by hand, accepts the suggestions in bulk, and sees the counts per principle in the
report on the analysis page."""

from __future__ import annotations

from typing import Any

import pytest

from consult.extensions import db
from tests.e2e.browser import LiveServer, check_a11y
from tests.factories.consultations import build_consultation
from tests.factories.insights import add_response
from tests.support.free_text_set import PRINCIPLE_OF, free_text_set

pytestmark = pytest.mark.e2e
PER_THEME = 4
BY_HAND = 2


def _seed(live_server: LiveServer, lang: str) -> tuple[str, list[tuple[str, str]]]:
    texts, themes = free_text_set(lang)
    chosen: list[tuple[str, str]] = []
    for theme in PRINCIPLE_OF:
        chosen += [(t, PRINCIPLE_OF[theme]) for t, th in zip(texts, themes, strict=True)
                   if th == theme][:PER_THEME]
    with live_server.app.test_request_context("/"):
        c = build_consultation()
        for text, _ in chosen:
            add_response(c, text=text, locale=lang)
        db.session.commit()
        return c.slug, chosen


def _login(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server("/account/login"))
    page.fill("#email", "ambtenaar@consult.example")
    page.fill("#password", "demo-ambtenaar-2026")
    with page.expect_navigation():
        page.click("main button[type=submit]")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_official_codes_accepts_in_bulk_and_sees_the_counts(live_server: LiveServer,
                                                            page: Any, lang: str) -> None:
    slug, chosen = _seed(live_server, lang)
    _login(page, live_server)
    page.goto(live_server(f"/officials/consultations/{slug}/analysis/coding?lang={lang}"))
    assert page.locator("html").get_attribute("lang") == lang
    check_a11y(page)
    # Code two answers per principle by hand, choosing from each answer's own select.
    coded = 0
    per_code: dict[str, int] = {}
    for text, code in chosen:
        if per_code.get(code, 0) == BY_HAND:
            continue
        per_code[code] = per_code.get(code, 0) + 1
        row = page.locator("tr", has=page.get_by_text(text, exact=True))
        row.get_by_role("combobox").select_option(code)
        coded += 1
    with page.expect_navigation():
        page.click("button[value=save]")
    assert page.locator(".flash, [role=status], .notice-success").first.is_visible()
    check_a11y(page)
    # Suggestions now show, with how sure they are (stored at the save, read by the page).
    boxes = page.locator("input[type=checkbox][name^=accept-]")
    assert boxes.count() == len(chosen) - coded
    # A new answer makes them out of date: the page says so and updates them on request.
    with live_server.app.test_request_context("/"):
        from consult.models import Consultation
        consultation = db.session.scalars(db.select(Consultation).filter_by(slug=slug)).one()
        add_response(consultation, text=chosen[0][0] + " " + chosen[1][0], locale=lang)
        db.session.commit()
    page.reload()
    stale = page.locator("button[value=refresh]")
    assert stale.is_visible()
    check_a11y(page)
    with page.expect_navigation():
        stale.click()
    assert page.locator("button[value=refresh]").count() == 0
    assert boxes.count() == len(chosen) + 1 - coded
    # Tick two suggestions and accept those; then accept every other one at once.
    boxes.nth(0).check()
    boxes.nth(1).check()
    with page.expect_navigation():
        page.click("button[value=accept]")
    assert boxes.count() == len(chosen) + 1 - coded - 2
    check_a11y(page)
    with page.expect_navigation():
        page.click("button[value=accept_all]")
    assert page.locator("input[type=checkbox][name^=accept-]").count() == 0
    check_a11y(page)
    # The download names who coded by pseudonym, never by email address.
    download = page.request.get(
        live_server(f"/officials/consultations/{slug}/analysis/coding.csv"))
    body = download.text()
    assert download.ok and "official-1" in body and "@" not in body
    # The report on the analysis page counts every answer once, per principle.
    page.goto(live_server(f"/officials/consultations/{slug}/analysis?lang={lang}"))
    table = page.locator("section[aria-labelledby=coding-title] table")
    counts = [int(c) for c in table.locator("tbody td").all_inner_texts()]
    assert sum(counts) == len(chosen) + 1 and counts.count(0) >= 1  # "other" never taught
    check_a11y(page)
