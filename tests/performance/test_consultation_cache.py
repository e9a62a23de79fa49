"""The consultation page's caches stay true: every edit shows at once, nobody sees
another person's page, and responding does not invalidate the structure."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import insert

from consult.blueprints import anonymous_pages
from consult.extensions import db
from consult.models import (
    Consultation,
    ModerationStatus,
    PublicationConsent,
    QuestionKind,
    RespondentCategory,
    Response,
    ResponseStatus,
    Statement,
    User,
    utcnow,
)
from consult.services.consultations import editing as service
from consult.services.consultations import moderation
from consult.services.consultations import page_cache as consultation_cache
from tests.factories.consultations import build_consultation, q
from tests.factories.users import official_user
from tests.support.responding import PROFILE, respond
from tests.support.sessions import login


def _consultation(app: Flask) -> Consultation:
    with app.test_request_context("/"):
        return build_consultation()


def test_the_version_rises_with_every_change_to_the_structure(db_app: Flask) -> None:
    with db_app.test_request_context("/"):
        c = build_consultation()
        official = official_user()
        seen = [c.version]

        def changed() -> None:
            db.session.commit()
            assert c.version > seen[-1]
            seen.append(c.version)

        c.title_en = "Cultivated meat, revised"
        changed()
        q(c, QuestionKind.SINGLE_CHOICE).options[0].label_en = "Yes, often"
        changed()
        q(c, QuestionKind.OPEN_TEXT).text_en = "Anything else to add?"
        changed()
        statement = q(c, QuestionKind.STATEMENTS).statements[0]
        statement.text_en = "Cultivated meat is safe when tested"
        changed()
        service.add_document(official, c, "Achtergrond", "Background",
                             url="https://example.org/a")
        changed()
        pending = Statement(question=q(c, QuestionKind.STATEMENTS), text_nl="Nieuw",
                            status=ModerationStatus.PENDING)
        db.session.add(pending)
        db.session.commit()
        assert c.version == seen[-1], "a proposal waiting for moderation changes nothing shown"
        moderation.moderate_statement(official, pending, approve=True)
        changed()


def test_responding_leaves_the_version_alone(app: Flask, client: FlaskClient) -> None:
    c = _consultation(app)
    version = c.version
    respond(client, c)
    db.session.expire_all()
    assert db.session.get(Consultation, c.id).version == version
    assert db.session.query(Response).count() == 1


def test_an_edit_shows_on_the_public_page_at_once(app: Flask, client: FlaskClient) -> None:
    c = _consultation(app)
    assert "Cultivated meat in the Netherlands" in client.get(f"/consultations/{c.slug}").text
    with app.test_request_context("/"):
        service.update_consultation(official_user(), c, service.ConsultationData(
            title_nl=c.title_nl, title_en="Cultivated meat: tell us", summary_nl=c.summary_nl,
            summary_en=c.summary_en, body_nl=c.body_nl, body_en="A **new** background.",
            topic_id=c.topic_id, slug=c.slug, audience=c.audience,
            opens_at_local=service.utc_to_local(c.opens_at),
            closes_at_local=service.utc_to_local(c.closes_at)))
        db.session.commit()
    page = client.get(f"/consultations/{c.slug}").text
    assert "Cultivated meat: tell us" in page
    assert "<strong>new</strong>" in page
    assert "Cultivated meat in the Netherlands" not in page


def test_the_kept_page_is_the_page_freshly_rendered(app: Flask, client: FlaskClient) -> None:
    c = _consultation(app)
    first = client.get(f"/consultations/{c.slug}").text
    # No form token on the kept page (the follow box links to the follow form's page),
    # so the kept copy and a fresh rendering are equal byte for byte.
    assert "csrf_token" not in first
    assert client.get(f"/consultations/{c.slug}").text == first
    anonymous_pages.clear()
    consultation_cache.clear()
    assert client.get(f"/consultations/{c.slug}").text == first


def test_each_language_has_its_own_page(app: Flask, client: FlaskClient) -> None:
    c = _consultation(app)
    assert "Cultivated meat in the Netherlands" in client.get(f"/consultations/{c.slug}").text
    dutch = app.test_client()
    dutch.environ_base["HTTP_ACCEPT_LANGUAGE"] = "nl"
    page = dutch.get(f"/consultations/{c.slug}").text
    assert "Kweekvlees in Nederland" in page
    assert "Cultivated meat in the Netherlands" not in page


def test_a_logged_in_person_never_gets_the_anonymous_page(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    c = _consultation(app)
    assert "Log out" not in client.get(f"/consultations/{c.slug}").text
    make_user("anna@example.nl")
    login(client, "anna@example.nl")
    assert "Log out" in client.get(f"/consultations/{c.slug}").text


def test_a_visitor_with_a_response_sees_their_own_state(app: Flask, client: FlaskClient) -> None:
    c = _consultation(app)
    assert "Respond to this consultation" in client.get(f"/consultations/{c.slug}").text
    client.post(f"/consultations/{c.slug}/respond", data=PROFILE)
    page = client.get(f"/consultations/{c.slug}").text
    assert "Continue your response" in page
    stranger = app.test_client()
    stranger.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert "Respond to this consultation" in stranger.get(f"/consultations/{c.slug}").text


def test_the_count_of_published_responses_is_reused_only_for_its_max_age(
    app: Flask, client: FlaskClient
) -> None:
    c = _consultation(app)
    assert consultation_cache.published_count(c) == 0
    respond(client, c)
    assert consultation_cache.published_count(c) == 0, "reused within its max age"
    assert consultation_cache.published_count(c, max_age=0) == 1


def test_the_published_count_is_written_in_the_pages_language(app: Flask) -> None:
    """1,234 published responses read "1.234" on the Dutch page and "1,234" on the English
    one (the kept page is per language, so each keeps its own format)."""
    c = _consultation(app)
    with app.app_context():
        db.session.execute(insert(Response), [
            {"public_id": f"p{n:05d}", "consultation_id": c.id,
             "status": ResponseStatus.SUBMITTED, "category": RespondentCategory.CITIZEN,
             "consent": PublicationConsent.PUBLISH_ANONYMOUSLY, "submitted_at": utcnow()}
            for n in range(1234)])
        db.session.commit()
    for lang, shown in (("nl", "1.234"), ("en", "1,234")):
        page = app.test_client().get(f"/consultations/{c.slug}?lang={lang}").text
        assert f"<dd>{shown}</dd>" in page, lang
