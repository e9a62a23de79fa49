"""Browser tests: Debian's chromium driven by Playwright, pages checked with axe.

`live_server` serves a fresh app (SQLite file, CSRF on, catalogues and demo accounts
loaded) on a free loopback port; `page` opens a new browser context on it (with
bypass_csp so axe can be injected); `check_a11y(page)` fails on any WCAG 2.1 A/AA
violation. Playwright cannot download a browser here, so it launches /usr/bin/chromium.
The helpers (`LiveServer`, `check_a11y`, screen sizes) are in tests/e2e/browser.py.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from consult.extensions import db
from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS, LiveServer
from tests.support.apps import make_app, need


def _buffered(app: Any) -> Any:
    """The app with each answer read whole and closed before the test server sends it.

    Werkzeug's development server leaves a static file's handle open when the browser
    drops the connection mid-answer (it happens now and then with the favicon), which the
    warnings-are-errors rule then reports in some later test. The browser tests check
    pages, not streaming (tests/live serves gunicorn for that), so a whole answer is fine.
    """
    def serve(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()
    return serve


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    need(CHROMIUM is not None, "chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright gives each launch a fresh, empty profile of its own.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server_factory(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """Serve a fresh app with extra configuration: live_server_factory(OIDC_PROVIDERS=[...])."""
    served: list[LiveServer] = []

    def factory(**config: Any) -> LiveServer:
        folder = tmp_path / f"server-{len(served)}" if served else tmp_path
        folder.mkdir(exist_ok=True)
        app = make_app(
            folder,
            WTF_CSRF_ENABLED=True,
            SERVER_NAME=None,
            LOGIN_LIMIT_PER_ACCOUNT="1000 per minute",
            LOGIN_LIMIT_PER_IP="1000 per minute",
            **config,
        )
        with app.app_context():
            db.create_all()
            from consult.demo.steps import ensure_demo_users
            from consult.services.catalogue import ensure_catalogues

            ensure_catalogues()
            ensure_demo_users()
            db.session.commit()
        server = make_server("127.0.0.1", 0, _buffered(app), threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        live = LiveServer(app=app, url=f"http://127.0.0.1:{server.server_port}", server=server)
        served.append(live)
        return live

    yield factory
    for live in served:
        live.server.shutdown()
        with live.app.app_context():
            db.engine.dispose()


@pytest.fixture
def live_server(live_server_factory: Callable[..., LiveServer]) -> LiveServer:
    return live_server_factory()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """Open a page in a new context: new_page(locale="nl", viewport=PHONE)."""
    contexts: list[Any] = []

    def factory(locale: str = "nl-NL", viewport: dict[str, int] | None = None) -> Any:
        context = browser.new_context(
            bypass_csp=True, locale=locale, viewport=viewport or {"width": 1280, "height": 900}
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield factory
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    return new_page()
