"""Organisations with a declared identity, and their verification by an official.

A person with an account declares an organisation: its name, type, a KvK number or an
EU Transparency Register id, its website and what it has at stake. Responses given on
its behalf link to it (`Response.organisation_id`), and its name is published only
while it is `verified`: by an official from the verification queue, or by a login route
that vouches for it (`verified_route`, e.g. eHerkenning through OpenID Connect).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._common import enum_column
from .response import RespondentCategory
from .types import UTCDateTime, utcnow


class VerificationStatus(enum.StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class Organisation(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint("kind <> 'citizen'", name="not_a_citizen"),
        CheckConstraint("kvk_number IS NOT NULL OR register_id IS NOT NULL",
                        name="registered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[RespondentCategory] = mapped_column(enum_column(RespondentCategory))
    #: Kamer van Koophandel number: exactly 8 digits.
    kvk_number: Mapped[str | None] = mapped_column(String(8))
    #: EU Transparency Register id: digits, a hyphen, two digits (1234567890123-45).
    register_id: Mapped[str | None] = mapped_column(String(20))
    website: Mapped[str] = mapped_column(String(300))
    declared_interest: Mapped[str] = mapped_column(Text)
    status: Mapped[VerificationStatus] = mapped_column(
        enum_column(VerificationStatus, 16), default=VerificationStatus.PENDING, index=True)
    #: Who declared it and asked for verification.
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_reason: Mapped[str | None] = mapped_column(String(500))
    #: The login route that vouched for it (set by `mark_verified_by_route`), if any.
    verified_route: Mapped[str | None] = mapped_column(String(80))

    @property
    def is_verified(self) -> bool:
        return self.status == VerificationStatus.VERIFIED

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.status.value}>"
