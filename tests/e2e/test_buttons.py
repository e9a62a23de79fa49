"""Buttons look like what they do: primary, secondary (white with a blue border) and danger
(red), on the real pages, and the stylesheet styles buttons by class only.

A selector such as `button[type=submit]:not(.link-button)` has specificity (0,2,1) and
outweighs `.button-secondary` (0,1,0): every secondary and destructive button looked
primary. The browser test reads the computed colours of the buttons people meet.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser import LiveServer
from tests.support.security_world import seed_world

CSS = Path(__file__).resolve().parents[2] / "consult" / "static" / "css" / "consult.css"

WHITE = "rgb(255, 255, 255)"
BRAND = "rgb(21, 66, 115)"  # --brand #154273
ERROR = "rgb(176, 0, 32)"  # --error #b00020


def test_the_stylesheet_styles_buttons_by_class_only() -> None:
    css = re.sub(r"/\*.*?\*/", "", CSS.read_text(encoding="utf-8"), flags=re.S)
    selectors = [s.strip() for block in re.findall(r"([^{}]+)\{", css) for s in block.split(",")]
    by_element = [s for s in selectors if re.search(r"(^|[\s>+~(])button(\[|:|$)", s)]
    assert by_element == [], by_element


def _colours(page: Any, name: str) -> tuple[str, str]:
    button = page.get_by_role("button", name=name, exact=True).or_(
        page.get_by_role("link", name=name, exact=True)).first
    return button.evaluate(
        "b => { const s = getComputedStyle(b); return [s.backgroundColor, s.color]; }")


@pytest.mark.e2e
def test_secondary_and_danger_buttons_keep_their_look(live_server: LiveServer,
                                                      browser: Any) -> None:
    app = live_server.app
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        world = seed_world(app)
        slug, event_id = world.consultation.slug, world.tasting.id
        cookies = {}
        for who in ("citizen_a", "organiser_a", "admin", None):
            client = world.client(who)
            client.get("/")
            cookies[who] = client.get_cookie("session", domain="localhost")
    app.config["WTF_CSRF_ENABLED"] = True

    # (who, path, language, button text, expected background, expected text colour)
    seen = [
        ("citizen_a", f"/consultations/{slug}/respond/2", "nl", "Opslaan en terug",
         WHITE, BRAND),
        ("citizen_a", f"/consultations/{slug}/respond/2", "nl", "Opslaan en verder",
         BRAND, WHITE),
        ("citizen_a", f"/consultations/{slug}/withdraw", "nl", "Mijn reactie intrekken",
         ERROR, WHITE),
        ("citizen_a", f"/consultations/{slug}/withdraw", "en", "Withdraw my response",
         ERROR, WHITE),
        ("organiser_a", f"/organise/events/{event_id}/cancel", "nl",
         "Bijeenkomst afgelasten", ERROR, WHITE),
        ("organiser_a", f"/organise/events/{event_id}", "en", "Add organiser",
         WHITE, BRAND),
        ("admin", "/admin/audit", "en", "Filter", WHITE, BRAND),
        ("admin", "/admin/users", "nl", "Zoeken", WHITE, BRAND),
        (None, "/consultations/", "en", "Show", WHITE, BRAND),
    ]
    wrong = []
    for who in ("citizen_a", "organiser_a", "admin", None):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        if cookies[who] is not None:
            context.add_cookies([{"name": "session", "value": cookies[who].value,
                                  "url": live_server.url}])
        page = context.new_page()
        for person, path, lang, name, background, colour in seen:
            if person != who:
                continue
            page.goto(live_server(f"{path}?lang={lang}"))
            if not page.get_by_text(name, exact=True).count():
                wrong.append(f"{path} {name!r}: not on the page {page.url}")
                continue
            got = _colours(page, name)
            if got != [background, colour]:
                wrong.append(f"{path} {name!r}: {got}, want {[background, colour]}")
        context.close()
    assert wrong == [], "\n".join(wrong)
