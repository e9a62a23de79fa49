"""A tasting's questionnaires in a real browser, nl and en, checked with axe: an organiser
links them in the event form, the event page and a registrant's personal page show them
(also on a phone)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from consult.demo.events import events_step
from consult.extensions import db
from consult.models import Event, EventKind
from consult.services.events import registration as reg_service
from tests.e2e.browser import PHONE, LiveServer, check_a11y, has_no_horizontal_scroll
from tests.factories.consultations import build_consultation
from tests.factories.events import adult

pytestmark = pytest.mark.e2e

TEXT = {
    "nl": {"before": "Vul vóór de proeverij deze vragenlijst in:", "after": "Na de proeverij:",
           "title": "Kweekvlees in Nederland", "save": "Opslaan",
           "yours": "Deze links zijn van u"},
    "en": {"before": "Before the tasting, please answer:", "after": "After the tasting:",
           "title": "Cultivated meat in the Netherlands", "save": "Save",
           "yours": "These links are yours"},
}


def _seed(live_server: LiveServer) -> tuple[int, int, int]:
    with live_server.app.app_context(), live_server.app.test_request_context("/"):
        events_step(lambda _label, _total: (lambda _n=1: None))
        before = build_consultation(slug="voor-de-proeverij")
        after = build_consultation(slug="na-de-proeverij")
        db.session.commit()
        event_id = db.session.scalar(select(Event.id).where(Event.kind == EventKind.TASTING))
        assert event_id is not None
        return int(event_id), before.id, after.id


def _log_in(page: Any, live_server: LiveServer, lang: str) -> None:
    page.goto(live_server(f"/account/login?lang={lang}"))
    page.fill("#email", "organisator@consult.example")
    page.fill("#password", "demo-organisator-2026")
    with page.expect_navigation():
        page.click("main button[type=submit]")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_organiser_links_questionnaires_and_participants_see_them(
    live_server: LiveServer, page: Any, new_page: Any, lang: str
) -> None:
    words = TEXT[lang]
    event_id, before_id, after_id = _seed(live_server)
    _log_in(page, live_server, lang)

    page.goto(live_server(f"/organise/events/{event_id}/edit?lang={lang}"))
    check_a11y(page)
    page.select_option("#before_consultation_id", str(before_id))
    page.select_option("#after_consultation_id", str(after_id))
    with page.expect_navigation():
        page.click(f"main button[type=submit]:has-text('{words['save']}')")
    assert page.url.endswith(f"/organise/events/{event_id}")

    visitor = new_page(locale="en-GB" if lang == "en" else "nl-NL")
    visitor.goto(live_server(f"/events/{event_id}?lang={lang}"))
    section = visitor.locator("section.survey-links")
    assert section.locator("li", has_text=words["before"]).is_visible()
    assert section.locator("li", has_text=words["after"]).is_visible()
    link = section.locator("a[href='/consultations/voor-de-proeverij']")
    assert link.inner_text() == words["title"]
    check_a11y(visitor)

    # A registrant without an account, on a phone: their own links.
    with live_server.app.app_context(), live_server.app.test_request_context("/"):
        event = db.session.get(Event, event_id)
        assert event is not None
        _, secret = reg_service.register(event, adult("piet@example.nl", locale=lang,
                                                      info_sheet_version=1))
        db.session.commit()
    phone = new_page(locale="nl-NL", viewport=PHONE)
    phone.goto(live_server(f"/events/r/{secret}?lang={lang}"))
    assert phone.locator("section.survey-links", has_text=words["yours"]).is_visible()
    with phone.expect_navigation():
        phone.click("section.survey-links a[href^='/consultations/na-de-proeverij/tasting/']")
    assert phone.url.split("?")[0].endswith("/consultations/na-de-proeverij")
    phone.go_back()
    check_a11y(phone)
    assert has_no_horizontal_scroll(phone)
