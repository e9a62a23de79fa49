"""Responses for analysis tests, made quickly (straight inserts, like the demo data)."""

from __future__ import annotations

import itertools
from typing import Any

from consult.extensions import db
from consult.models import (
    Answer,
    Consultation,
    ModerationStatus,
    PublicationConsent,
    QuestionKind,
    RespondentCategory,
    Response,
    ResponseStatus,
    StatementVote,
    utcnow,
)
from consult.services.catalogue import principles
from tests.factories.consultations import q

_ids = itertools.count(1)


def add_response(
    consultation: Consultation, *, category: str = "citizen",
    consent: PublicationConsent = PublicationConsent.PUBLISH_ANONYMOUSLY,
    votes: list[int | None] | None = None, rating: int | dict[str, int] | None = None,
    likert: float | None = None, text: str | None = None,
    moderation: ModerationStatus = ModerationStatus.APPROVED, user_id: int | None = None,
    status: ResponseStatus = ResponseStatus.SUBMITTED, spam: bool = False,
    organisation: str | None = None, locale: str = "nl",
) -> Response:
    """One response; `votes` per statement in order (None = not seen), `rating` one value
    for every principle or a dict per code."""
    cat = RespondentCategory(category)
    response = Response(
        public_id=f"r{next(_ids):031d}", consultation_id=consultation.id, status=status,
        category=cat, consent=consent, age_confirmed=True, locale=locale, is_spam=spam,
        organisation_name=organisation or (None if cat == RespondentCategory.CITIZEN
                                           else "Stichting Voorbeeld"),
        user_id=user_id, submitted_at=utcnow() if status == ResponseStatus.SUBMITTED else None,
    )
    db.session.add(response)
    db.session.flush()
    if rating is not None:
        value = rating if isinstance(rating, dict) else {p.code: rating for p in principles()}
        db.session.add(Answer(response_id=response.id,
                              question_id=q(consultation, QuestionKind.PRINCIPLE_RATING).id,
                              value=value))
    if likert is not None:
        db.session.add(Answer(response_id=response.id,
                              question_id=q(consultation, QuestionKind.LIKERT).id,
                              number=likert))
    if text is not None:
        db.session.add(Answer(response_id=response.id,
                              question_id=q(consultation, QuestionKind.OPEN_TEXT).id,
                              text=text, moderation=moderation))
    statements = q(consultation, QuestionKind.STATEMENTS).statements if votes else []
    for statement, vote in zip(statements, votes or [], strict=False):
        if vote is not None:
            db.session.add(StatementVote(response_id=response.id, statement_id=statement.id,
                                         vote=vote))
    db.session.flush()
    return response


def two_camps(consultation: Consultation, per_camp: int = 15, **extra: Any) -> None:
    """Two clearly different camps: keen citizens and sceptical companies."""
    for _ in range(per_camp):
        add_response(consultation, category="citizen", votes=[1, 1], rating=5,
                     likert=5, text="Kweekvlees is goed voor dieren en klimaat.")
        add_response(consultation, category="company", votes=[-1, -1], rating=1,
                     likert=1, text="Echt vlees van de boer is beter.")
    db.session.commit()
