"""The living design-system page passes axe, fits a 320 px screen and uses the
self-hosted font (tests/foundation/test_design_system.py checks the rest)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.browser import NARROW, check_a11y, has_no_horizontal_scroll

pytestmark = pytest.mark.e2e


def test_the_design_page_passes_axe_and_fits_a_phone(live_server_factory: Any,
                                                     new_page: Any) -> None:
    server = live_server_factory(DESIGN_PAGE=True)
    for viewport in (NARROW, {"width": 1280, "height": 900}):
        page = new_page(viewport=viewport)
        page.goto(server("/_design"))
        check_a11y(page)
        assert has_no_horizontal_scroll(page)
        family = page.evaluate("getComputedStyle(document.body).fontFamily")
        assert family.startswith('"Source Sans 3"')
        assert page.evaluate("document.fonts.check(\"16px 'Source Sans 3'\")")
