"""Every page of the site, as the person who may see it, passes axe in Dutch and English,
fits a 320 px wide phone screen (WCAG 1.4.10 reflow: no sideways scrolling) and, as the
browser shows it (after the page's script ran), holds no text in the other language
(`tests/support/one_language.py`).

The security suite's world seeds one of everything (a consultation with every question
kind, responses, an analysis run, a tasting and a workshop with registrations). Every GET
route of the app is filled in from it; each page is opened as the first of admin,
organiser A, citizen A or an anonymous visitor that gets it as an HTML page, and axe
checks it in both languages. Pages behind a personal link are included.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.browser import LiveServer, check_a11y, has_no_horizontal_scroll
from tests.support.crawl import every_url
from tests.support.one_language import other_language
from tests.support.security_world import seed_world

pytestmark = pytest.mark.e2e

ROLES = ("admin", "organiser_a", "citizen_a", None)


def test_every_page_passes_axe_in_both_languages(live_server: LiveServer, browser: Any) -> None:
    app = live_server.app
    app.config["WTF_CSRF_ENABLED"] = False  # the world is seeded by posting the real forms
    with app.app_context():
        world = seed_world(app)
        clients = {who: world.client(who) for who in ROLES}
        plan: dict[str | None, list[str]] = {who: [] for who in ROLES}
        for _endpoint, path in every_url(world, "GET"):
            for who in ROLES:
                response = clients[who].get(path)
                if response.status_code == 200 and response.mimetype == "text/html":
                    plan[who].append(path)
                    break
        cookies = {
            who: clients[who].get_cookie("session", domain="localhost")
            for who in ROLES if who is not None
        }
    app.config["WTF_CSRF_ENABLED"] = True
    checked = sum(len(paths) for paths in plan.values())
    assert checked >= 40, plan  # the world really has pages behind every role
    print(f"axe: {checked} pages, each in nl and en")

    wide: list[str] = []
    other: list[str] = []
    for who, paths in plan.items():
        context = browser.new_context(bypass_csp=True, viewport={"width": 320, "height": 720})
        if who is not None:
            cookie = cookies[who]
            assert cookie is not None
            context.add_cookies([{"name": "session", "value": cookie.value,
                                  "url": live_server.url}])
        page = context.new_page()
        for path in paths:
            for lang in ("nl", "en"):
                separator = "&" if "?" in path else "?"
                page.goto(live_server(f"{path}{separator}lang={lang}"))
                assert page.locator("html").get_attribute("lang") == lang, path
                check_a11y(page)
                wide.extend([] if has_no_horizontal_scroll(page) else [f"{path} ({lang})"])
                other.extend(f"{path} ({lang}): {leak}" for leak in other_language(page.content()))
        context.close()
    assert wide == [], f"pages wider than a 320 px screen: {wide}"
    assert other == [], "text in the other language:\n" + "\n".join(other)
