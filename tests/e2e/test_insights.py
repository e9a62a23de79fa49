"""The officials' analysis page and the annual overview in a real browser: axe, narrow screens."""

from __future__ import annotations

from typing import Any

import pytest

from consult.extensions import db
from tests.e2e.browser import NARROW, LiveServer, check_a11y, has_no_horizontal_scroll
from tests.factories.consultations import build_consultation
from tests.factories.insights import add_response, two_camps

pytestmark = pytest.mark.e2e


def _seed(live_server: LiveServer) -> tuple[str, int]:
    from consult.services.insights import run as analysis

    with live_server.app.test_request_context("/"):
        c = build_consultation()
        two_camps(c)
        add_response(c, category="government", votes=[1, 1], rating=5, likert=5)
        analysis.run(c)
        db.session.commit()
        return c.slug, c.opens_at.year


def _login(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server("/account/login"))
    page.fill("#email", "ambtenaar@consult.example")
    page.fill("#password", "demo-ambtenaar-2026")
    with page.expect_navigation():
        page.click("main button[type=submit]")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_analysis_and_annual_pages_pass_axe(live_server: LiveServer, page: Any,
                                            lang: str) -> None:
    slug, year = _seed(live_server)
    _login(page, live_server)
    for path in [f"/officials/consultations/{slug}/analysis",
                 f"/officials/consultations/{slug}/analysis/points",
                 f"/officials/annual/{year}"]:
        page.goto(live_server(f"{path}?lang={lang}"))
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("h1").count() == 1
        check_a11y(page)


def test_narrow_screens_need_no_horizontal_scrolling(live_server: LiveServer,
                                                     new_page: Any) -> None:
    slug, year = _seed(live_server)
    page = new_page(viewport=NARROW)
    _login(page, live_server)
    for path in [f"/officials/consultations/{slug}/analysis", f"/officials/annual/{year}"]:
        page.goto(live_server(path))
        assert has_no_horizontal_scroll(page), path


def test_refresh_button_works_without_javascript(live_server: LiveServer, page: Any) -> None:
    slug, _ = _seed(live_server)
    _login(page, live_server)
    page.goto(live_server(f"/officials/consultations/{slug}/analysis?lang=en"))
    with page.expect_navigation():
        page.click("button:has-text('Refresh analysis')")
    assert page.locator("text=The analysis is queued").is_visible() or \
        page.locator("text=already queued").is_visible()
    check_a11y(page)
