"""Declaring and verifying organisations in a real browser: axe in Dutch and English on
the declaration form (with its errors), the officials' queue and the decision page, and
the whole path from declaration to a verified organisation by keyboard and mouse."""

from __future__ import annotations

from typing import Any

import pytest

from consult.extensions import db
from consult.models import Organisation, VerificationStatus
from tests.e2e.browser import PHONE, LiveServer, check_a11y, has_no_horizontal_scroll

pytestmark = pytest.mark.e2e

CITIZEN = ("burger@consult.example", "demo-burger-2026")
OFFICIAL = ("ambtenaar@consult.example", "demo-ambtenaar-2026")


def log_in(page: Any, live_server: LiveServer, who: tuple[str, str], lang: str) -> None:
    page.goto(live_server(f"/account/login?lang={lang}"))
    page.fill("#email", who[0])
    page.fill("#password", who[1])
    with page.expect_navigation():
        page.click("main button[type=submit]")


def _submit(page: Any) -> None:
    with page.expect_navigation():
        page.click("main form button[type=submit]")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_declaring_and_verifying_an_organisation(live_server: LiveServer, new_page: Any,
                                                 lang: str) -> None:
    citizen = new_page(locale="nl-NL" if lang == "nl" else "en-GB")
    log_in(citizen, live_server, CITIZEN, lang)
    citizen.goto(live_server(f"/account/organisations?lang={lang}"))
    check_a11y(citizen)
    citizen.fill("#name", "Stichting Proef")
    citizen.check("#kind-0")
    citizen.fill("#kvk_number", "1234567")
    citizen.fill("#website", "proef.example")
    citizen.fill("#declared_interest", "Wij spreken voor 300 proevers.")
    _submit(citizen)
    summary = citizen.locator(".error-summary")
    assert summary.is_visible()
    assert ("8 cijfers" if lang == "nl" else "8 digits") in summary.inner_text()
    assert citizen.input_value("#name") == "Stichting Proef"
    assert citizen.input_value("#kvk_number") == "1234567"
    check_a11y(citizen)
    citizen.fill("#kvk_number", "12345678")
    citizen.fill("#website", "https://proef.example")
    _submit(citizen)
    assert "Stichting Proef" in citizen.locator("main table").inner_text()

    official = new_page(locale="nl-NL" if lang == "nl" else "en-GB", viewport=PHONE)
    log_in(official, live_server, OFFICIAL, lang)
    official.goto(live_server(f"/officials/organisations?lang={lang}"))
    check_a11y(official)
    assert has_no_horizontal_scroll(official)
    with official.expect_navigation():
        official.get_by_role("link", name="Stichting Proef").click()
    assert "12345678" in official.locator("main").inner_text()
    check_a11y(official)
    official.check("#decision-1")  # reject, without a reason: refused
    _submit(official)
    assert official.locator(".error-summary").is_visible()
    check_a11y(official)
    official.check("#decision-0")
    official.fill("#reason", "KvK gecontroleerd")
    official.locator("main form button[type=submit]").focus()
    with official.expect_navigation():
        official.keyboard.press("Enter")
    official.goto(live_server(f"/officials/organisations?status=verified&lang={lang}"))
    assert "Stichting Proef" in official.locator("main table").inner_text()
    check_a11y(official)
    with live_server.app.app_context():
        organisation = db.session.scalar(db.select(Organisation))
        assert organisation.status == VerificationStatus.VERIFIED
