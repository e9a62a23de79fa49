"""Events in a real browser, in Dutch and English, checked with axe: a citizen registers
for a tasting and cancels; an organiser checks someone in on a 375px phone screen."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from consult.demo.events import events_step
from consult.extensions import db
from consult.models import Event, EventKind, Registration, RegistrationStatus, User
from consult.services.events import registration as reg_service
from tests.e2e.browser import PHONE, LiveServer, check_a11y, has_no_horizontal_scroll

pytestmark = pytest.mark.e2e

TEXT = {
    "nl": {"register": "Aanmelden", "cancel": "Mijn aanmelding annuleren",
           "cancelled": "Uw aanmelding is geannuleerd.", "welcome": "Welkom",
           "used": "Deze code is al gebruikt", "check_in": "Binnenlaten",
           "eligible": "U kunt alleen meedoen als niets hiervan voor u geldt"},
    "en": {"register": "Register", "cancel": "Cancel my registration",
           "cancelled": "Your registration is cancelled.", "welcome": "Welcome",
           "used": "This code has been used already", "check_in": "Check in",
           "eligible": "You can only take part when none of these apply to you"},
}


def _tasting_id(live_server: LiveServer) -> int:
    with live_server.app.app_context():
        events_step(lambda _label, _total: (lambda _n=1: None))
        db.session.commit()
        event_id = db.session.scalar(select(Event.id).where(Event.kind == EventKind.TASTING))
    assert event_id is not None
    return int(event_id)


def _log_in(page: Any, live_server: LiveServer, email: str, password: str, lang: str) -> None:
    page.goto(live_server(f"/account/login?lang={lang}"))
    page.fill("#email", email)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_citizen_registers_for_a_tasting_and_cancels(
    live_server: LiveServer, page: Any, lang: str
) -> None:
    words = TEXT[lang]
    event_id = _tasting_id(live_server)
    _log_in(page, live_server, "burger@consult.example", "demo-burger-2026", lang)

    page.goto(live_server(f"/events/?lang={lang}"))
    check_a11y(page)
    with page.expect_navigation():
        page.click(f"a[href='/events/{event_id}']")
    # The products and their allergens are shown before registering.
    product = "Gehaktbal van gekweekt rundvlees" if lang == "nl" else "Meatball of cultivated beef"
    gluten = "Glutenbevattende granen" if lang == "nl" else "Cereals containing gluten"
    assert page.locator("main", has_text=product).is_visible()
    assert page.locator("main", has_text=gluten).is_visible()
    check_a11y(page)
    with page.expect_navigation():
        page.click(f"main a.button:has-text('{words['register']}')")
    assert f"/events/{event_id}/register" in page.url
    check_a11y(page)

    # First without ticking the checklist: a clear message, what was typed is kept.
    page.fill("#name", "Anna de Vries")
    page.fill("#birth_date", "14")  # day, month and year in three boxes
    page.fill("#birth_date-month", "5")
    page.fill("#birth_date-year", "1990")
    page.check("#info_sheet")
    page.fill("#dietary_note", "Geen varkensvlees")
    page.check("#dietary_consent")
    with page.expect_navigation():
        page.click(f"main button[type=submit]:has-text('{words['register']}')")
    assert page.locator(".error-summary", has_text=words["eligible"]).is_visible()
    assert page.input_value("#name") == "Anna de Vries"
    assert page.input_value("#dietary_note") == "Geen varkensvlees"
    check_a11y(page)

    page.check("#eligible")
    page.check("#info_sheet")
    page.check("#dietary_consent")
    with page.expect_navigation():
        page.click(f"main button[type=submit]:has-text('{words['register']}')")
    assert "/events/r/" in page.url
    code = page.locator(".checkin-code").inner_text()
    assert len(code) == 9 and code[4] == "-"
    assert page.evaluate("document.querySelector('img.qr').naturalWidth") > 0
    check_a11y(page)

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click(f"main button:has-text('{words['cancel']}')")
    assert page.locator(".flash", has_text=words["cancelled"]).is_visible()
    check_a11y(page)
    with live_server.app.app_context():
        status = db.session.scalar(select(Registration.status))
        assert status == RegistrationStatus.CANCELLED


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_an_organiser_checks_someone_in_on_a_phone(
    live_server: LiveServer, new_page: Any, lang: str
) -> None:
    words = TEXT[lang]
    event_id = _tasting_id(live_server)
    with live_server.app.test_request_context(), live_server.app.app_context():
        event = db.session.get(Event, event_id)
        user = db.session.scalar(select(User).where(User.email == "burger@consult.example"))
        registration, _ = reg_service.register(event, reg_service.Registrant(  # type: ignore[arg-type]
            email="burger@consult.example", locale=lang, user=user, name="Bram Burger",
            birth_date=date(1985, 1, 1), eligibility_confirmed=True,
            info_sheet_version=event.info_sheet.version,  # type: ignore[union-attr]
        ))
        db.session.commit()
        code = registration.checkin_code

    page = new_page(locale="nl-NL" if lang == "nl" else "en-GB", viewport=PHONE)
    _log_in(page, live_server, "organisator@consult.example", "demo-organisator-2026", lang)
    page.goto(live_server(f"/organise/events/{event_id}/checkin?lang={lang}"))
    assert has_no_horizontal_scroll(page)
    check_a11y(page)

    page.fill("#code", code.lower())
    with page.expect_navigation():
        page.click(f"main button[type=submit]:has-text('{words['check_in']}')")
    assert page.locator(".checkin-ok", has_text=f"{words['welcome']}, Bram Burger").is_visible()
    assert has_no_horizontal_scroll(page)
    check_a11y(page)

    page.fill("#code", f"{code[:4]}-{code[4:]}")
    with page.expect_navigation():
        page.click(f"main button[type=submit]:has-text('{words['check_in']}')")
    used = page.locator(".checkin-used")
    assert used.is_visible() and words["used"] in used.inner_text()
    assert "Bram Burger" in used.inner_text()
    check_a11y(page)

    for path in (f"/organise/events/{event_id}", f"/organise/events/{event_id}/registrations",
                 f"/organise/events/{event_id}/attendance", "/organise/",
                 f"/organise/events/{event_id}/tasting", f"/organise/events/{event_id}/edit",
                 f"/organise/events/{event_id}/dietary-notes"):
        page.goto(live_server(f"{path}?lang={lang}"))
        check_a11y(page)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_registering_without_an_account_passes_axe(
    live_server: LiveServer, page: Any, lang: str
) -> None:
    import re

    from consult.mail import read_outbox

    event_id = _tasting_id(live_server)
    page.goto(live_server(f"/events/{event_id}/register?lang={lang}"))
    check_a11y(page)
    page.fill("#email", "not-an-email")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    check_a11y(page)
    page.fill("#email", "kees@example.nl")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "check-your-mail" in page.url
    check_a11y(page)
    body = read_outbox(live_server.app.config["MAIL_OUTBOX"])[-1].get_body(  # type: ignore[union-attr]
        ("plain",)).get_content()
    link = re.search(r"http://[^/\s]+(/events/\d+/register/\S+)", body)
    assert link, body
    page.goto(live_server(link.group(1) + f"?lang={lang}"))
    assert page.locator("main", has_text="kees@example.nl").is_visible()
    check_a11y(page)
    page.goto(live_server(f"/events/{event_id}/register/forged?lang={lang}"))
    check_a11y(page)


def test_the_new_event_form_passes_axe_with_errors(live_server: LiveServer, page: Any) -> None:
    _log_in(page, live_server, "organisator@consult.example", "demo-organisator-2026", "en")
    page.goto(live_server("/organise/events/new?lang=en"))
    check_a11y(page)
    page.fill("#title_nl", "Test")
    page.fill("#capacity", "0")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert page.input_value("#title_nl") == "Test"
    check_a11y(page)
