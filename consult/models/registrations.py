"""Registrations for events, their dietary notes and waiting-list offers.

A registration holds its seats (1 + guests) in `events.seats_taken` while its status is
one of `SEAT_HOLDING` (see services.events.seats). Dietary notes are health data and
live in their own table, apart from the registration, so they can be shown only to the
event's organisers and purged on their own schedule.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._common import enum_column
from .types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from .events import Event
    from .user import User


class RegistrationStatus(enum.StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    OFFERED = "offered"
    PENDING_APPROVAL = "pending_approval"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    ATTENDED = "attended"
    NO_SHOW = "no_show"


#: Registrations in these states hold their seats (1 + guests) in `events.seats_taken`.
SEAT_HOLDING = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.OFFERED,
    RegistrationStatus.ATTENDED,
    RegistrationStatus.NO_SHOW,
)


class OfferStatus(enum.StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    EXPIRED = "expired"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class Registration(db.Model):  # type: ignore[name-defined,misc]
    """One person's registration for one event (with an account or a confirmed address)."""

    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id"),
        UniqueConstraint("event_id", "email"),
        UniqueConstraint("event_id", "checkin_code"),
        CheckConstraint("guests >= 0", name="guests_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The contact address, lower case (the account's address, or the confirmed one).
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(120), default="")
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    status: Mapped[RegistrationStatus] = mapped_column(enum_column(RegistrationStatus), index=True)
    guests: Mapped[int] = mapped_column(Integer, default=0)
    checkin_code: Mapped[str] = mapped_column(String(16))
    #: sha256 of the personal link's secret; the secret itself is only in the mail.
    cancel_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    info_sheet_version: Mapped[int | None] = mapped_column(Integer)
    info_sheet_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    eligibility_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_in_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    event: Mapped[Event] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    checked_in_by: Mapped[User | None] = relationship(foreign_keys=[checked_in_by_id])

    @property
    def seats(self) -> int:
        return 1 + self.guests

    @property
    def holds_seats(self) -> bool:
        return self.status in SEAT_HOLDING

    def __repr__(self) -> str:
        return f"<Registration {self.id} {self.status.value}>"


class DietaryNote(db.Model):  # type: ignore[name-defined,misc]
    """Health data given with explicit consent; only the event's organisers read it."""

    __tablename__ = "dietary_notes"
    __table_args__ = (CheckConstraint("consent_given", name="consent_given"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), unique=True
    )
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    note: Mapped[str] = mapped_column(Text)
    consent_given: Mapped[bool] = mapped_column(Boolean)
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime())

    registration: Mapped[Registration] = relationship()


class WaitlistOffer(db.Model):  # type: ignore[name-defined,misc]
    """A seat held for someone on the waiting list until `expires_at`."""

    __tablename__ = "waitlist_offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    status: Mapped[OfferStatus] = mapped_column(
        enum_column(OfferStatus, 16), default=OfferStatus.OPEN, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    registration: Mapped[Registration] = relationship()
