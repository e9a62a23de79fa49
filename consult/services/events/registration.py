"""Signing up for an event and cancelling.

Every check (open for registration, age, eligibility, information sheet, guests,
consent for a dietary note) runs before anything is written, so a refusal stores
nothing. Then the seats are claimed with the conditional UPDATE of `seats`, and the
registration is inserted in the same transaction: one registration per person per
event is kept by unique constraints, so a double submit fails as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, exists, or_, select, update
from sqlalchemy.exc import IntegrityError

from consult.services.accounts.auth import normalise_email
from consult.services.accounts.tokens import make_token

from ...extensions import db
from ...mail import send_mail
from ...models import (
    DietaryNote,
    Event,
    EventStatus,
    OfferStatus,
    Registration,
    RegistrationMode,
    RegistrationStatus,
    User,
    WaitlistOffer,
    utcnow,
)
from ...timezone import to_local
from .. import DomainError, audit
from .codes import hash_secret, new_checkin_code, new_secret
from .mailing import mail_registrant
from .seats import claim_seats, release_seats

DIETARY_NOTE_MAX = 1000
ACTIVE = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.OFFERED,
    RegistrationStatus.PENDING_APPROVAL,
    RegistrationStatus.ATTENDED,
    RegistrationStatus.NO_SHOW,
)


@dataclass
class Registrant:
    """What a person gives when registering (the form's data, checked by `register`)."""

    email: str
    locale: str
    user: User | None = None
    name: str = ""
    birth_date: date | None = None
    eligibility_confirmed: bool = False
    info_sheet_version: int | None = None
    guests: int = 0
    dietary_note: str = ""
    dietary_consent: bool = False


def age_on(birth_date: date, day: date) -> int:
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - (1 if before_birthday else 0)


def registration_open(event: Event, now: datetime) -> bool:
    if event.status != EventStatus.PUBLISHED:
        return False
    if event.registration_opens_at is not None and now < event.registration_opens_at:
        return False
    closes = event.registration_closes_at or event.starts_at
    return now < closes


def registrant_problems(event: Event, person: Registrant, now: datetime) -> list[DomainError]:
    """Every rule a registration breaks, one per field, so a form can show them all at
    once; empty when the person may register."""
    if not registration_open(event, now):
        return [DomainError(_l("Registration for this event is not open."))]
    problems: list[DomainError] = []
    if event.min_age > 0:
        event_day = to_local(event.starts_at).date()
        if person.birth_date is None:
            problems.append(DomainError(_l("Enter your date of birth."), "birth_date"))
        elif person.birth_date > event_day or person.birth_date.year < 1900:
            problems.append(DomainError(_l("Enter a real date of birth."), "birth_date"))
        elif age_on(person.birth_date, event_day) < event.min_age:
            problems.append(DomainError(
                _l("You must be at least %(age)s years old on the day of the event to take part.",
                   age=event.min_age),
                "birth_date",
            ))
    if event.eligibility_items and not person.eligibility_confirmed:
        problems.append(DomainError(
            _l("You can only take part when none of these apply to you. Confirm this to "
               "register."),
            "eligible",
        ))
    sheet = event.info_sheet
    if sheet is not None:
        if person.info_sheet_version is None:
            problems.append(DomainError(
                _l("Read and accept the participant information sheet to register."),
                "info_sheet",
            ))
        elif person.info_sheet_version != sheet.version:
            problems.append(DomainError(
                _l("The information sheet has changed since you opened this page. Read the "
                   "new version and accept it again."),
                "info_sheet",
            ))
    allowed = event.max_guests if event.allow_guests else 0
    if person.guests < 0 or person.guests > allowed:
        problems.append(DomainError(
            _l("This event does not allow guests.") if allowed == 0
            else _l("You can bring at most %(n)s guests.", n=allowed), "guests"))
    note = person.dietary_note.strip()
    if len(note) > DIETARY_NOTE_MAX:
        problems.append(DomainError(
            _l("Use at most %(max)d characters.", max=DIETARY_NOTE_MAX), "dietary_note"
        ))
    if note and not person.dietary_consent:
        problems.append(DomainError(
            _l("Give your explicit consent to store the dietary note, or leave the note empty."),
            "dietary_consent",
        ))
    return problems


def check_registrant(event: Event, person: Registrant, now: datetime) -> None:
    """Every rule a registration must meet; raises DomainError at the first field."""
    problems = registrant_problems(event, person, now)
    if problems:
        raise problems[0]


def _existing(event: Event, email: str, user: User | None) -> Registration | None:
    conditions = [Registration.email == email]
    if user is not None:
        conditions.append(Registration.user_id == user.id)
    return db.session.scalar(
        select(Registration).where(Registration.event_id == event.id, or_(*conditions))
    )


def _someone_waiting(event: Event) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Registration.event_id == event.id,
                    Registration.status == RegistrationStatus.WAITLISTED,
                )
            )
        )
    )


ALREADY_REGISTERED = _l(
    "You are registered for this event already. Use the personal link in your "
    "confirmation mail to see or cancel your registration."
)


