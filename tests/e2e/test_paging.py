"""An official in a real browser pages through 130 responses (next page, a chosen page
size, a filter kept in the links) and hides a campaign of 81 near-identical answers in one
action, in Dutch and English, at 375 and 1280 pixels wide, every page checked with axe."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import Answer, AuditEntry, ModerationStatus
from tests.e2e.browser import PHONE, LiveServer, check_a11y, has_no_horizontal_scroll
from tests.factories.consultations import build_consultation
from tests.factories.insights import add_response

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 900}
CAMPAIGN = "Stop kweekvlees nu, het is onnatuurlijk en niemand heeft erom gevraagd"
WORDS = {
    "nl": {"of": "van", "next": "Volgende pagina", "show": "Tonen",
           "hide": "81 antwoorden verbergen",
           "waiting": "Wachten op moderatie: 130 open antwoorden",
           "after": "Wachten op moderatie: 49 open antwoorden",
           "hidden": "81 antwoorden verborgen."},
    "en": {"of": "of", "next": "Next page", "show": "Show", "hide": "Hide 81",
           "waiting": "Waiting for moderation: 130 open answers",
           "after": "Waiting for moderation: 49 open answers", "hidden": "81 answers hidden."},
}


def _seed(live_server: LiveServer) -> str:
    """130 responses with a pending open answer each; 81 of them one campaign."""
    with live_server.app.app_context(), live_server.app.test_request_context("/"):
        c = build_consultation()
        for n in range(130):
            text = (CAMPAIGN + ("!" if n % 2 else ".") if n < 81
                    else f"Mijn eigen mening, nummer {n}, over de smaak en de prijs.")
            add_response(c, text=text, moderation=ModerationStatus.PENDING)
        db.session.commit()
        return c.slug


def _log_in(page: Any, live_server: LiveServer, lang: str) -> None:
    page.goto(live_server(f"/account/login?lang={lang}"))
    page.fill("#email", "ambtenaar@consult.example")
    page.fill("#password", "demo-ambtenaar-2026")
    with page.expect_navigation():
        page.click("main form button[type=submit] >> nth=0")


def _check_at_both_widths(page: Any, first: dict[str, int]) -> None:
    """axe at this width and the other one; the page fits the phone's width."""
    for size in (first, DESKTOP if first == PHONE else PHONE):
        page.set_viewport_size(size)
        check_a11y(page)
        if size == PHONE:
            assert has_no_horizontal_scroll(page), page.url
    page.set_viewport_size(first)


@pytest.mark.parametrize(("lang", "viewport"), [("nl", PHONE), ("en", DESKTOP)])
def test_an_official_pages_through_responses_and_hides_a_campaign_at_once(
    live_server: LiveServer, new_page: Any, lang: str, viewport: dict[str, int]
) -> None:
    slug = _seed(live_server)
    words = WORDS[lang]
    page = new_page(locale="nl-NL" if lang == "nl" else "en-GB", viewport=viewport)
    _log_in(page, live_server, lang)

    # The response browser: 1–50 of 130, then the next page, with the filter kept.
    page.goto(live_server(f"/officials/consultations/{slug}/responses?category=citizen&lang={lang}"))
    assert page.inner_text(".pager-count") == f"1–50 {words['of']} 130"
    _check_at_both_widths(page, viewport)
    with page.expect_navigation():
        page.click(f"nav.pager >> text={words['next']}")
    assert "category=citizen" in page.url and "page=2" in page.url
    assert page.inner_text(".pager-count") == f"51–100 {words['of']} 130"
    assert page.inner_text("nav.pager [aria-current=page]").strip().endswith("2")
    # A smaller page size, chosen with the form under the list.
    page.select_option("#per_page", "25")
    with page.expect_navigation():
        page.click(f".pager-size button >> text={words['show']}")
    assert "per_page=25" in page.url and "category=citizen" in page.url
    assert page.inner_text(".pager-count") == f"1–25 {words['of']} 130"
    assert page.locator("details.response-item").count() == 25
    _check_at_both_widths(page, viewport)

    # Moderation: how many wait, and the campaign of 81 hidden in one action.
    page.goto(live_server(f"/officials/consultations/{slug}/moderation"))
    assert words["waiting"] in page.inner_text("main")
    _check_at_both_widths(page, viewport)
    with page.expect_navigation():
        page.click(".campaign a[href*='/moderation/groups/']")
    assert "81" in page.inner_text("#hide-count")
    _check_at_both_widths(page, viewport)
    page.fill("#reason", "Campagne: één inhoud, 81 keer ingestuurd")
    with page.expect_navigation():
        page.click(f"button[value=hide] >> text={words['hide']}")
    assert words["hidden"] in page.inner_text("main")
    assert words["after"] in page.inner_text("main")
    _check_at_both_widths(page, viewport)

    with live_server.app.app_context():
        hidden = db.session.scalars(select(Answer).where(
            Answer.moderation == ModerationStatus.HIDDEN)).all()
        assert len(hidden) == 81 and all(a.text and a.text.startswith("Stop") for a in hidden)
        assert {a.hidden_reason for a in hidden} == {"Campagne: één inhoud, 81 keer ingestuurd"}
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "answer.hide")) == 81
