"""Events in the privacy registry: what "download my data" and "delete my account" do.

Whose registrations: those with the account's `user_id`, and those made without an
account with the account's email address (registrations store addresses in lower case).

**Download** (`export_registrations`): every registration with its event, status, times,
guests, the information sheet version accepted, eligibility confirmation, check-in and
the waiting-list offers; the dietary note while it still exists; and the events the
person organises.

**Delete my account** (`erase_registrations`): registrations and health data are deleted
(issue 6), but never behind the seat counter's back:

- a registration for an event that has not started and that can still be cancelled is
  cancelled through `registration.cancel`: the seats go back with the conditional UPDATE,
  the next person on the waiting list is offered them, open offers end, the dietary note
  is deleted and the person gets the usual cancellation mail; then the row is deleted;
- a registration for an event that has started or is over (or one that can no longer be
  cancelled) is deleted outright; if it held seats (confirmed, attended, no-show) they are
  released first so `flask --app consult events check` stays clean. Nobody is offered a
  seat for an event that has started. Attendance figures of past events drop by the
  person's seats: that is what erasing them means.

Dietary notes and waiting-list offers go with their registration. Organising an event
ends with the account (the organisers' table cascades).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select

from ...extensions import db
from ...models import (
    DietaryNote,
    Event,
    Registration,
    User,
    WaitlistOffer,
    event_organisers,
    utcnow,
)
from .. import audit
from ..privacy import iso
from .codes import format_code
from .registration import CANCELLABLE, cancel
from .seats import release_seats


def registrations_of(user: User) -> list[Registration]:
    """The person's registrations: by account, or by the account's email address."""
    conditions = [Registration.user_id == user.id]
    if user.email:
        conditions.append(Registration.email == user.email.lower())
    return list(
        db.session.scalars(
            select(Registration).where(or_(*conditions)).order_by(Registration.created_at,
                                                                  Registration.id)
        )
    )


# --- Download my data -------------------------------------------------------------------


def _registration(registration: Registration) -> dict[str, Any]:
    event = registration.event
    note = db.session.scalar(
        select(DietaryNote).where(DietaryNote.registration_id == registration.id)
    )
    offers = db.session.scalars(
        select(WaitlistOffer).where(WaitlistOffer.registration_id == registration.id)
        .order_by(WaitlistOffer.created_at, WaitlistOffer.id)
    )
    return {
        "event": {"id": event.id, "kind": event.kind.value, "title_nl": event.title_nl,
                  "title_en": event.title_en, "starts_at": iso(event.starts_at),
                  "ends_at": iso(event.ends_at)},
        "status": registration.status.value,
        "name": registration.name,
        "email": registration.email,
        "locale": registration.locale,
        "guests": registration.guests,
        "linked_to_account": registration.user_id is not None,
        "registered_at": iso(registration.created_at),
        "updated_at": iso(registration.updated_at),
        "cancelled_at": iso(registration.cancelled_at),
        "info_sheet_version_accepted": registration.info_sheet_version,
        "info_sheet_accepted_at": iso(registration.info_sheet_accepted_at),
        "eligibility_confirmed_at": iso(registration.eligibility_confirmed_at),
        "checkin_code": format_code(registration.checkin_code),
        "checked_in_at": iso(registration.checked_in_at),
        "reminder_sent_at": iso(registration.reminder_sent_at),
        "dietary_note": (
            {"note": note.note, "consent_given": note.consent_given,
             "consent_at": iso(note.consent_at)} if note is not None else None
        ),
        "waiting_list_offers": [
            {"status": o.status.value, "offered_at": iso(o.created_at),
             "expires_at": iso(o.expires_at), "answered_at": iso(o.answered_at)}
            for o in offers
        ],
    }


def export_registrations(user: User) -> dict[str, Any]:
    """Everything the events area holds about the person (see the module docstring)."""
    organised = db.session.scalars(
        select(Event).join(event_organisers, event_organisers.c.event_id == Event.id)
        .where(event_organisers.c.user_id == user.id).order_by(Event.starts_at)
    )
    return {
        "registrations": [_registration(r) for r in registrations_of(user)],
        "events_organised": [
            {"id": e.id, "title_nl": e.title_nl, "title_en": e.title_en,
             "starts_at": iso(e.starts_at)} for e in organised
        ],
    }


# --- Delete my account ------------------------------------------------------------------


def erase_registrations(user: User, now: datetime | None = None) -> None:
    """Cancel (seats released, waiting list offered) and delete every registration."""
    now = now or utcnow()
    cancelled = deleted = 0
    for registration in registrations_of(user):
        event = registration.event
        if registration.status in CANCELLABLE and event.starts_at > now:
            cancel(registration, now)
            cancelled += 1
        elif registration.holds_seats:
            release_seats(event, registration.seats)
        registration_id = registration.id
        db.session.execute(
            delete(DietaryNote).where(DietaryNote.registration_id == registration_id)
        )
        db.session.execute(
            delete(WaitlistOffer).where(WaitlistOffer.registration_id == registration_id)
        )
        db.session.delete(registration)
        deleted += 1
    db.session.flush()
    if deleted:
        audit.record(None, "registrations.erased", user, deleted=deleted, cancelled=cancelled)
