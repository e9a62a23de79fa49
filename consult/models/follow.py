"""Following a topic, a consultation or the tastings by mail, and the notices sent.

A `Subscription` is one email address following one target; it counts only once
confirmed (double opt-in: `confirmed_at`). Its `target_key` spells the target once
("topic:3", "consultation:7", "tastings") so that one address follows one target once
(a UNIQUE constraint; the nullable foreign keys alone could not say it on PostgreSQL).

A `NoticeDelivery` is the claim on one notice for one subscription: the UNIQUE
(subscription_id, notice_key) makes the database decide which worker sends it, so every
notice is mailed at most once per subscription however many workers run.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._common import enum_column
from .catalogue import Topic
from .consultation import Consultation
from .types import UTCDateTime, utcnow


class FollowTarget(enum.StrEnum):
    TOPIC = "topic"
    CONSULTATION = "consultation"
    TASTINGS = "tastings"


class Subscription(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("email", "target_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    locale: Mapped[str] = mapped_column(String(8), default="nl")
    target: Mapped[FollowTarget] = mapped_column(enum_column(FollowTarget, 16))
    target_key: Mapped[str] = mapped_column(String(40))
    topic_id: Mapped[int | None] = mapped_column(
        ForeignKey("topics.id", ondelete="CASCADE"), index=True)
    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    #: Set when it was made from an account; the account's deletion removes it.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The secret of the unsubscribe link in every mail (no login needed).
    unsubscribe_token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    topic: Mapped[Topic | None] = relationship()
    consultation: Mapped[Consultation | None] = relationship()

    def __repr__(self) -> str:
        return f"<Subscription {self.id} {self.target_key}>"


class NoticeDelivery(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "notice_deliveries"
    __table_args__ = (UniqueConstraint("subscription_id", "notice_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("subscriptions.id", ondelete="CASCADE"))
    notice_key: Mapped[str] = mapped_column(String(80))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: None while the mail is being sent (a claim a crashed worker left can be retaken).
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
