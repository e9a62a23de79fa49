"""The outbox as a privacy area: mails hold an address (and, until sent, the body).

A sent mail's body is cleared when it is sent; its row (address, template, times) is
kept MAIL_SENT_DAYS to answer "did my mail go out?", then purged. A mail that failed for
good is kept MAIL_FAILED_DAYS from when it was queued (so `mail deliver --retry-failed`
can still send it), then purged. Pending mails are never purged: they are still to go.
Deleting an account deletes every mail to its address (the "account deleted" mail is
queued after that).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete, func, or_, select

from ..extensions import db
from ..models import OutgoingMail, User
from ..models.mail import MailStatus
from .privacy import Area, iso


def _to(user: User) -> Any:
    return func.lower(OutgoingMail.recipient) == user.email.lower()


def export_mails(user: User) -> dict[str, Any]:
    rows = db.session.scalars(select(OutgoingMail).where(_to(user)).order_by(OutgoingMail.id))
    return {"mails": [
        {"template": row.template, "queued_at": iso(row.created_at),
         "status": row.status.value, "sent_at": iso(row.sent_at)}
        for row in rows
    ]}


def erase_mails(user: User) -> None:
    db.session.execute(delete(OutgoingMail).where(_to(user)))


def purge_mails(now: datetime) -> int:
    config = current_app.config
    sent_before = now - timedelta(days=int(config["MAIL_SENT_DAYS"]))
    failed_before = now - timedelta(days=int(config["MAIL_FAILED_DAYS"]))
    result = db.session.execute(delete(OutgoingMail).where(or_(
        (OutgoingMail.status == MailStatus.SENT) & (OutgoingMail.sent_at < sent_before),
        (OutgoingMail.status == MailStatus.FAILED) & (OutgoingMail.created_at < failed_before),
    )))
    return int(result.rowcount)  # type: ignore[attr-defined]


AREA = Area("outbox", exporter=export_mails, eraser=erase_mails, purge=purge_mails)
