"""The officials' analysis page on the demo data, in a real browser, nl and en, with axe:
it leads with the story (groups, common ground, what changed at the tasting, the written
answers), then the map, then the detail; the held tasting's 20 pairs show a shift."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from consult.demo.consultations import SLUG
from consult.demo.steps import load_demo_data
from consult.demo.tasting_rounds import TITLE_EN, TITLE_NL
from consult.extensions import db
from consult.models import AnalysisStatus, Consultation
from tests.e2e.browser import PHONE, LiveServer, check_a11y, has_no_horizontal_scroll

pytestmark = pytest.mark.e2e

WORDS = {
    "nl": {"story": "In het kort", "groups": "Meningsgroepen", "group": "Groep A",
           "tasting": "Wat er bij de proeverij veranderde", "title": TITLE_NL,
           "pairs": "vulden 20 mensen die bij de ingang waren ingecheckt",
           "change": "Na de proeverij waren deelnemers het minder eens met ‘Kweekvlees is "
                     "onnatuurlijk", "map": "Meningenkaart",
           "table": "Verandering per vraag en principe", "too_few": "te weinig"},
    "en": {"story": "In short", "groups": "Opinion groups", "group": "Group A",
           "tasting": "What changed at the tasting", "title": TITLE_EN,
           "pairs": "20 people who were checked in answered before and after",
           "change": "After the tasting, participants agreed less with “Cultivated meat is "
                     "unnatural", "map": "Opinion map",
           "table": "Change per question and principle", "too_few": "too few"},
}


def _seed(live_server: LiveServer) -> None:
    from consult.services.insights import run as analysis

    with live_server.app.test_request_context("/"):
        load_demo_data(lambda _label, _total: (lambda _n=1: None))
        db.session.commit()
        consultation = db.session.scalar(select(Consultation).filter_by(slug=SLUG))
        assert consultation is not None
        run = analysis.run(consultation)
        db.session.commit()
        assert run.status == AnalysisStatus.DONE, run.error


def _login(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server("/account/login"))
    page.fill("#email", "ambtenaar@consult.example")
    page.fill("#password", "demo-ambtenaar-2026")
    with page.expect_navigation():
        page.click("main button[type=submit]")


def _shoot(page: Any, name: str, parts: dict[str, Any]) -> None:
    """With CONSULT_SCREENSHOTS set: the whole page and each part, for people to look at."""
    folder = os.environ.get("CONSULT_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
        page.screenshot(path=str(Path(folder) / f"{name}-top.png"))
        for part, locator in parts.items():
            locator.screenshot(path=str(Path(folder) / f"{name}-{part}.png"))


def test_the_analysis_page_tells_the_demo_story_in_dutch_and_english(
    live_server: LiveServer, new_page: Any,
) -> None:
    _seed(live_server)
    for viewport, width in ((None, 1280), (PHONE, 375)):
        page = new_page(viewport=viewport)
        _login(page, live_server)
        for lang, words in WORDS.items():
            page.goto(live_server(f"/officials/consultations/{SLUG}/analysis?lang={lang}"))
            assert page.locator("html").get_attribute("lang") == lang
            assert page.locator("h1").count() == 1
            story = page.locator("section.analysis-story")
            assert story.locator("h2").inner_text() == words["story"]
            for heading in ("groups", "tasting"):
                assert story.locator("h3", has_text=words[heading]).is_visible()
            text = story.inner_text()
            assert words["group"] in text and words["title"] in text
            assert words["pairs"] in text and words["change"] in text
            assert "English" not in text and "Nederlands" not in text
            # The story comes first, then the map, then the detail (the shift table).
            map_heading = page.locator("h2", has_text=words["map"])
            assert story.bounding_box()["y"] < map_heading.bounding_box()["y"]
            table = page.locator("table", has=page.locator(
                "caption", has_text=words["table"])).first
            assert map_heading.bounding_box()["y"] < table.bounding_box()["y"]
            held = page.locator("section", has=page.locator("h2", has_text=words["title"]))
            assert held.locator(".notice-warning").count() == 0  # 20 pairs: not "too few"
            assert words["too_few"] not in held.locator("tbody tr").first.inner_text()
            check_a11y(page)
            assert has_no_horizontal_scroll(page), (lang, width)
            _shoot(page, f"analysis-{lang}-{width}",
                   {"story": story, "map": page.locator("section", has=map_heading),
                    "tasting": held})
