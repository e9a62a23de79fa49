"""A respondent in the browser: the consultation to answer, and answering its three pages."""

from __future__ import annotations

from typing import Any

from consult.models import QuestionKind
from tests.e2e.browser import LiveServer, check_a11y, has_no_horizontal_scroll
from tests.factories.consultations import build_consultation


def make(live_server: LiveServer) -> dict[str, Any]:
    """An open consultation with every kind; returns the ids a test needs."""
    with live_server.app.app_context(), live_server.app.test_request_context("/"):
        c = build_consultation()
        by_kind: dict[QuestionKind, list[Any]] = {}
        for q in c.questions:
            by_kind.setdefault(q.kind, []).append(q)
        return {
            "slug": c.slug, "id": c.id, "title": {"nl": c.title_nl, "en": c.title_en},
            "rating": by_kind[QuestionKind.PRINCIPLE_RATING][0].id,
            "statements": by_kind[QuestionKind.STATEMENTS][0].id,
            "statement_ids": [s.id for s in by_kind[QuestionKind.STATEMENTS][0].statements],
            "likert": by_kind[QuestionKind.LIKERT][0].id,
            "single": by_kind[QuestionKind.SINGLE_CHOICE][0].id,
            "single_options": [o.id for o in by_kind[QuestionKind.SINGLE_CHOICE][0].options],
            "ranking": by_kind[QuestionKind.RANKING][0].id,
            "ranking_options": [o.id for o in by_kind[QuestionKind.RANKING][0].options],
            "open": by_kind[QuestionKind.OPEN_TEXT][0].id,
            "conditional": by_kind[QuestionKind.OPEN_TEXT][1].id,
        }


PRINCIPLES = ["safety", "broad-prosperity", "freedom-of-choice", "naturalness", "justice",
              "legitimacy", "strategic-autonomy"]


def submit(page: Any) -> None:
    """Sends the page's form and waits for the next page: reading the page before the new
    document has loaded can find it empty."""
    with page.expect_navigation():
        page.click("main form button[type=submit] >> nth=0")


def answer_all(page: Any, ids: dict[str, Any], text: str, proposal: str = "") -> None:
    """Pages 1 to 3, each checked with axe."""
    for code in PRINCIPLES:
        page.check(f"#q{ids['rating']}-{code}-4")
    for sid in ids["statement_ids"]:
        page.check(f"#q{ids['statements']}-s{sid}-agree")
    if proposal:
        page.fill(f"#q{ids['statements']}-new", proposal)
    page.check(f"#q{ids['likert']}-5")
    check_a11y(page)
    submit(page)
    page.check(f"#q{ids['single']}-{ids['single_options'][1]}")  # "No": no conditional
    for place, option in enumerate(ids["ranking_options"], start=1):
        page.select_option(f"#q{ids['ranking']}-o{option}", str(place))
    check_a11y(page)
    submit(page)
    assert page.locator(f"#q{ids['conditional']}").count() == 0
    page.fill(f"#q{ids['open']}", text)
    check_a11y(page)
    assert has_no_horizontal_scroll(page)
    submit(page)
