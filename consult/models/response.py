"""Responses to a consultation: the respondent's profile, answers and statement votes.

One response per account per consultation and round (a unique constraint on
consultation, user and `survey_round`; rows without an account are not limited).
Withdrawing keeps the row with status `withdrawn`, so the rule holds and the person can
respond again on the same row.

A response started from a tasting's personal questionnaire link records the
registration it came from (`registration_id`) and its round (`survey_round`: "before"
or "after"; "" for every other response). So the same consultation can be answered
twice by one person, once before and once after the tasting, and the analysis pairs
the two through the registration, with or without an account (services.events.
survey_links and services.insights.shift).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    and_,
    case,
    or_,
    select,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship
from sqlalchemy.sql import ColumnElement

from ..extensions import db
from ._common import enum_column
from .consultation import Consultation, ModerationStatus, Question, Statement
from .types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from .organisation import Organisation


class ResponseStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"


class RespondentCategory(enum.StrEnum):
    CITIZEN = "citizen"
    CIVIL_SOCIETY = "civil_society"
    KNOWLEDGE_INSTITUTION = "knowledge_institution"
    COMPANY = "company"
    GOVERNMENT = "government"
    OTHER = "other"


class PublicationConsent(enum.StrEnum):
    PUBLISH_WITH_NAME = "publish_with_name"
    PUBLISH_ANONYMOUSLY = "publish_anonymously"
    DO_NOT_PUBLISH = "do_not_publish"


#: The rounds of a tasting's questionnaire; "" is an ordinary response (no round).
NO_ROUND = ""
ROUND_BEFORE = "before"
ROUND_AFTER = "after"
SURVEY_ROUNDS = (ROUND_BEFORE, ROUND_AFTER)


#: The consents under which a response may be published (with the name, or without).
PUBLISHING_CONSENTS = (PublicationConsent.PUBLISH_WITH_NAME,
                       PublicationConsent.PUBLISH_ANONYMOUSLY)


AGE_BANDS = ("16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+")

#: The twelve provinces, by a stable code (their Dutch name).
PROVINCES = (
    "Drenthe", "Flevoland", "Friesland", "Gelderland", "Groningen", "Limburg",
    "Noord-Brabant", "Noord-Holland", "Overijssel", "Utrecht", "Zeeland", "Zuid-Holland",
)


class Response(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "responses"
    __table_args__ = (
        UniqueConstraint("consultation_id", "user_id", "survey_round"),
        UniqueConstraint("consultation_id", "registration_id", "survey_round"),
        CheckConstraint(
            "category = 'citizen' OR category IS NULL OR organisation_name IS NOT NULL",
            name="organisation_named",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The id shown in receipt links; random, so receipts cannot be counted through.
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[ResponseStatus] = mapped_column(
        enum_column(ResponseStatus, 16), default=ResponseStatus.DRAFT, index=True
    )
    category: Mapped[RespondentCategory | None] = mapped_column(enum_column(RespondentCategory))
    organisation_name: Mapped[str | None] = mapped_column(String(200))
    #: The declared organisation this response speaks for; without one (or until an
    #: official verifies it) the name is never published.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    #: The tasting registration whose personal link this response was started from.
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL"), index=True
    )
    #: "before" or "after" when started from a tasting's link, else "" (see NO_ROUND).
    survey_round: Mapped[str] = mapped_column(String(8), default=NO_ROUND,
                                              server_default=NO_ROUND)
    age_band: Mapped[str | None] = mapped_column(String(8))
    province: Mapped[str | None] = mapped_column(String(20))
    consent: Mapped[PublicationConsent | None] = mapped_column(enum_column(PublicationConsent))
    age_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    email: Mapped[str | None] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    #: sha256 of the private edit link's token (the token itself is never stored).
    edit_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: The honeypot was filled: accepted-looking, kept, but left out of every count.
    is_spam: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    consultation: Mapped[Consultation] = relationship()
    #: Joined: every page that shows a response asks whether its organisation is verified.
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")
    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )
    votes: Mapped[list[StatementVote]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )

    # The two rules, each in one place, on a loaded row and in a query alike.

    @hybrid_property
    def is_counted(self) -> bool:
        """Does this response count in officials' figures (submitted, not spam)?"""
        return self.status == ResponseStatus.SUBMITTED and not self.is_spam

    @is_counted.inplace.expression
    @classmethod
    def _is_counted_expression(cls) -> ColumnElement[bool]:
        return and_(cls.status == ResponseStatus.SUBMITTED, cls.is_spam.is_(False))

    @classmethod
    def is_latest_of_person(cls) -> ColumnElement[bool]:
        """Each person counts once in a consultation's own figures: a counted response is
        left out when the same person (the same account, or the same tasting
        registration) has a counted response to the same consultation submitted later.
        Only a tasting's two rounds let one person have two (the unique constraints), so
        the "before" answer gives way to the "after" one; the tasting's before-and-after
        reads both rounds (`is_counted` alone)."""
        later = aliased(cls, name="later_response")
        same_person = or_(
            and_(cls.user_id.is_not(None), later.user_id == cls.user_id),
            and_(cls.registration_id.is_not(None), later.registration_id == cls.registration_id),
        )
        submitted_later = or_(
            later.submitted_at > cls.submitted_at,
            and_(later.submitted_at == cls.submitted_at, later.id > cls.id),
        )
        has_later = (
            select(later.id)
            .where(later.consultation_id == cls.consultation_id, later.id != cls.id,
                   later.status == ResponseStatus.SUBMITTED, later.is_spam.is_(False),
                   same_person, submitted_later)
            .correlate(cls).exists()
        )
        could_have_two = or_(cls.user_id.is_not(None), cls.registration_id.is_not(None))
        return ~and_(could_have_two, has_later)

    @hybrid_property
    def is_published(self) -> bool:
        """May this response appear on public pages, public exports and the API?
        Counted, and with consent to publish (with or without the name)."""
        return self.is_counted and self.consent in PUBLISHING_CONSENTS

    @is_published.inplace.expression
    @classmethod
    def _is_published_expression(cls) -> ColumnElement[bool]:
        return and_(cls.is_counted, cls.consent.in_(PUBLISHING_CONSENTS))

    @hybrid_property
    def public_name(self) -> str | None:
        """The organisation's name, only with consent to publish with the name and only
        once its declared organisation is verified (the one rule for every public place)."""
        if (self.consent == PublicationConsent.PUBLISH_WITH_NAME
                and self.organisation is not None and self.organisation.is_verified):
            return self.organisation.name
        return None

    @public_name.inplace.expression
    @classmethod
    def _public_name_expression(cls) -> ColumnElement[str | None]:
        from .organisation import Organisation, VerificationStatus

        verified_name = (
            select(Organisation.name)
            .where(Organisation.id == cls.organisation_id,
                   Organisation.status == VerificationStatus.VERIFIED)
            .correlate_except(Organisation).scalar_subquery()
        )
        return case((cls.consent == PublicationConsent.PUBLISH_WITH_NAME, verified_name),
                    else_=None)

    @property
    def name_awaits_verification(self) -> bool:
        """Published with the name, for an organisation not (yet) verified: public
        places say "organisation (not verified)" instead of the name."""
        return (self.consent == PublicationConsent.PUBLISH_WITH_NAME
                and self.category not in (None, RespondentCategory.CITIZEN)
                and self.public_name is None)

    def answer_for(self, question_id: int) -> Answer | None:
        for answer in self.answers:
            if answer.question_id == question_id:
                return answer
        return None

    def __repr__(self) -> str:
        return f"<Response {self.id} {self.status.value}>"


