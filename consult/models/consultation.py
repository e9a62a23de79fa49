"""Consultations, their documents, questions, options and statements.

Status rule: officials move a consultation through draft -> scheduled -> open -> closed ->
report published. Once scheduled, the dates decide: before `opens_at` it is scheduled,
from `opens_at` until `closes_at` it is open, from `closes_at` on it is closed. The stored
`status` records the last act of an official; `effective_status()` is what counts
everywhere (a scheduled consultation opens by itself at its open time, and closes by
itself at its close time). Draft and report-published are never changed by the clock.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, Session, deferred, mapped_column, relationship
from sqlalchemy.sql import ColumnElement

from ..extensions import db
from ._common import Bilingual, raise_version_on_change
from ._common import enum_column as _enum
from .catalogue import Principle, Topic
from .types import OpenEnum, OtherValue, UTCDateTime, utcnow


class ConsultationStatus(enum.StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"
    REPORT_PUBLISHED = "report_published"


class Audience(enum.StrEnum):
    ANYONE = "anyone"
    ACCOUNT = "account"


class QuestionKind(enum.StrEnum):
    PRINCIPLE_RATING = "principle_rating"
    STATEMENTS = "statements"
    LIKERT = "likert"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    RANKING = "ranking"
    OPEN_TEXT = "open_text"


class ModerationStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    HIDDEN = "hidden"


class Consultation(Bilingual, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "consultations"
    __table_args__ = (
        CheckConstraint("closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at",
                        name="closes_after_opens"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True, index=True)
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="SET NULL"))
    title_nl: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    summary_nl: Mapped[str] = mapped_column(Text, default="")
    summary_en: Mapped[str] = mapped_column(Text, default="")
    body_nl: Mapped[str] = mapped_column(Text, default="")
    body_en: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ConsultationStatus] = mapped_column(
        _enum(ConsultationStatus), default=ConsultationStatus.DRAFT
    )
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    audience: Mapped[Audience] = mapped_column(_enum(Audience), default=Audience.ANYONE)
    minimum_age: Mapped[int] = mapped_column(Integer, default=16)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    report_summary_nl: Mapped[str] = mapped_column(Text, default="")
    report_summary_en: Mapped[str] = mapped_column(Text, default="")
    report_outcome_nl: Mapped[str] = mapped_column(Text, default="")
    report_outcome_en: Mapped[str] = mapped_column(Text, default="")
    report_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Raised whenever the consultation, its questions, options, conditions, statements
    #: or documents change (the listener at the end of this module), so every worker's
    #: cached copy of its structure (services.consultations.page_cache) is replaced.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    topic: Mapped[Topic | None] = relationship()
    questions: Mapped[list[Question]] = relationship(
        back_populates="consultation", order_by="Question.position",
        cascade="all, delete-orphan",
    )
    documents: Mapped[list[ConsultationDocument]] = relationship(
        back_populates="consultation", order_by="ConsultationDocument.id",
        cascade="all, delete-orphan",
    )

    def title(self, locale: str) -> str:
        return self._pick("title", locale)

    def summary(self, locale: str) -> str:
        return self._pick("summary", locale)

    def body(self, locale: str) -> str:
        return self._pick("body", locale)

    def report_summary(self, locale: str) -> str:
        return self._pick("report_summary", locale)

    def report_outcome(self, locale: str) -> str:
        return self._pick("report_outcome", locale)

    def effective_status(self, now: datetime | None = None) -> ConsultationStatus:
        """The status that counts: see the module docstring for the rule."""
        return effective_status(self.status, self.opens_at, self.closes_at, now)

    def is_open(self, now: datetime | None = None) -> bool:
        return self.effective_status(now) == ConsultationStatus.OPEN

    @hybrid_property
    def is_public(self) -> bool:
        """Is it shown to the public (pages, API, links from events)? Every one but a draft."""
        return self.status != ConsultationStatus.DRAFT

    @is_public.inplace.expression
    @classmethod
    def _is_public_expression(cls) -> ColumnElement[bool]:
        return cls.status != ConsultationStatus.DRAFT

    def pages(self) -> list[int]:
        return sorted({q.page for q in self.questions})

    def __repr__(self) -> str:
        return f"<Consultation {self.slug}>"


def effective_status(status: ConsultationStatus, opens_at: datetime | None,
                     closes_at: datetime | None,
                     now: datetime | None = None) -> ConsultationStatus:
    """The rule of `Consultation.effective_status`, for a row read without the ORM."""
    if status in (ConsultationStatus.DRAFT, ConsultationStatus.REPORT_PUBLISHED):
        return status
    now = now or utcnow()
    if opens_at is None or now < opens_at:
        return ConsultationStatus.SCHEDULED
    if closes_at is None or now < closes_at:
        return ConsultationStatus.OPEN
    return ConsultationStatus.CLOSED


class ConsultationDocument(Bilingual, db.Model):  # type: ignore[name-defined,misc]
    """Background reading: an uploaded PDF (kept in the database) or a link."""

    __tablename__ = "consultation_documents"
    __table_args__ = (
        CheckConstraint("(url IS NULL) <> (content IS NULL)", name="link_or_file"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    title_nl: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    url: Mapped[str | None] = mapped_column(String(500))
    filename: Mapped[str | None] = mapped_column(String(200))
    size: Mapped[int | None] = mapped_column(Integer)
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    consultation: Mapped[Consultation] = relationship(back_populates="documents")

    def title(self, locale: str) -> str:
        return self._pick("title", locale)


class Question(Bilingual, db.Model):  # type: ignore[name-defined,misc]
    """One question on a page of the consultation.

    A question with a condition (`QuestionCondition`) is shown only when the answer to
    the condition's option's question (a choice question on an earlier page) includes
    that option.
    """

    __tablename__ = "questions"
    __table_args__ = (
        UniqueConstraint("consultation_id", "position"),
        CheckConstraint("page >= 1", name="page_positive"),
        CheckConstraint("max_choices IS NULL OR max_choices >= 1", name="max_choices_positive"),
        CheckConstraint("max_length IS NULL OR max_length >= 1", name="max_length_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    page: Mapped[int] = mapped_column(Integer, default=1)
    #: A QuestionKind member, or an OtherValue for a kind registered at run time
    #: (services.consultations.kinds); see OpenEnum for why the column is open.
    kind: Mapped[QuestionKind | OtherValue] = mapped_column(OpenEnum(QuestionKind))
    text_nl: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text, default="")
    help_nl: Mapped[str] = mapped_column(Text, default="")
    help_en: Mapped[str] = mapped_column(Text, default="")
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    max_choices: Mapped[int | None] = mapped_column(Integer)
    max_length: Mapped[int | None] = mapped_column(Integer)
    allow_proposals: Mapped[bool] = mapped_column(Boolean, default=False)
    consultation: Mapped[Consultation] = relationship(back_populates="questions")
    # "selectin": when a consultation's questions load, their options, statements and
    # conditions load with them in one query each, never one query per question.
    options: Mapped[list[QuestionOption]] = relationship(
        back_populates="question", order_by="QuestionOption.position",
        cascade="all, delete-orphan", foreign_keys="QuestionOption.question_id",
        lazy="selectin",
    )
    statements: Mapped[list[Statement]] = relationship(
        back_populates="question", order_by="Statement.id", cascade="all, delete-orphan",
        lazy="selectin",
    )
    condition: Mapped[QuestionCondition | None] = relationship(
        foreign_keys="QuestionCondition.question_id", cascade="all, delete-orphan",
        back_populates="question", uselist=False, lazy="selectin",
    )

    @property
    def condition_option(self) -> QuestionOption | None:
        return self.condition.option if self.condition is not None else None

    def text(self, locale: str) -> str:
        return self._pick("text", locale)

    def help(self, locale: str) -> str:
        return self._pick("help", locale)

    def approved_statements(self) -> list[Statement]:
        return [s for s in self.statements if s.status == ModerationStatus.APPROVED]

    def __repr__(self) -> str:
        return f"<Question {self.id} {self.kind.value}>"


class QuestionOption(Bilingual, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "question_options"
    __table_args__ = (UniqueConstraint("question_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    label_nl: Mapped[str] = mapped_column(String(300))
    label_en: Mapped[str] = mapped_column(String(300), default="")

    question: Mapped[Question] = relationship(
        back_populates="options", foreign_keys=[question_id]
    )

    def label(self, locale: str) -> str:
        return self._pick("label", locale)


class QuestionCondition(db.Model):  # type: ignore[name-defined,misc]
    """Show `question` only when the answer to `option`'s question includes `option`.

    Its own table, so questions and options do not refer to each other in a cycle.
    """

    __tablename__ = "question_conditions"

    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True
    )
    option_id: Mapped[int] = mapped_column(
        ForeignKey("question_options.id", ondelete="CASCADE"), index=True
    )

    question: Mapped[Question] = relationship(
        back_populates="condition", foreign_keys=[question_id]
    )
    option: Mapped[QuestionOption] = relationship(lazy="selectin")


statement_principles = Table(
    "statement_principles",
    db.Model.metadata,
    Column("statement_id", ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True),
    Column("principle_id", ForeignKey("principles.id", ondelete="CASCADE"), primary_key=True),
)


class Statement(Bilingual, db.Model):  # type: ignore[name-defined,misc]
    """A statement people agree with, disagree with or pass on.

    Officials' statements are approved when made; statements proposed by respondents
    start pending and are seen by others only once a moderator approved them.
    """

    __tablename__ = "statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    text_nl: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ModerationStatus] = mapped_column(
        _enum(ModerationStatus, 16), default=ModerationStatus.APPROVED
    )
    proposed_by_response_id: Mapped[int | None] = mapped_column(
        ForeignKey("responses.id", ondelete="SET NULL"), index=True
    )
    hidden_reason: Mapped[str | None] = mapped_column(String(500))
    moderated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    question: Mapped[Question] = relationship(back_populates="statements")
    principles: Mapped[list[Principle]] = relationship(
        secondary=statement_principles, order_by="Principle.position"
    )

    def text(self, locale: str) -> str:
        return self._pick("text", locale)

    def shown_language(self, name: str, locale: str) -> str:
        """A respondent's proposal is in their words and language, stored as the Dutch
        text: unknown ("") until an official gives it an English text."""
        if self.proposed_by_response_id is not None and not self.text_en:
            return ""
        return super().shown_language(name, locale)

    @property
    def principle_codes(self) -> list[str]:
        return [p.code for p in self.principles]


def _consultation_of(session: Session, row: object) -> Consultation | None:
    """Whose version a change to `row` raises; a respondent's new proposal raises none
    (it is not shown until approved)."""
    if isinstance(row, Statement) and row in session.new \
            and row.status == ModerationStatus.PENDING:
        return None
    if isinstance(row, Consultation):
        return row
    if isinstance(row, (Question, ConsultationDocument)):
        return row.consultation
    if isinstance(row, (QuestionOption, QuestionCondition, Statement)):
        question = row.question
        return question.consultation if question is not None else None
    return None


raise_version_on_change((Consultation, ConsultationDocument, Question, QuestionOption,
                         QuestionCondition, Statement), _consultation_of)
