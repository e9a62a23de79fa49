"""Smaller rules: campaign detection, documents, report visibility, receipts, status."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient

from consult.csv_files import safe_cell
from consult.extensions import db
from consult.models import Consultation, ConsultationStatus, QuestionKind, Role, utcnow
from consult.services import DomainError
from consult.services.consultations import editing as service
from consult.services.consultations import exports, moderation, questions
from consult.services.consultations.similarity import group_similar, normalise, normalised_hash
from consult.timezone import local_time_exists
from tests.factories.consultations import q
from tests.factories.users import official_user
from tests.support.responding import respond
from tests.support.sessions import login

CAMPAIGN = "Stop kweekvlees! Echt voedsel komt van de boer, niet uit het lab."


def test_normalising_ignores_case_punctuation_and_spacing() -> None:
    assert normalise("  Stop   KWEEKVLEES!!  ") == "stop kweekvlees"
    assert normalised_hash("Stop, kweekvlees.") == normalised_hash("stop kweekvlees")


def test_identical_and_near_identical_texts_are_grouped_and_others_are_not() -> None:
    texts = [
        (1, CAMPAIGN), (2, CAMPAIGN.upper()), (3, CAMPAIGN + " Echt waar."),
        (4, "Ik vind het een goed idee voor het klimaat."),
        (5, "Geef innovatie de ruimte, met goede veiligheidstoetsen."),
    ]
    groups = group_similar(texts)
    assert len(groups) == 1
    assert groups[0].ids == [1, 2, 3] and not groups[0].identical
    assert group_similar(texts[:2])[0].identical


def test_campaign_signals_are_counted_for_officials_and_nothing_is_dropped(
    app, make_consultation: Callable[..., Consultation], make_user
) -> None:
    c = make_consultation()
    for _ in range(5):
        respond(app.test_client(), c, text=CAMPAIGN)
    respond(app.test_client(), c, text="Iets heel anders")
    with app.test_request_context("/"):
        signals = moderation.campaign_signals(c)
    assert signals[0].flagged == 5
    make_user("ambtenaar@example.nl", role=Role.OFFICIAL)
    official = app.test_client()
    login(official, "ambtenaar@example.nl")
    page = official.get(f"/officials/consultations/{c.slug}/moderation").get_data(as_text=True)
    assert "5 keer" in page or "5 times" in page
    rows = list(exports.iter_records(c, public=False))
    assert len(rows) == 6


def test_a_pdf_is_checked_by_its_first_bytes(app, make_user,
                                              make_consultation: Callable[..., Consultation]
                                              ) -> None:
    import io

    c = make_consultation()
    make_user("ambtenaar@example.nl", role=Role.OFFICIAL)
    official = app.test_client()
    login(official, "ambtenaar@example.nl")
    url = f"/officials/consultations/{c.slug}/documents"
    official.post(url, data={"doc-title_nl": "Nep", "doc-file": (
        io.BytesIO(b"<html>not a pdf</html>"), "nep.pdf")}, content_type="multipart/form-data")
    assert c.documents == []
    official.post(url, data={"doc-title_nl": "Rapport", "doc-file": (
        io.BytesIO(b"%PDF-1.7\n% test\n"), "rapport van mij.pdf")},
        content_type="multipart/form-data")
    db.session.refresh(c)
    assert [d.filename for d in c.documents] == ["rapport-van-mij.pdf"]
    download = app.test_client().get(f"/consultations/{c.slug}/documents/{c.documents[0].id}")
    assert download.status_code == 200 and download.data.startswith(b"%PDF-")
    assert download.mimetype == "application/pdf"


def test_the_report_is_public_only_once_published(
    app, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    respond(app.test_client(), c)
    public = app.test_client()
    assert public.get(f"/consultations/{c.slug}/report").status_code == 404
    official = official_user()
    with app.test_request_context("/"):
        with pytest.raises(DomainError):
            service.publish_report(official, c)  # still open
        service.close_now(official, c)
        with pytest.raises(DomainError):
            service.publish_report(official, c)  # no summary yet
        c.report_summary_nl = "Wij hoorden veel."
        service.publish_report(official, c)
    db.session.commit()
    page = public.get(f"/consultations/{c.slug}/report")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.count("<svg") >= 6 and html.count("<table") >= 6
    assert "Wij hoorden veel." in html


def test_a_receipt_is_shown_only_to_its_respondent(
    app, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    client = app.test_client()
    location = respond(client, c).headers["Location"]
    assert client.get(location).status_code == 200
    assert app.test_client().get(location).status_code == 404


def test_questions_are_locked_once_open_and_drafts_are_hidden(
    app, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    official = official_user()
    with app.test_request_context("/"), pytest.raises(DomainError):
        questions.delete_question(official, q(c, QuestionKind.LIKERT))
    draft = make_consultation(slug="concept", opened=False)
    draft.status = ConsultationStatus.DRAFT
    db.session.commit()
    assert app.test_client().get("/consultations/concept").status_code == 404
    assert "concept" not in app.test_client().get("/consultations/").get_data(as_text=True)


def test_a_scheduled_consultation_opens_and_closes_by_the_clock(
    make_consultation: Callable[..., Consultation]
) -> None:
    from datetime import timedelta

    c = make_consultation(opened=False)
    assert c.effective_status() == ConsultationStatus.SCHEDULED
    assert c.effective_status(c.opens_at + timedelta(seconds=1)) == ConsultationStatus.OPEN
    assert c.effective_status(c.closes_at) == ConsultationStatus.CLOSED
    assert c.effective_status(utcnow()) == ConsultationStatus.SCHEDULED


def test_csv_cells_that_look_like_formulas_are_made_text() -> None:
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell(-1) == -1
    assert safe_cell(None) == ""


def test_local_times_follow_one_rule_on_the_days_the_clocks_move() -> None:
    # Spring 2030-03-31: 02:00-03:00 does not exist; autumn 2030-10-27: 02:30 is twice.
    with pytest.raises(DomainError):
        service.local_to_utc(datetime(2030, 3, 31, 2, 30))
    assert not local_time_exists(datetime(2030, 3, 31, 2, 30))
    assert service.local_to_utc(datetime(2030, 3, 31, 3, 0)) == datetime(2030, 3, 31, 1, 0,
                                                                         tzinfo=UTC)
    assert service.local_to_utc(datetime(2030, 10, 27, 2, 30)) == datetime(2030, 10, 27, 0, 30,
                                                                           tzinfo=UTC)
    assert service.utc_to_local(datetime(2030, 10, 27, 0, 30, tzinfo=UTC)) == datetime(
        2030, 10, 27, 2, 30)


def test_the_consultation_page_shows_markdown_as_safe_html(
    client: FlaskClient, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    c.body_en = "**Bold** <script>alert(1)</script>"
    db.session.commit()
    html = client.get(f"/consultations/{c.slug}").get_data(as_text=True)
    assert "<strong>Bold</strong>" in html and "<script>alert(1)" not in html
