"""Guided coding of open answers: a codebook per consultation and the officials' decisions.

`CodingCode` is one entry of a consultation's codebook (by default the ethical principles
plus "other"; officials may rename and add). `CodingDecision` is one act of coding an answer,
by hand or by accepting the platform's suggestion, with who and when: decisions are only
added, never changed, so they are their own audit trail. An answer's code is its newest
decision.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._common import Bilingual, enum_column
from .consultation import Consultation
from .response import Answer
from .types import UTCDateTime, utcnow


class CodingSource(enum.StrEnum):
    MANUAL = "manual"
    SUGGESTION = "suggestion"


class CodingCode(Bilingual, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "coding_codes"
    __table_args__ = (UniqueConstraint("consultation_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(60))
    label_nl: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)

    consultation: Mapped[Consultation] = relationship()

    def label(self, locale: str) -> str:
        return self._pick("label", locale)


class CodingDecision(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "coding_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(
        ForeignKey("answers.id", ondelete="CASCADE"), index=True
    )
    code_id: Mapped[int] = mapped_column(
        ForeignKey("coding_codes.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[CodingSource] = mapped_column(enum_column(CodingSource, 16))
    confidence: Mapped[float | None] = mapped_column(Float)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    answer: Mapped[Answer] = relationship()
    code: Mapped[CodingCode] = relationship()


class CodingModel(db.Model):  # type: ignore[name-defined,misc]
    """The newest training of a consultation's suggestions for one language: what it was
    trained on (``fingerprint``: the answers, their codes and the codebook's words), its
    cross-validated accuracy, and when. Its proposals are `CodingSuggestion` rows; a page
    reads them instead of retraining, and knows they are out of date when the fingerprint
    of the current answers and codes differs."""

    __tablename__ = "coding_models"
    __table_args__ = (UniqueConstraint("consultation_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(8))
    fingerprint: Mapped[str] = mapped_column(String(64))
    cv_accuracy: Mapped[float | None] = mapped_column(Float)
    n_coded: Mapped[int] = mapped_column(Integer, default=0)
    trained_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CodingSuggestion(db.Model):  # type: ignore[name-defined,misc]
    """A proposed code for one answer, made by one `CodingModel` (replaced at each training)."""

    __tablename__ = "coding_suggestions"
    __table_args__ = (UniqueConstraint("model_id", "answer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[int] = mapped_column(
        ForeignKey("coding_models.id", ondelete="CASCADE"), index=True
    )
    answer_id: Mapped[int] = mapped_column(
        ForeignKey("answers.id", ondelete="CASCADE"), index=True
    )
    code_id: Mapped[int] = mapped_column(
        ForeignKey("coding_codes.id", ondelete="CASCADE"), index=True
    )
    confidence: Mapped[float] = mapped_column(Float)
