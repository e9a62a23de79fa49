"""The three main journeys by keyboard alone, in a real browser, each in Dutch on a phone
and in English on a desktop screen, every page checked with axe:

1. a citizen answers a consultation, from the list of consultations to the receipt;
2. a citizen registers for a tasting and adds it to their calendar;
3. an official goes from the login page to a published report.

Only keys move the journeys on: Tab to a link, button or field, Enter to follow or press
it, Space and the arrow keys for checkboxes and radio buttons, typing for text. An
address is opened the way a person types it into the address bar (`page.goto`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import icalendar
import pytest
from sqlalchemy import select

from consult.demo.events import events_step
from consult.extensions import db
from consult.models import (
    Consultation,
    ConsultationStatus,
    Event,
    EventKind,
    Registration,
    RegistrationStatus,
    Response,
    ResponseStatus,
)
from consult.services.consultations import editing
from tests.e2e.browser import PHONE, LiveServer, check_a11y, has_no_horizontal_scroll
from tests.e2e.respondent import PRINCIPLES, make
from tests.factories.users import official_user

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 900}
SCREENS = [("nl", PHONE), ("en", DESKTOP)]
WORDS = {
    "nl": {"log_in": "Inloggen", "register": "Aanmelden", "calendar":
           "Zet in uw agenda (.ics)", "report": "Verslag", "save_report": "Verslag opslaan",
           "publish": "Verslag publiceren"},
    "en": {"log_in": "Log in", "register": "Register", "calendar":
           "Add to your calendar (.ics)", "report": "Report", "save_report": "Save the report",
           "publish": "Publish the report"},
}


class Keyboard:
    """Moves through a page as a keyboard user does: Tab until the focus is where wanted."""

    def __init__(self, page: Any) -> None:
        self.page = page

    def focused(self, script: str) -> Any:
        return self.page.evaluate(f"(() => {{ const e = document.activeElement; "
                                  f"return e ? {script} : null; }})()")

    def tab_to(self, css: str = "", text: str = "", limit: int = 150) -> None:
        """Press Tab until the focused element matches `css` and/or reads `text`."""
        seen = []
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            matches = not css or self.focused(f"e.matches({css!r})")
            label = self.focused("(e.innerText || e.value || e.id || '').trim()")
            if matches and (not text or label == text):
                return
            seen.append(label)
        raise AssertionError(f"Tab never reached {css} {text!r} on {self.page.url}: {seen}")

    def follow(self, css: str = "", text: str = "") -> None:
        """Tab to a link or button and press Enter; wait for the next page."""
        self.tab_to(css, text)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def type_into(self, css: str, words: str) -> None:
        self.tab_to(css)
        self.page.keyboard.type(words)

    def choose(self, first_radio: str, steps: int) -> None:
        """Tab into a radio group (its first button) and move `steps` on with arrows."""
        self.tab_to(first_radio)
        self.page.keyboard.press("Space")
        for _ in range(steps):
            self.page.keyboard.press("ArrowRight")

    def tick(self, css: str) -> None:
        self.tab_to(css)
        self.page.keyboard.press("Space")
        assert self.page.is_checked(css), css


def _checked_page(page: Any) -> None:
    check_a11y(page)
    assert has_no_horizontal_scroll(page), page.url


def _log_in(keys: Keyboard, live_server: LiveServer, lang: str, email: str,
            password: str) -> None:
    keys.page.goto(live_server(f"/account/login?lang={lang}"))
    keys.type_into("#email", email)
    keys.page.keyboard.press("Tab")
    keys.page.keyboard.type(password)
    with keys.page.expect_navigation():
        keys.page.keyboard.press("Enter")
    assert "/account/login" not in keys.page.url


@pytest.mark.parametrize(("lang", "screen"), SCREENS, ids=["nl-375", "en-1280"])
def test_a_citizen_answers_a_consultation_by_keyboard(
    live_server: LiveServer, new_page: Any, lang: str, screen: dict[str, int],
) -> None:
    ids = make(live_server)
    page = new_page(locale="nl-NL" if lang == "nl" else "en-GB", viewport=screen)
    keys = Keyboard(page)
    page.goto(live_server(f"/consultations/?lang={lang}"))
    _checked_page(page)
    keys.follow(f"a[href$='/consultations/{ids['slug']}']")
    _checked_page(page)
    keys.follow(".call-to-action a.button")
    # About you: a radio group for the category, another for consent, one checkbox.
    keys.tick("#category-citizen")
    keys.tab_to("input[name=consent]")
    page.keyboard.press("ArrowDown")
    assert page.is_checked("#consent-publish_anonymously")
    keys.tick("#age_confirmed")
    _checked_page(page)
    keys.follow("main form button[type=submit]")

    # Page 1: each principle on the fourth point of its scale, agree with each
    # statement, the fifth point of the likert scale.
    for code in PRINCIPLES:
        keys.choose(f"#q{ids['rating']}-{code}-1", 3)
        assert page.is_checked(f"#q{ids['rating']}-{code}-4"), code
    for statement in ids["statement_ids"]:
        keys.tab_to(f"#q{ids['statements']}-s{statement}-agree")
        page.keyboard.press("Space")
    keys.choose(f"#q{ids['likert']}-1", 4)
    assert page.is_checked(f"#q{ids['likert']}-5")
    _checked_page(page)
    keys.follow("main form button[type=submit]")

    # Page 2: "No" in the single choice, the ranking typed into its selects.
    keys.choose(f"#q{ids['single']}-{ids['single_options'][0]}", 1)
    assert page.is_checked(f"#q{ids['single']}-{ids['single_options'][1]}")
    for place, option in enumerate(ids["ranking_options"], start=1):
        keys.tab_to(f"#q{ids['ranking']}-o{option}")
        page.keyboard.type(str(place))
        assert page.input_value(f"#q{ids['ranking']}-o{option}") == str(place)
    _checked_page(page)
    keys.follow("main form button[type=submit]")

    # Page 3: the open answer, then the review and the receipt.
    keys.type_into(f"#q{ids['open']}", "Alleen met toetsen ingevuld")
    _checked_page(page)
    keys.follow("main form button[type=submit]")
    assert "/review" in page.url
    assert "Alleen met toetsen ingevuld" in page.inner_text("main")
    _checked_page(page)
    keys.follow("main form button[type=submit]")
    assert "/receipt/" in page.url
    _checked_page(page)
    with live_server.app.app_context():
        response = db.session.scalar(select(Response))
        assert response is not None and response.status == ResponseStatus.SUBMITTED


@pytest.mark.parametrize(("lang", "screen"), SCREENS, ids=["nl-375", "en-1280"])
def test_a_citizen_registers_for_a_tasting_and_adds_it_to_the_calendar_by_keyboard(
    live_server: LiveServer, new_page: Any, lang: str, screen: dict[str, int],
) -> None:
    words = WORDS[lang]
    with live_server.app.app_context():
        events_step(lambda _label, _total: (lambda _n=1: None))
        db.session.commit()
        tasting = db.session.scalars(select(Event).where(Event.kind == EventKind.TASTING)
                                     .order_by(Event.starts_at.desc())).first()
        assert tasting is not None
        event_id, title = tasting.id, tasting.title(lang)
    page = new_page(locale="nl-NL" if lang == "nl" else "en-GB", viewport=screen)
    keys = Keyboard(page)
    _log_in(keys, live_server, lang, "burger@consult.example", "demo-burger-2026")

    page.goto(live_server(f"/events/?lang={lang}"))
    _checked_page(page)
    keys.follow(f"main a[href='/events/{event_id}']")
    _checked_page(page)
    keys.follow("main a.button", words["register"])
    _checked_page(page)
    keys.type_into("#name", "Anna de Vries")
    keys.type_into("#birth_date", "14")  # day, month and year: three boxes
    page.keyboard.press("Tab")
    page.keyboard.type("5")
    page.keyboard.press("Tab")
    page.keyboard.type("1990")
    assert page.input_value("#birth_date-year") == "1990"
    for box in ("#eligible", "#info_sheet"):
        keys.tick(box)
    keys.follow("main button[type=submit]", words["register"])
    assert "/events/r/" in page.url, page.inner_text("main .error-summary")
    assert page.locator(".checkin-code").is_visible()
    _checked_page(page)

    keys.tab_to("a[href$='.ics']", words["calendar"])
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    calendar = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    [entry] = [c for c in calendar.walk("VEVENT")]
    assert title in str(entry["SUMMARY"])
    with live_server.app.app_context():
        registration = db.session.scalar(select(Registration))
        assert registration is not None and registration.status == RegistrationStatus.CONFIRMED
        event = db.session.get(Event, event_id)
        assert event is not None
        assert entry.decoded("DTSTART") == event.starts_at


@pytest.mark.parametrize(("lang", "screen"), SCREENS, ids=["nl-375", "en-1280"])
def test_an_official_goes_from_login_to_a_published_report_by_keyboard(
    live_server: LiveServer, new_page: Any, lang: str, screen: dict[str, int],
) -> None:
    words = WORDS[lang]
    slug = make_closed(live_server)
    page = new_page(locale="nl-NL" if lang == "nl" else "en-GB", viewport=screen)
    keys = Keyboard(page)
    _log_in(keys, live_server, lang, "ambtenaar@consult.example", "demo-ambtenaar-2026")

    page.goto(live_server("/officials/"))
    _checked_page(page)
    keys.follow(f"main a[href='/officials/consultations/{slug}']")
    _checked_page(page)
    keys.follow(f"main a[href='/officials/consultations/{slug}/report']")
    _checked_page(page)
    keys.type_into("#report_summary_nl", "Veel mensen willen eerst meer weten.")
    page.keyboard.press("Tab")
    page.keyboard.type("Many people want to know more first.")
    page.keyboard.press("Tab")
    page.keyboard.type("We laten eerst onderzoek doen.")
    page.keyboard.press("Tab")
    page.keyboard.type("We will commission research first.")
    keys.follow("main button[type=submit]", words["save_report"])
    _checked_page(page)
    keys.follow("main a.button", words["publish"])  # the confirmation page
    _checked_page(page)
    keys.follow("main button[type=submit]", words["publish"])
    _checked_page(page)

    page.goto(live_server(f"/consultations/{slug}/report?lang={lang}"))
    expected = ("Veel mensen willen eerst meer weten." if lang == "nl"
                else "Many people want to know more first.")
    assert expected in page.inner_text("main")
    _checked_page(page)
    with live_server.app.app_context():
        found = db.session.scalar(select(Consultation).filter_by(slug=slug))
        assert found is not None
        assert found.effective_status() == ConsultationStatus.REPORT_PUBLISHED


def make_closed(live_server: LiveServer) -> str:
    """A consultation with every kind of question, closed now; its slug."""
    make(live_server)
    with live_server.app.test_request_context("/"):
        consultation = db.session.scalar(select(Consultation))
        assert consultation is not None
        editing.close_now(official_user(), consultation)
        db.session.commit()
        return consultation.slug
