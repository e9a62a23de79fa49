"""Following a topic in a real browser, in Dutch and English, checked with axe: a typo in
the address is shown with what was typed, the mail's link confirms, a notice arrives in
the page's language and its unsubscribe link works from the mail alone."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from consult.extensions import db
from consult.mail import read_outbox
from consult.models import utcnow
from consult.services.consultations import editing
from consult.services.follow import notices
from tests.e2e.browser import LiveServer, check_a11y
from tests.factories.consultations import build_consultation
from tests.factories.users import official_user

pytestmark = pytest.mark.e2e

TEXT = {
    "nl": {"follow": "Volgen", "bad": "Vul een e-mailadres in zoals naam@voorbeeld.nl.",
           "check": "Kijk in uw e-mail", "confirm": "Bevestig dat u het thema",
           "done": "U volgt dit nu", "opened": "Nu open: Kweekvlees in Nederland",
           "unsubscribe": "Afmelden", "unsubscribed": "U bent afgemeld."},
    "en": {"follow": "Follow", "bad": "Enter an email address like name@example.nl.",
           "check": "Check your mail", "confirm": "Confirm that you want to follow the topic",
           "done": "You follow this now",
           "opened": "Open now: Cultivated meat in the Netherlands",
           "unsubscribe": "Unsubscribe", "unsubscribed": "You are unsubscribed."},
}


def _mails_to(live_server: LiveServer, email: str) -> list[Any]:
    outbox = Path(live_server.app.config["MAIL_OUTBOX"])
    return [m for m in read_outbox(outbox) if m["To"] == email] if outbox.exists() else []


def _path_in(mail: Any, pattern: str) -> str:
    body = str(mail.get_body(("plain",)).get_content())
    match = re.search(r"https?://[^/\s]+(" + pattern + r"\S*)", body)
    assert match, body
    return match.group(1)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_visitor_follows_a_topic_confirms_gets_a_notice_and_unsubscribes(
    live_server: LiveServer, page: Any, lang: str,
) -> None:
    words = TEXT[lang]
    email = f"sam-{lang}@example.nl"
    with live_server.app.app_context():
        slug = f"kweek-{lang}"
        build_consultation(slug=slug, opened=False)

    page.goto(live_server(f"/consultations/?topic=cultivated-meat-fish&lang={lang}"))
    check_a11y(page)
    page.fill("#follow-email", "sam at example")
    with page.expect_navigation():
        page.click(f".follow-form button:has-text('{words['follow']}')")
    assert words["bad"] in page.inner_text("main")
    assert page.input_value("#email") == "sam at example"
    check_a11y(page)

    page.fill("#email", email)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert words["check"] in page.inner_text("h1")
    check_a11y(page)

    [confirmation] = _mails_to(live_server, email)
    assert str(confirmation["Subject"]).startswith(words["confirm"])
    page.goto(live_server(_path_in(confirmation, "/follow/confirm/")))
    assert words["done"] in page.inner_text("h1")
    check_a11y(page)

    with live_server.app.app_context():
        consultation = editing.by_slug(slug)
        assert consultation is not None
        editing.open_now(official_user(), consultation)
        db.session.commit()
        assert notices.send_due() == 1
    notice = _mails_to(live_server, email)[-1]
    assert notice["Subject"] == words["opened"]
    assert notice["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    fresh = page.context.browser.new_context(bypass_csp=True, locale=lang)  # no session
    try:
        mail_reader = fresh.new_page()
        mail_reader.goto(live_server(_path_in(notice, "/follow/unsubscribe/")))
        check_a11y(mail_reader)
        with mail_reader.expect_navigation():
            mail_reader.click(f"main button:text-is('{words['unsubscribe']}')")
        assert words["unsubscribed"] in mail_reader.inner_text("main")
        check_a11y(mail_reader)
    finally:
        fresh.close()
    with live_server.app.app_context():
        assert not notices.recipients(notices.due(utcnow())[0])  # nobody follows now
