"""Retention: dietary notes are deleted `dietary_purge_days` after their event ends.

`purge_expired(now)` deletes every note whose time is up and returns how many; run
again, it finds nothing more (it is idempotent). `flask --app consult data purge-expired`
runs it from cron, through the privacy registry.

`AREA` is the events area of the privacy registry, with its exporter and eraser from
`personal_data`; `create_app` registers it (see services/privacy.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select

from ...extensions import db
from ...models import DietaryNote, Event
from .. import audit, privacy
from .personal_data import erase_registrations, export_registrations


def purge_expired(now: datetime) -> int:
    due: list[int] = []
    rows = db.session.execute(
        select(Event.id, Event.ends_at, Event.dietary_purge_days).where(
            Event.id.in_(select(DietaryNote.event_id).distinct())
        )
    )
    for event_id, ends_at, days in rows:
        if ends_at + timedelta(days=days) <= now:
            due.append(event_id)
    if not due:
        return 0
    result = db.session.execute(
        delete(DietaryNote)
        .where(DietaryNote.event_id.in_(due))
        .execution_options(synchronize_session=False)
    )
    count = int(getattr(result, "rowcount", 0) or 0)
    audit.record(None, "dietary_notes.purged", None, events=due, count=count)
    return count


#: The events area of the privacy registry (registered by `create_app`).
AREA = privacy.Area(
    "events", exporter=export_registrations, eraser=erase_registrations, purge=purge_expired
)
