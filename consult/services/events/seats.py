"""The seat counter: claim with one conditional UPDATE, release on cancel, check.

Counting registrations and then inserting overbooks under concurrent requests, and
SELECT ... FOR UPDATE is silently dropped on SQLite. One statement,
`UPDATE events SET seats_taken = seats_taken + :n WHERE id = :id AND
seats_taken + :n <= capacity`, is atomic on SQLite and PostgreSQL alike: the row
count says whether the seats were ours.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.engine import CursorResult

from ...extensions import db
from ...models import SEAT_HOLDING, Event, Registration

log = logging.getLogger(__name__)


def claim_seats(event: Event, seats: int) -> bool:
    """Take `seats` seats of `event` if they are free; True when they were taken."""
    if seats <= 0:
        return True
    result = db.session.execute(
        update(Event)
        .where(Event.id == event.id, Event.seats_taken + seats <= Event.capacity)
        .values(seats_taken=Event.seats_taken + seats)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(event, ["seats_taken"])
    return _rowcount(result) == 1


def release_seats(event: Event, seats: int) -> None:
    """Give `seats` seats back; the counter never goes below zero."""
    if seats <= 0:
        return
    result = db.session.execute(
        update(Event)
        .where(Event.id == event.id, Event.seats_taken >= seats)
        .values(seats_taken=Event.seats_taken - seats)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(event, ["seats_taken"])
    if _rowcount(result) != 1:
        log.error("event %s: releasing %s seats found fewer taken", event.id, seats)


def _rowcount(result: object) -> int:
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


@dataclass(frozen=True)
class CounterMismatch:
    event_id: int
    title: str
    counter: int
    registrations: int


def counter_mismatches() -> list[CounterMismatch]:
    """Every event whose seat counter differs from what its registrations hold."""
    rows = db.session.execute(
        select(Registration.event_id, func.sum(1 + Registration.guests))
        .where(Registration.status.in_(SEAT_HOLDING))
        .group_by(Registration.event_id)
    )
    held = {event_id: total for event_id, total in rows}
    found = []
    for event in db.session.scalars(select(Event).order_by(Event.id)):
        counted = int(held.get(event.id, 0) or 0)
        if counted != event.seats_taken:
            found.append(CounterMismatch(event.id, event.title_en, event.seats_taken, counted))
    return found
