"""Reminders: one mail per confirmed registrant, `reminder_hours` before the event.

`send_reminders(now)` mails every confirmed registrant of a published event that
starts within its reminder period and has not had a reminder (`reminder_sent_at`), and
marks them; running it again sends nothing twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from ...extensions import db
from ...models import Event, EventStatus, Registration, RegistrationStatus
from .mailing import mail_registrant


def send_reminders(now: datetime) -> int:
    sent = 0
    events = db.session.scalars(
        select(Event).where(Event.status == EventStatus.PUBLISHED, Event.starts_at > now)
    )
    for event in events:
        if event.reminder_hours <= 0 or event.starts_at - timedelta(
            hours=event.reminder_hours
        ) > now:
            continue
        registrations = db.session.scalars(
            select(Registration).where(
                Registration.event_id == event.id,
                Registration.status == RegistrationStatus.CONFIRMED,
                Registration.reminder_sent_at.is_(None),
            )
        ).all()
        for registration in registrations:
            registration.reminder_sent_at = now
            db.session.flush()
            mail_registrant(registration, "event_reminder", with_calendar=True)
            sent += 1
    return sent
