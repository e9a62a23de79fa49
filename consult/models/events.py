"""Events: tastings and dialogue meetings, their organisers and the parts their pages show
(tasting products, the code-of-practice approval, eligibility items, information sheets).

The seat rule lives in the data: `events.seats_taken` counts the seats held by
registrations that are confirmed, offered, attended or no-show (each holds 1 + guests;
see models.registrations), and a check constraint keeps it between 0 and the capacity.
Seats are claimed with one conditional UPDATE (see services.events.seats), never by
counting first.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from ..extensions import db
from ._common import enum_column, raise_version_on_change
from .types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from .catalogue import Topic
    from .consultation import Consultation
    from .user import User


class EventKind(enum.StrEnum):
    TASTING = "tasting"
    WORKSHOP = "workshop"
    ROUND_TABLE = "round_table"
    WEBINAR = "webinar"
    STAKEHOLDER_MEETING = "stakeholder_meeting"


class EventStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


class RegistrationMode(enum.StrEnum):
    FCFS = "fcfs"  # first come, first served
    SELECTION = "selection"  # the organisers approve or reject


class ApprovalVerdict(enum.StrEnum):
    SAFE = "safe"  # the committee judged the tasting safe under its conditions
    NOT_SAFE = "not_safe"


#: How long (hours) a seat offered from the waiting list is held, unless the event says.
DEFAULT_OFFER_HOURS = 48

#: The 14 allergens of EU Regulation 1169/2011 Annex II, as stable codes.
ALLERGEN_CODES: tuple[str, ...] = (
    "gluten",
    "crustaceans",
    "eggs",
    "fish",
    "peanuts",
    "soybeans",
    "milk",
    "nuts",
    "celery",
    "mustard",
    "sesame",
    "sulphites",
    "lupin",
    "molluscs",
)


event_organisers = Table(
    "event_organisers",
    db.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Event(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint(
            "seats_taken >= 0 AND seats_taken <= capacity", name="seats_within_capacity"
        ),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("max_guests >= 0", name="max_guests_not_negative"),
        CheckConstraint("min_age >= 0", name="min_age_not_negative"),
        CheckConstraint("reminder_hours >= 0", name="reminder_hours_not_negative"),
        CheckConstraint("dietary_purge_days >= 0", name="purge_days_not_negative"),
        CheckConstraint("offer_hours > 0", name="offer_hours_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind), index=True)
    status: Mapped[EventStatus] = mapped_column(
        enum_column(EventStatus), default=EventStatus.DRAFT, index=True
    )
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="RESTRICT"))
    title_nl: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    description_nl: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    venue: Mapped[str | None] = mapped_column(String(300))
    #: Sent only to confirmed participants; never shown on public pages or the API.
    online_link: Mapped[str | None] = mapped_column(String(500))
    capacity: Mapped[int] = mapped_column(Integer)
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    registration_mode: Mapped[RegistrationMode] = mapped_column(
        enum_column(RegistrationMode), default=RegistrationMode.FCFS
    )
    allow_guests: Mapped[bool] = mapped_column(Boolean, default=False)
    max_guests: Mapped[int] = mapped_column(Integer, default=0)
    reminder_hours: Mapped[int] = mapped_column(Integer, default=24)
    offer_hours: Mapped[int] = mapped_column(Integer, default=DEFAULT_OFFER_HOURS)
    dietary_purge_days: Mapped[int] = mapped_column(Integer, default=30)
    min_age: Mapped[int] = mapped_column(Integer, default=18)
    #: Consultations answered before and after a tasting, by the same participants
    #: (rules in services.events.survey_links).
    before_consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultations.id", ondelete="SET NULL")
    )
    after_consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultations.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Raised when its products, eligibility items, approval or information sheets change
    #: (the listener at the end of this module), so a page cached by this row's values
    #: is replaced.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    topic: Mapped[Topic] = relationship()
    before_consultation: Mapped[Consultation | None] = relationship(
        foreign_keys=[before_consultation_id]
    )
    after_consultation: Mapped[Consultation | None] = relationship(
        foreign_keys=[after_consultation_id]
    )
    organisers: Mapped[list[User]] = relationship(secondary=event_organisers)
    products: Mapped[list[TastingProduct]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="TastingProduct.position"
    )
    eligibility_items: Mapped[list[EligibilityItem]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EligibilityItem.position"
    )
    info_sheets: Mapped[list[InfoSheet]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="InfoSheet.version"
    )
    approval: Mapped[TastingApproval | None] = relationship(
        back_populates="event", cascade="all, delete-orphan", uselist=False
    )

    def title(self, locale: str) -> str:
        return self.title_en if locale == "en" else self.title_nl

    def description(self, locale: str) -> str:
        return self.description_en if locale == "en" else self.description_nl

    @property
    def is_tasting(self) -> bool:
        return self.kind == EventKind.TASTING

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    @property
    def info_sheet(self) -> InfoSheet | None:
        """The current (latest) version of the participant information sheet."""
        return self.info_sheets[-1] if self.info_sheets else None

    @property
    def allergens(self) -> list[str]:
        """The allergen codes of all products, in the Annex II order."""
        found = {code for p in self.products for code in p.allergens}
        return [code for code in ALLERGEN_CODES if code in found]

    def is_organiser(self, user: object) -> bool:
        user_id = getattr(user, "id", None)
        return user_id is not None and any(o.id == user_id for o in self.organisers)

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.kind.value} {self.status.value}>"


class TastingProduct(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "tasting_products"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name_nl: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    #: Codes from ALLERGEN_CODES.
    allergens: Mapped[list[str]] = mapped_column(JSON, default=list)

    event: Mapped[Event] = relationship(back_populates="products")

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_nl


class TastingApproval(db.Model):  # type: ignore[name-defined,misc]
    """The judgement under the Dutch code of practice for tastings (one per event)."""

    __tablename__ = "tasting_approvals"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), unique=True
    )
    committee: Mapped[str] = mapped_column(String(200))
    reference: Mapped[str] = mapped_column(String(100), default="")
    verdict: Mapped[ApprovalVerdict] = mapped_column(enum_column(ApprovalVerdict, 16))
    decided_on: Mapped[date] = mapped_column(Date)
    #: The conditions in Dutch (the column predates the English one).
    conditions: Mapped[str] = mapped_column(Text, default="")
    conditions_en: Mapped[str] = mapped_column(Text, default="", server_default="")

    event: Mapped[Event] = relationship(back_populates="approval")

    def conditions_in(self, locale: str) -> tuple[str, str]:
        """The conditions to show on a page in `locale`, and the language they are in
        (an approval saved before the English text existed still shows its Dutch)."""
        if locale == "en" and self.conditions_en:
            return self.conditions_en, "en"
        return self.conditions, "nl"

    @property
    def is_positive(self) -> bool:
        return self.verdict == ApprovalVerdict.SAFE


class EligibilityItem(db.Model):  # type: ignore[name-defined,misc]
    """A condition that excludes taking part; the registrant confirms none apply."""

    __tablename__ = "eligibility_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text_nl: Mapped[str] = mapped_column(String(300))
    text_en: Mapped[str] = mapped_column(String(300))

    event: Mapped[Event] = relationship(back_populates="eligibility_items")

    def text(self, locale: str) -> str:
        return self.text_en if locale == "en" else self.text_nl


class InfoSheet(db.Model):  # type: ignore[name-defined,misc]
    """A version of the participant information sheet; a change makes a new version."""

    __tablename__ = "info_sheets"
    __table_args__ = (UniqueConstraint("event_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    body_nl: Mapped[str] = mapped_column(Text)
    body_en: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    event: Mapped[Event] = relationship(back_populates="info_sheets")

    def body(self, locale: str) -> str:
        return self.body_en if locale == "en" else self.body_nl


def _event_of(session: Session,
              part: TastingProduct | EligibilityItem | TastingApproval | InfoSheet
              ) -> Event | None:
    """The event whose page shows `part`."""
    owner: Event | None = part.event
    if owner is None and part.event_id is not None:
        owner = session.get(Event, part.event_id)
    return owner


# An event's public page shows its products, eligibility items and approval, and the
# registration form its information sheet: a change to one of them raises the event's
# version in the same flush, so a page cached by the event row's values is replaced
# (blueprints/anonymous_pages.py).
raise_version_on_change((TastingProduct, EligibilityItem, TastingApproval, InfoSheet),
                        _event_of)
