"""Delivering the outbox: each committed `OutgoingMail` row handed to the transport once.

When delivery starts (MAIL_DELIVERY):

- "background" (the default): after a request's commit, its new rows are queued as a
  background job (`consult.jobs`: RQ when CONSULT_REDIS_URL is set, else a thread), so
  the person never waits for the mail server. A commit outside a request (a command, a
  job) delivers its rows right away in that process.
- "after-commit": right after the commit, in the same thread (the tests; a failure
  still never reaches the request: the row stays pending).
- "cron": only `flask --app consult mail deliver`.

Whatever the mode, `mail deliver` (cron, every minute) sends every row that is due:
retries, and rows whose job was lost (Redis down, a worker killed).

Claiming: a worker takes a row with one conditional UPDATE (pending, due, and not held
under another worker's lease) and sends only when that UPDATE changed the row, so two
workers at once never both take it, on SQLite and PostgreSQL alike. The lease
(`claimed_until`, 10 × MAIL_TIMEOUT, at least a minute) frees a row whose worker died.
A crash after the server accepted the mail but before it was marked sent lets the
lease run out and the mail go once more: delivery is at least once, and exactly once
per row in normal operation. The database is never held while the mail server talks,
and delivery starts only once the committed transaction has given its connection back
(`after_transaction_end`), so a request never holds two connections.

Failures: attempt n that fails waits 2^(n-1) minutes (1, 2, 4 … capped at an hour)
before the next; after MAIL_MAX_ATTEMPTS the row is "failed" and an error is logged
(`mail deliver --retry-failed` puts failed rows back). `last_error` names no address.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app, has_app_context, has_request_context
from sqlalchemy import event, func, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, SessionTransaction

from .extensions import db
from .mail_transport import TransportError, describe_failure, send
from .models.mail import MailStatus, OutgoingMail
from .models.types import utcnow

log = logging.getLogger(__name__)

#: The longest wait between two attempts.
MAX_BACKOFF = timedelta(hours=1)
#: session.info key: ids of the mails this session's transaction added.
_NEW_IDS = "consult.outbox.new_ids"
#: session.info key: ids of mails committed, to deliver once the connection is returned.
_COMMITTED_IDS = "consult.outbox.committed_ids"
TASK = "consult.mail_delivery.deliver_ids"


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: 1, 2, 4 … minutes, capped."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def lease() -> timedelta:
    return timedelta(seconds=max(60.0, 10 * float(current_app.config["MAIL_TIMEOUT"])))


def _claimable(now: datetime) -> Any:
    table = OutgoingMail
    return (
        (table.status == MailStatus.PENDING)
        & (table.next_attempt_at <= now)
        & or_(table.claimed_until.is_(None), table.claimed_until < now)
    )


def _claim(connection: Connection, mail_id: int, now: datetime) -> bool:
    """Take the row for this worker, or learn that it is not ours to send."""
    result = connection.execute(
        update(OutgoingMail)
        .where(OutgoingMail.id == mail_id, _claimable(now))
        .values(attempts=OutgoingMail.attempts + 1, claimed_until=now + lease())
    )
    return result.rowcount == 1


def deliver_one(mail_id: int) -> str | None:
    """Send one row if this worker can claim it: "sent", "retry", "failed" or None."""
    now = utcnow()
    with db.engine.begin() as connection:
        if not _claim(connection, mail_id, now):
            return None
        row = connection.execute(
            select(OutgoingMail.recipient, OutgoingMail.template, OutgoingMail.message,
                   OutgoingMail.attempts).where(OutgoingMail.id == mail_id)
        ).first()
    if row is None:  # deleted meanwhile (its account was deleted)
        return None
    try:
        send(row.recipient, row.message, row.template)
    except Exception as error:  # noqa: BLE001 - any failure leaves the row for a retry
        return _record_failure(mail_id, row.template, row.attempts, error)
    with db.engine.begin() as connection:
        connection.execute(
            update(OutgoingMail).where(OutgoingMail.id == mail_id).values(
                status=MailStatus.SENT, sent_at=utcnow(), message=b"", claimed_until=None,
                last_error=None,
            )
        )
    return "sent"


def _record_failure(mail_id: int, template: str, attempts: int, error: Exception) -> str:
    detail = str(error) if isinstance(error, TransportError) else describe_failure(error)
    now = utcnow()
    values: dict[str, Any] = {"claimed_until": None, "last_error": detail[:500]}
    if attempts >= int(current_app.config["MAIL_MAX_ATTEMPTS"]):
        values["status"] = MailStatus.FAILED
        log.error("mail %d (%s) failed for good after %d attempts: %s",
                  mail_id, template, attempts, detail)
        outcome = "failed"
    else:
        values["next_attempt_at"] = now + backoff(attempts)
        log.warning("mail %d (%s) not sent (attempt %d), retried in %s: %s",
                    mail_id, template, attempts, backoff(attempts), detail)
        outcome = "retry"
    with db.engine.begin() as connection:
        connection.execute(update(OutgoingMail).where(OutgoingMail.id == mail_id).values(values))
    return outcome


def deliver_ids(ids: Iterable[int]) -> dict[str, int]:
    """Send these rows (the background job a commit queues); counts per outcome."""
    counts: Counter[str] = Counter()
    for mail_id in ids:
        outcome = deliver_one(int(mail_id))
        counts[outcome or "taken elsewhere"] += 1
    return dict(counts)


def due_ids(limit: int = 200) -> list[int]:
    now = utcnow()
    with db.engine.connect() as connection:
        return list(connection.scalars(
            select(OutgoingMail.id).where(_claimable(now)).order_by(OutgoingMail.id).limit(limit)
        ))


def deliver_due() -> dict[str, int]:
    """Send every row that is due, in rounds, until a round sends nothing more."""
    counts: Counter[str] = Counter()
    while True:
        round_counts = deliver_ids(due_ids())
        counts.update(round_counts)
        if not sum(v for k, v in round_counts.items() if k != "taken elsewhere"):
            return dict(counts)


def pending_count() -> int:
    with db.engine.connect() as connection:
        return int(connection.scalar(
            select(func.count()).select_from(OutgoingMail).where(
                OutgoingMail.status == MailStatus.PENDING)
        ) or 0)


def retry_failed() -> int:
    """Put every failed row back in the queue with a fresh count of attempts."""
    with db.engine.begin() as connection:
        result = connection.execute(
            update(OutgoingMail).where(OutgoingMail.status == MailStatus.FAILED).values(
                status=MailStatus.PENDING, attempts=0, next_attempt_at=utcnow(),
                claimed_until=None,
            )
        )
    return int(result.rowcount)


# --- Starting delivery after the commit -------------------------------------------------


def _note_new_mails(session: Session, _flush_context: Any) -> None:
    ids = [row.id for row in session.new if isinstance(row, OutgoingMail)]
    if ids:
        session.info.setdefault(_NEW_IDS, []).extend(ids)


def _forget_new_mails(session: Session) -> None:
    session.info.pop(_NEW_IDS, None)


def _mark_committed(session: Session) -> None:
    """The outermost transaction committed: its mails may go (a savepoint's may not yet)."""
    if session.in_nested_transaction():
        return
    ids = session.info.pop(_NEW_IDS, None)
    if ids:
        session.info[_COMMITTED_IDS] = ids


def _start_delivery(session: Session, transaction: SessionTransaction) -> None:
    """After the committed transaction has given its connection back: deliver or queue
    its mails. Never raises: the rows are committed and `mail deliver` finds them."""
    if transaction.parent is not None:
        return
    ids = session.info.pop(_COMMITTED_IDS, None)
    if not ids or not has_app_context():
        return
    mode = current_app.config["MAIL_DELIVERY"]
    if mode == "cron":
        return
    try:
        if mode == "background" and has_request_context():
            from . import jobs

            jobs.enqueue(TASK, ids)
        else:
            deliver_ids(ids)
    except Exception:  # noqa: BLE001 - the rows are committed; `mail deliver` sends them
        log.exception("mail delivery could not start; the mails wait for `mail deliver`")


def init_app(_app: Flask) -> None:
    """Watch every session's commits (once per process; the listeners read current_app)."""
    listeners: tuple[tuple[str, Callable[..., None]], ...] = (
        ("after_flush", _note_new_mails), ("after_rollback", _forget_new_mails),
        ("after_commit", _mark_committed), ("after_transaction_end", _start_delivery),
    )
    for name, listener in listeners:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
