"""Check-in at the door: a code works once; the second time it says who and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from ...extensions import db
from ...models import Event, Registration, RegistrationStatus, User, utcnow
from .. import DomainError
from .codes import normalise_code

CHECKABLE = (RegistrationStatus.CONFIRMED, RegistrationStatus.NO_SHOW)


@dataclass(frozen=True)
class CheckIn:
    registration: Registration
    first_time: bool  # False: the code was used before (see checked_in_at / _by)


def find_by_code(event: Event, typed: str) -> Registration | None:
    code = normalise_code(typed)
    if not code or len(code) > 16:
        return None
    return db.session.scalar(
        select(Registration).where(
            Registration.event_id == event.id, Registration.checkin_code == code
        )
    )


def check_in(event: Event, typed: str, by: User, now: datetime | None = None) -> CheckIn:
    now = now or utcnow()
    registration = find_by_code(event, typed)
    if registration is None:
        raise DomainError(_l("No registration for this event has this code. Check the code "
                             "and try again."), "code")
    if registration.checked_in_at is not None:
        return CheckIn(registration, first_time=False)
    if registration.status not in CHECKABLE:
        raise DomainError(_l("This registration is not confirmed, so it cannot be checked in."),
                          "code")
    result = db.session.execute(
        update(Registration)
        .where(Registration.id == registration.id, Registration.checked_in_at.is_(None))
        .values(checked_in_at=now, checked_in_by_id=by.id, status=RegistrationStatus.ATTENDED)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(registration)
    return CheckIn(registration, first_time=getattr(result, "rowcount", 0) == 1)


def mark_attendance(registration: Registration, attended: bool, by: User,
                    now: datetime | None = None) -> None:
    """After the event: record attendance or a no-show by hand."""
    now = now or utcnow()
    if registration.status not in (RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED,
                                   RegistrationStatus.NO_SHOW):
        raise DomainError(_l("Only confirmed registrations have an attendance."))
    if attended:
        registration.status = RegistrationStatus.ATTENDED
        if registration.checked_in_at is None:
            registration.checked_in_at = now
            registration.checked_in_by_id = by.id
    else:
        registration.status = RegistrationStatus.NO_SHOW
        registration.checked_in_at = None
        registration.checked_in_by_id = None
    db.session.flush()