class Answer(db.Model):  # type: ignore[name-defined,misc]
    """The answer to one question. Which column holds it depends on the question's kind:

    - principle_rating: `value` {principle code: 1..5};
    - likert: `number` 1..5;
    - single_choice / multiple_choice: `value` [option id, ...];
    - ranking: `value` [option id, ...] from first to last;
    - open_text: `text`, with `text_hash` (of the normalised text) and moderation.
    Statement votes are `StatementVote` rows.
    """

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[Any | None] = mapped_column(JSON)
    number: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str | None] = mapped_column(Text)
    text_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    moderation: Mapped[ModerationStatus | None] = mapped_column(enum_column(ModerationStatus, 16))
    hidden_reason: Mapped[str | None] = mapped_column(String(500))
    moderated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    response: Mapped[Response] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()


class StatementVote(db.Model):  # type: ignore[name-defined,misc]
    """+1 agree, -1 disagree, 0 pass (as in Pol.is); no row means not seen."""

    __tablename__ = "statement_votes"
    __table_args__ = (
        UniqueConstraint("response_id", "statement_id"),
        CheckConstraint("vote IN (-1, 0, 1)", name="vote_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"))
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    vote: Mapped[int] = mapped_column(SmallInteger)

    response: Mapped[Response] = relationship(back_populates="votes")
    statement: Mapped[Statement] = relationship()

