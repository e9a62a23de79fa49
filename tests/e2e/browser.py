"""Driving Debian's chromium in the browser tests: where it is and how it starts, screen
sizes, the live server's address, and the checks every page passes (axe's WCAG 2.1 A/AA
rules, no horizontal scroll).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from typing import Any

from flask import Flask
from werkzeug.serving import BaseWSGIServer

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 375, "height": 740}
NARROW = {"width": 320, "height": 640}


@dataclass
class LiveServer:
    app: Flask
    url: str
    server: BaseWSGIServer

    def __call__(self, path: str = "/") -> str:
        return self.url + path


def check_a11y(page: Any, context: Any = None) -> None:
    """Fail with axe's report when the page has any WCAG 2.1 A or AA violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page, context=context, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}}
    )
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def check_rules(page: Any, rules: list[str]) -> None:
    """Fail when any of these axe rules (by id, e.g. best-practice ones) is violated."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "rule", "values": rules}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def has_no_horizontal_scroll(page: Any) -> bool:
    """Whether the page fits the window's width (a pixel of rounding allowed)."""
    return bool(
        page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    )
