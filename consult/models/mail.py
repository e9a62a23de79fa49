"""The mail outbox: one row per mail, written in the transaction of what it reports.

`consult.mail.send_mail` renders a mail and adds an `OutgoingMail` to the current
session; it is committed, or rolled back, with the rest. `consult.mail_delivery` sends
committed rows afterwards, off the request path (see there for claiming and retries).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._common import enum_column
from .types import UTCDateTime, utcnow


class MailStatus(enum.StrEnum):
    """A mail's state in the outbox (never shown on a page, so it has no label table)."""

    PENDING = "pending"  # waiting for its next attempt (or being sent under a lease)
    SENT = "sent"  # handed to the transport; the message body is cleared
    FAILED = "failed"  # gave up after MAIL_MAX_ATTEMPTS attempts


class OutgoingMail(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "outgoing_mails"
    __table_args__ = (Index("ix_outgoing_mails_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: Personal data: deleted after the retention period (`data purge-expired`).
    recipient: Mapped[str] = mapped_column(String(320))
    template: Mapped[str] = mapped_column(String(80))
    #: The whole rendered message (attachments included); emptied once it is sent.
    message: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[MailStatus] = mapped_column(
        enum_column(MailStatus, 16), default=MailStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: A worker that claimed the row owns it until then; after that another may retry.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The transport's error, without addresses or tokens.
    last_error: Mapped[str | None] = mapped_column(String(500))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
