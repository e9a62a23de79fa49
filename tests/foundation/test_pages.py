"""The public pages, error pages, health check, security.txt and demo data."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import Principle, Topic, User
from tests.support.apps import make_app

PAGES = {
    "/": ("Praat mee over biotechnologie", "Have your say on biotechnology"),
    "/about": ("Over deze dialoog", "About this dialogue"),
    "/privacy": ("Privacyverklaring", "Privacy statement"),
    "/accessibility": ("Toegankelijkheidsverklaring", "Accessibility statement"),
    "/account/login": ("Inloggen", "Log in"),
    "/account/register": ("Maak een account aan", "Create an account"),
}


@pytest.mark.parametrize("path", PAGES)
def test_pages_in_both_languages_with_landmarks(app: Flask, path: str) -> None:
    client = app.test_client()
    for lang, heading in zip(("nl", "en"), PAGES[path], strict=True):
        html = client.get(f"{path}?lang={lang}").get_data(as_text=True)
        assert f'<html lang="{lang}">' in html
        assert f"<h1>{heading}</h1>" in html
        for landmark in ("<header", "<nav", '<main id="main"', "<footer", 'class="skip-link"'):
            assert landmark in html


def test_home_lists_the_principles(app: Flask) -> None:
    from consult.services.catalogue import ensure_catalogues

    ensure_catalogues()
    db.session.commit()
    html = app.test_client().get("/?lang=en").get_data(as_text=True)
    assert "Strategic autonomy" in html and "Naturalness and genetic integrity" in html


def test_home_shows_what_is_open_the_seats_and_the_reports(app: Flask) -> None:
    """The cards say until when a consultation is open, how long it is and how many
    responses are public so far; tastings say how many seats are left; a published
    report is listed under what was done with the input."""
    from consult.models import ConsultationStatus
    from tests.factories.consultations import build_consultation
    from tests.factories.events import make_event_in_db
    from tests.factories.users import official_user

    with app.test_request_context("/"):
        build_consultation()  # 8 questions on 3 pages, open for 30 days
        done = build_consultation(slug="eerder")
        done.status = ConsultationStatus.REPORT_PUBLISHED
        done.report_summary_nl = "Samenvatting"
        make_event_in_db(official_user(), tasting=True, capacity=12, seats_taken=5)
        db.session.commit()
    client = app.test_client()
    english = client.get("/?lang=en").get_data(as_text=True)
    assert "Open until" in english and "8 questions, on 3 pages" in english
    assert "0 published responses so far" in english
    assert "7 seats left" in english
    assert "What we did with your input" in english
    assert 'href="/consultations/eerder/report"' in english
    dutch = client.get("/?lang=nl").get_data(as_text=True)
    assert "Open tot" in dutch and "8 vragen, op 3 pagina" in dutch
    assert "Wat er met uw inbreng is gedaan" in dutch and "7 plaatsen vrij" in dutch


def test_not_found_page_in_both_languages(app: Flask) -> None:
    client = app.test_client()
    nl = client.get("/bestaat-niet?lang=nl")
    assert nl.status_code == 404 and "Pagina niet gevonden" in nl.get_data(as_text=True)
    en = client.get("/does-not-exist?lang=en")
    assert en.status_code == 404 and "Page not found" in en.get_data(as_text=True)


def test_an_unexpected_error_gets_the_500_page(app: Flask) -> None:
    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("boom")

    response = app.test_client().get("/boom?lang=en")
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)


def test_403_for_a_role_page(app: Flask, make_user: Callable[..., User]) -> None:
    from consult.blueprints.access import role_required
    from consult.models import Role
    from tests.support.sessions import login

    @app.get("/officials-only")
    @role_required(Role.OFFICIAL)
    def officials_only() -> str:
        return "secret"

    client = app.test_client()
    assert "/account/login" in client.get("/officials-only").headers["Location"]
    make_user("citizen@example.nl")
    login(client, "citizen@example.nl")
    response = client.get("/officials-only?lang=en")
    assert response.status_code == 403 and "No access" in response.get_data(as_text=True)


def test_health_answers_with_version_and_database(app: Flask) -> None:
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "version": "0.1.0", "database": True,
                             "redis": None, "rate_limits": "per-worker"}


def test_health_is_503_when_the_database_does_not_answer(tmp_path: Path) -> None:
    app = make_app(tmp_path, "postgresql+psycopg://postgres@127.0.0.1:1/nothing")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json is not None and response.json["database"] is False


def test_security_txt_names_the_configured_contact(app_factory: Callable[..., Flask]) -> None:
    app = app_factory(SECURITY_CONTACT="mailto:csirt@example.nl")
    response = app.test_client().get("/.well-known/security.txt")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Contact: mailto:csirt@example.nl" in text
    assert "Expires: " in text


def test_demo_data_twice_changes_nothing(app: Flask) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo-data"])
    assert first.exit_code == 0, first.output
    assert "beheer@consult.example" in first.output

    def counts() -> tuple[int, int, int]:
        return (
            db.session.scalar(select(func.count(User.id))) or 0,
            db.session.scalar(select(func.count(Topic.id))) or 0,
            db.session.scalar(select(func.count(Principle.id))) or 0,
        )

    before = counts()
    assert before[0] >= 4 and before[1] == 4 and before[2] == 7
    second = runner.invoke(args=["demo-data"])
    assert second.exit_code == 0, second.output
    assert counts() == before


def test_the_statements_name_the_controller_in_the_page_s_language(
    app_factory: Callable[..., Flask],
) -> None:
    """Without a controller set, the statements name the organisation in the page's
    language; a ministry's own name, once set, is used on both."""
    client = app_factory().test_client()
    for path in ("/privacy", "/accessibility"):
        dutch = client.get(f"{path}?lang=nl").get_data(as_text=True)
        english = client.get(f"{path}?lang=en").get_data(as_text=True)
        assert "Voorbeeldorganisatie is" in dutch or "Voorbeeldorganisatie wil" in dutch
        assert "Example Organisation" not in dutch.split("<main")[1]
        assert "Example Organisation is" in english or "Example Organisation wants" in english
    named = app_factory(CONTROLLER_NAME="Ministerie van LVVN").test_client()
    assert "Ministerie van LVVN" in named.get("/privacy?lang=en").get_data(as_text=True)
