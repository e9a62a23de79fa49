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
