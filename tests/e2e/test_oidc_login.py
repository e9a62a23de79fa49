"""Logging in through an OpenID Connect provider in a real browser: the login page's
button, the provider's own page (the real provider package on loopback), and back,
logged in; in Dutch and English, every page of ours clean under axe."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from consult.extensions import db
from consult.models import OidcLink, User
from tests.e2e.browser import LiveServer, check_a11y
from tests.support.oidc import MockProvider, provider_config

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("locale", "lang", "button", "welcome"),
    [("nl-NL", "nl", "Inloggen met Test-ID", "U bent ingelogd."),
     ("en-GB", "en", "Log in with Test-ID", "You are logged in.")],
)
def test_logging_in_through_the_provider(
    live_server_factory: Callable[..., LiveServer], new_page: Callable[..., Any],
    oidc_mock: MockProvider, locale: str, lang: str, button: str, welcome: str,
) -> None:
    server = live_server_factory(OIDC_PROVIDERS=[provider_config(oidc_mock.issuer)])
    subject = f"browser-{lang}"
    oidc_mock.set_user(subject, email=f"browser.{lang}@example.nl", email_verified=True)
    page = new_page(locale=locale)

    page.goto(server("/account/login"))
    assert page.locator("html").get_attribute("lang") == lang
    check_a11y(page)
    page.get_by_role("link", name=button).click()

    # The provider's own page: pick the person and authorise.
    page.wait_for_url(oidc_mock.issuer + "/oauth2/authorize**")
    page.locator("input[name=sub]").fill(subject)
    page.get_by_role("button", name="Authorize").click()

    page.wait_for_url(server("/account/overview"))
    assert welcome in page.locator("main").inner_text()
    check_a11y(page)
    page.goto(server("/account/"))
    assert page.url == server("/account/")  # logged in: the settings page, not the login
    with server.app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == f"browser.{lang}@example.nl"))
        assert user is not None and user.locale == lang
        assert db.session.scalar(db.select(OidcLink.subject)) == subject


@pytest.mark.parametrize(
    ("locale", "lang", "button", "heading"),
    [("nl-NL", "nl", "Inloggen met Test-ID", "Inloggen via Test-ID is niet gelukt"),
     ("en-GB", "en", "Log in with Test-ID", "Logging in through Test-ID did not work")],
)
def test_refusing_at_the_provider_shows_a_clear_page(
    live_server_factory: Callable[..., LiveServer], new_page: Callable[..., Any],
    oidc_mock: MockProvider, locale: str, lang: str, button: str, heading: str,
) -> None:
    server = live_server_factory(OIDC_PROVIDERS=[provider_config(oidc_mock.issuer)])
    page = new_page(locale=locale)
    page.goto(server("/account/login"))
    page.get_by_role("link", name=button).click()
    page.wait_for_url(oidc_mock.issuer + "/oauth2/authorize**")
    page.get_by_role("button", name="Deny").click()

    page.wait_for_url(server("/account/oidc/test-id/callback**"))
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert page.locator("html").get_attribute("lang") == lang
    check_a11y(page)