def register(event: Event, person: Registrant, now: datetime | None = None) -> tuple[
    Registration, str
]:
    """Register a person; returns the registration and the personal link's secret.

    First come, first served: confirmed when the seats can be claimed, else on the
    waiting list. Organiser selection: pending approval (no seat until approved).
    """
    now = now or utcnow()
    check_registrant(event, person, now)
    email = normalise_email(person.email)
    existing = _existing(event, email, person.user)
    if existing is not None and existing.status in ACTIVE:
        raise DomainError(ALREADY_REGISTERED)
    status = _first_status(event, 1 + person.guests)
    secret, secret_hash = new_secret()
    registration = existing or Registration(event_id=event.id, event=event)
    if existing is not None:
        db.session.execute(delete(DietaryNote).where(DietaryNote.registration_id == existing.id))
    _fill(registration, event, person, email, status, secret_hash, now)
    db.session.add(registration)
    try:
        db.session.flush()
        _add_dietary_note(registration, person, now)
    except IntegrityError as error:
        # Another request registered the same person a moment ago; the caller rolls
        # back, which also gives back any seats claimed above.
        raise DomainError(ALREADY_REGISTERED) from error
    mail_registrant(registration, "event_registered", secret=secret, with_calendar=True)
    return registration, secret


def _first_status(event: Event, seats: int) -> RegistrationStatus:
    """Pending approval under selection; else confirmed when the seats can be claimed
    (and nobody waits before this person), else waiting."""
    if event.registration_mode == RegistrationMode.SELECTION:
        return RegistrationStatus.PENDING_APPROVAL
    if not _someone_waiting(event) and claim_seats(event, seats):
        return RegistrationStatus.CONFIRMED
    return RegistrationStatus.WAITLISTED


def _fill(registration: Registration, event: Event, person: Registrant, email: str,
          status: RegistrationStatus, secret_hash: str, now: datetime) -> None:
    """Write the registration afresh; a reused (cancelled) row keeps nothing of before."""
    registration.user_id = person.user.id if person.user is not None else None
    registration.email = email
    registration.name = person.name.strip()
    registration.locale = person.locale
    registration.status = status
    registration.guests = person.guests
    registration.checkin_code = new_checkin_code()
    registration.cancel_token_hash = secret_hash
    sheet = event.info_sheet
    registration.info_sheet_version = sheet.version if sheet is not None else None
    registration.info_sheet_accepted_at = now if sheet is not None else None
    registration.eligibility_confirmed_at = now if event.eligibility_items else None
    registration.created_at = now
    registration.cancelled_at = None
    registration.checked_in_at = None
    registration.checked_in_by_id = None
    registration.reminder_sent_at = None


def _add_dietary_note(registration: Registration, person: Registrant, now: datetime) -> None:
    """The dietary note, only with the person's explicit consent."""
    note = person.dietary_note.strip()
    if note and person.dietary_consent:
        db.session.add(
            DietaryNote(
                registration_id=registration.id,
                event_id=registration.event_id,
                note=note,
                consent_given=True,
                consent_at=now,
            )
        )
        db.session.flush()


def send_email_link(event: Event, email: str, locale: str) -> None:
    """Mail a signed link that proves the address and opens the registration form."""
    email = normalise_email(email)
    token = make_token("event-email", {"event": event.id, "email": email})
    send_mail(email, "event_verify_email", locale, event=event, token=token)


def find_by_secret(secret: str) -> Registration | None:
    if not secret or len(secret) > 100:
        return None
    return db.session.scalar(
        select(Registration).where(Registration.cancel_token_hash == hash_secret(secret))
    )


def find_for_user(event: Event, user: User) -> Registration | None:
    return db.session.scalar(
        select(Registration).where(
            Registration.event_id == event.id,
            Registration.user_id == user.id,
            Registration.status.in_(ACTIVE),
        )
    )


CANCELLABLE = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.OFFERED,
    RegistrationStatus.PENDING_APPROVAL,
)


def cancel(registration: Registration, now: datetime | None = None) -> None:
    """The registrant cancels: seats go back and are offered to the next in line.

    The dietary note is deleted at once: it has no purpose any more.
    """
    from .waitlist import offer_next

    now = now or utcnow()
    if registration.status not in CANCELLABLE:
        raise DomainError(_l("This registration cannot be cancelled any more."))
    if registration.event.starts_at <= now:
        raise DomainError(_l("The event has started; the registration cannot be cancelled."))
    held = registration.holds_seats
    previous = registration.status
    result = db.session.execute(
        update(Registration)
        .where(Registration.id == registration.id, Registration.status == previous)
        .values(status=RegistrationStatus.CANCELLED, cancelled_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(registration)
    if getattr(result, "rowcount", 0) != 1:
        raise DomainError(_l("This registration cannot be cancelled any more."))
    db.session.execute(delete(DietaryNote).where(DietaryNote.registration_id == registration.id))
    db.session.execute(
        update(WaitlistOffer)
        .where(WaitlistOffer.registration_id == registration.id,
               WaitlistOffer.status == OfferStatus.OPEN)
        .values(status=OfferStatus.DECLINED, answered_at=now)
        .execution_options(synchronize_session=False)
    )
    event = registration.event
    if held:
        release_seats(event, registration.seats)
    mail_registrant(registration, "registration_cancelled")
    audit.record(registration.user, "registration.cancelled", registration)
    if held:
        offer_next(event, now)
