"""XSS in a real browser: payloads typed into the real forms (a respondent's organisation,
statement proposal and open answer; an official's consultation title) run nowhere — no
dialog opens on any page that shows them, for the respondent, the public or an official."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.models import Answer, ModerationStatus, Statement
from tests.e2e.browser import LiveServer
from tests.e2e.respondent import answer_all, make, submit

pytestmark = pytest.mark.e2e

PAYLOAD = "<script>alert(1)</script>\"><img src=x onerror=alert(2)></textarea><svg onload=alert(3)>"


def _watch(page: Any) -> list[str]:
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return dialogs


def test_stored_payloads_never_run(live_server: LiveServer, new_page: Any) -> None:
    ids = make(live_server)
    slug = ids["slug"]
    page = new_page(locale="en-GB")
    dialogs = _watch(page)
    page.goto(live_server(f"/consultations/{slug}/respond"))
    page.check("#category-civil_society")
    page.fill("#organisation_name", PAYLOAD[:100])
    page.check("#consent-publish_with_name")
    page.check("#age_confirmed")
    submit(page)
    answer_all(page, ids, PAYLOAD, proposal=PAYLOAD)
    assert "/review" in page.url and "alert(1)" in page.content()  # shown, as text
    submit(page)
    assert "/receipt/" in page.url
    with live_server.app.app_context():  # approved, so the public pages show them too
        for answer in db.session.scalars(select(Answer).where(Answer.text.is_not(None))):
            answer.moderation = ModerationStatus.APPROVED
        for statement in db.session.scalars(select(Statement)):
            statement.moderation = ModerationStatus.APPROVED
        db.session.commit()

    official = new_page(locale="en-GB")
    dialogs += _watch(official)
    official.goto(live_server("/account/login?lang=en"))
    official.fill("#email", "ambtenaar@consult.example")
    official.fill("#password", "demo-ambtenaar-2026")
    submit(official)
    base = f"/officials/consultations/{slug}"
    official.goto(live_server(base))
    official.fill("#title_en", PAYLOAD[:150])
    with official.expect_navigation():
        official.click("main form button[type=submit] >> nth=0")
    shown = 0
    for path in (base, base + "/moderation?status=approved", base + "/moderation",
                 base + "/responses", f"/consultations/{slug}/responses",
                 f"/consultations/{slug}", "/consultations/", "/"):
        for viewer in (official, page):
            viewer.goto(live_server(path))
            viewer.wait_for_load_state("load")
            shown += viewer.content().count("alert(")
    assert shown > 5  # the payloads are on these pages, as text
    assert dialogs == []
