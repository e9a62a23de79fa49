"""Consultations for tests: an open consultation that uses every question kind."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from consult.extensions import db
from consult.models import (
    Audience,
    Consultation,
    ConsultationStatus,
    QuestionKind,
    utcnow,
)
from consult.services.catalogue import ensure_catalogues
from consult.services.consultations import editing as service
from consult.services.consultations import questions
from tests.factories.users import official_user


def build_consultation(
    slug: str = "kweekvlees", audience: Audience = Audience.ANYONE, opened: bool = True,
    topic: str = "cultivated-meat-fish",
) -> Consultation:
    """An open consultation with one question of every kind, on pages 1 to 3.

    Page 1: principle rating (required), statements (proposals allowed), likert (required).
    Page 2: single choice (required), multiple choice (max 2), ranking.
    Page 3: open text (max 200), and a conditional open text shown only when the
    single-choice answer is its first option ("Yes").
    """
    ensure_catalogues()
    from consult.models import Topic

    official = official_user()
    topic_row = db.session.scalar(db.select(Topic).filter_by(code=topic))
    now = utcnow()
    consultation = service.create_consultation(official, service.ConsultationData(
        title_nl="Kweekvlees in Nederland", title_en="Cultivated meat in the Netherlands",
        summary_nl="Wat vindt u van kweekvlees?", summary_en="What do you think?",
        body_nl="**Achtergrond** bij kweekvlees.", body_en="**Background** on cultivated meat.",
        topic_id=topic_row.id if topic_row else None, slug=slug, audience=audience,
        opens_at_local=service.utc_to_local(now + timedelta(days=1)),
        closes_at_local=service.utc_to_local(now + timedelta(days=30)),
    ))
    QD = questions.QuestionData
    questions.add_question(official, consultation, QD(
        QuestionKind.PRINCIPLE_RATING, "Hoe belangrijk is elk principe?",
        "How much does each principle matter?", page=1, required=True))
    questions.add_question(official, consultation, QD(
        QuestionKind.STATEMENTS, "Stellingen", "Statements", page=1, allow_proposals=True,
        statements=[("Kweekvlees is veilig", "Cultivated meat is safe", ["safety"]),
                    ("Het moet op het etiket", "It must be labelled", ["freedom-of-choice"])]))
    questions.add_question(official, consultation, QD(
        QuestionKind.LIKERT, "Ik zou kweekvlees proeven", "I would taste it", page=1,
        required=True))
    single = questions.add_question(official, consultation, QD(
        QuestionKind.SINGLE_CHOICE, "Eet u vlees?", "Do you eat meat?", page=2, required=True,
        options=[("Ja", "Yes"), ("Nee", "No")]))
    questions.add_question(official, consultation, QD(
        QuestionKind.MULTIPLE_CHOICE, "Waar koopt u?", "Where do you shop?", page=2,
        max_choices=2, options=[("Supermarkt", "Supermarket"), ("Slager", "Butcher"),
                                ("Markt", "Market")]))
    questions.add_question(official, consultation, QD(
        QuestionKind.RANKING, "Rangschik", "Rank these", page=2,
        options=[("Prijs", "Price"), ("Smaak", "Taste"), ("Dierenwelzijn", "Animal welfare")]))
    questions.add_question(official, consultation, QD(
        QuestionKind.OPEN_TEXT, "Wat wilt u nog zeggen?", "Anything else?", page=3,
        max_length=200))
    questions.add_question(official, consultation, QD(
        QuestionKind.OPEN_TEXT, "Waarom eet u vlees?", "Why do you eat meat?", page=3,
        condition_option_id=single.options[0].id))
    service.schedule(official, consultation)
    if opened:
        service.open_now(official, consultation)
    db.session.commit()
    assert consultation.effective_status() == (
        ConsultationStatus.OPEN if opened else ConsultationStatus.SCHEDULED)
    return consultation


def q(consultation: Consultation, kind: QuestionKind, n: int = 0) -> Any:
    """The consultation's `n`-th question of `kind` (counted from 0)."""
    return [x for x in consultation.questions if x.kind == kind][n]
