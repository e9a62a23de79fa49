"""Consultations in a real browser: find, answer, review, submit, receipt, edit, withdraw —
in Dutch and English, on a phone-sized screen, checked with axe on every page; the
profile page by keyboard alone; an organisation's name shown only as consent allows;
the report's charts and the officials' pages pass axe too."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.models import (
    Answer,
    ConsultationStatus,
    ModerationStatus,
    Response,
    ResponseStatus,
    utcnow,
)
from tests.e2e.browser import (
    PHONE,
    LiveServer,
    check_a11y,
    check_rules,
    has_no_horizontal_scroll,
)
from tests.e2e.respondent import answer_all, make, submit

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_citizen_finds_answers_reviews_submits_edits_and_withdraws(
    live_server: LiveServer, new_page: Any, lang: str
) -> None:
    ids = make(live_server)
    page = new_page(locale="nl-NL" if lang == "nl" else "en-GB", viewport=PHONE)
    page.goto(live_server(f"/consultations/?lang={lang}"))
    check_a11y(page)
    assert has_no_horizontal_scroll(page)
    with page.expect_navigation():
        page.click(f"text={ids['title'][lang]}")
    check_a11y(page)
    with page.expect_navigation():
        page.click(".call-to-action a.button")
    # An empty profile: the error summary takes focus and passes axe.
    submit(page)
    assert page.locator(".error-summary").is_visible()
    page.wait_for_function(  # consult.js moves focus once the page is ready
        "document.activeElement && document.activeElement.classList.contains('error-summary')")
    check_a11y(page)
    page.check("#category-citizen")
    page.check("#consent-publish_anonymously")
    page.check("#age_confirmed")
    check_a11y(page)
    submit(page)
    # A required question left open: the page comes back with what was typed.
    page.check(f"#q{ids['likert']}-2")
    submit(page)
    assert page.locator(".error-summary").is_visible()
    assert page.is_checked(f"#q{ids['likert']}-2")
    check_a11y(page)
    answer_all(page, ids, "<b>Mijn mening</b> over kweekvlees", proposal="Eigen stelling")
    # Review
    assert "/review" in page.url
    assert "<b>Mijn mening</b> over kweekvlees" in page.inner_text("main")
    check_a11y(page)
    submit(page)
    # Receipt
    assert "/receipt/" in page.url
    check_a11y(page)
    assert has_no_horizontal_scroll(page)
    assert "<b>Mijn mening</b> over kweekvlees" in page.inner_text("main")
    edit_link = page.locator(".edit-link a").get_attribute("href")
    assert edit_link and "/edit/" in edit_link
    # Another browser with the private link changes the answer.
    other = new_page(locale="nl-NL" if lang == "nl" else "en-GB", viewport=PHONE)
    other.goto(edit_link + f"?lang={lang}")
    assert "/review" in other.url
    # The open question's "Change" link: its page, at the question.
    with other.expect_navigation():
        other.click(f"a[href$='/respond/3#q{ids['open']}-question']")
    assert other.url.endswith(f"/respond/3#q{ids['open']}-question")
    other.fill(f"#q{ids['open']}", "Toch een andere mening")
    submit(other)
    submit(other)
    assert "/receipt/" in other.url
    assert "Toch een andere mening" in other.inner_text("main")
    # Withdraw
    with other.expect_navigation():
        other.click(f"a[href$='/consultations/{ids['slug']}/withdraw']")
    check_a11y(other)
    submit(other)
    check_a11y(other)
    with live_server.app.app_context():
        response = db.session.scalar(select(Response))
        assert response is not None and response.status == ResponseStatus.WITHDRAWN
        assert db.session.scalar(select(Answer)) is None


def test_the_profile_can_be_filled_by_keyboard_alone(live_server: LiveServer,
                                                    new_page: Any) -> None:
    ids = make(live_server)
    page = new_page(locale="en-GB", viewport=PHONE)
    page.goto(live_server(f"/consultations/{ids['slug']}/respond?lang=en"))
    page.focus("#category-citizen")
    page.keyboard.press("Space")  # choose "citizen"
    assert page.is_checked("#category-citizen")
    page.focus("#consent-publish_with_name")
    page.keyboard.press("ArrowDown")  # radio groups move with arrow keys
    assert page.is_checked("#consent-publish_anonymously")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "age_confirmed"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the submit button
    page.wait_for_url("**/respond/1")
    # Statements: arrow keys move between agree, disagree and pass.
    first = ids["statement_ids"][0]
    page.focus(f"#q{ids['statements']}-s{first}-agree")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    assert page.is_checked(f"#q{ids['statements']}-s{first}-disagree")
    # The ranking works without JavaScript: a number per item.
    assert page.locator(f"#q{ids['likert']}-1").is_visible()


def test_a_typed_organisation_name_is_never_published_unverified(live_server: LiveServer,
                                                                new_page: Any) -> None:
    ids = make(live_server)
    for number, (name, consent) in enumerate([("Open Stichting", "publish_with_name"),
                                              ("Stille BV", "publish_anonymously"),
                                              ("Geheime Gemeente", "do_not_publish")]):
        page = new_page(locale="nl-NL", viewport=PHONE)
        page.goto(live_server(f"/consultations/{ids['slug']}/respond"))
        page.check("#category-company" if "BV" in name else "#category-civil_society"
                   if "Stichting" in name else "#category-government")
        page.fill("#organisation_name", name)
        page.check(f"#consent-{consent}")
        page.check("#age_confirmed")
        submit(page)
        answer_all(page, ids, f"Tekst nummer {number}")
        submit(page)
        assert "/receipt/" in page.url
    with live_server.app.app_context():
        for answer in db.session.scalars(select(Answer).where(Answer.text.is_not(None))):
            answer.moderation = ModerationStatus.APPROVED
        db.session.commit()
    page = new_page(locale="nl-NL", viewport=PHONE)
    page.goto(live_server(f"/consultations/{ids['slug']}/responses"))
    assert "Geheime Gemeente" not in page.content()
    text = page.inner_text("ul.responses")
    # Consent to publish the name is not enough: the name waits for verification.
    assert "Open Stichting" not in page.content()
    assert "organisatie (niet geverifieerd)" in text and "Maatschappelijke organisatie" in text
    assert "Stille BV" not in text and "Bedrijf" in text and "Tekst nummer 1" in text
    assert "Overheidsorganisatie" not in text and "Tekst nummer 2" not in text
    check_a11y(page)
    assert has_no_horizontal_scroll(page)


def test_report_and_officials_pages_pass_axe(live_server: LiveServer, new_page: Any) -> None:
    ids = make(live_server)
    page = new_page(locale="en-GB")
    page.goto(live_server(f"/consultations/{ids['slug']}/respond"))
    page.check("#category-citizen")
    page.check("#consent-publish_anonymously")
    page.check("#age_confirmed")
    submit(page)
    answer_all(page, ids, "Een open antwoord", proposal="Nieuwe stelling")
    submit(page)
    page.goto(live_server("/account/login?lang=en"))
    page.fill("#email", "ambtenaar@consult.example")
    page.fill("#password", "demo-ambtenaar-2026")
    submit(page)
    base = f"/officials/consultations/{ids['slug']}"
    for path in ("/officials/", base, base + "/questions/new",
                 f"{base}/questions/{ids['single']}", base + "/moderation",
                 base + "/responses", base + "/report",
                 f"/consultations/{ids['slug']}/respond/1?preview=1"):
        page.goto(live_server(path))
        check_a11y(page)
    with live_server.app.app_context():
        from consult.models import Consultation

        c = db.session.get(Consultation, ids["id"])
        assert c is not None
        c.closes_at = utcnow()
        c.report_summary_en = "We heard **much**."
        c.status = ConsultationStatus.REPORT_PUBLISHED
        c.report_published_at = utcnow()
        db.session.commit()
    for lang in ("nl", "en"):
        report = new_page(viewport=PHONE)
        report.goto(live_server(f"/consultations/{ids['slug']}/report?lang={lang}"))
        assert report.locator(".bar-chart").count() >= 5
        assert report.locator(".bar-label").first.inner_text().strip() != ""
        assert report.locator("table").count() >= 5
        check_a11y(report)
        check_rules(report, ["landmark-unique"])  # each table region has its own name
        assert has_no_horizontal_scroll(report)
