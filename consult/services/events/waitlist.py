"""The waiting list: timed offers, approval in selection mode, promotion by hand.

A freed seat is offered to the first person waiting: their registration becomes
"offered", which holds the seat, and they get a mail with an accept link that works
until `expires_at` (the event's `offer_hours`, `models.DEFAULT_OFFER_HOURS` by
default). `expire_offers(now)` (run by `flask --app consult events expire-offers`)
cancels offers that ran out and offers the seat to the next in line. Each step changes
a registration's status with a conditional UPDATE, so two requests can never hand the
same person two offers.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select, update

from consult.services.accounts.tokens import make_token

from ...extensions import db
from ...models import (
    Event,
    EventStatus,
    OfferStatus,
    Registration,
    RegistrationStatus,
    User,
    WaitlistOffer,
    utcnow,
)
from .. import DomainError, audit, paging
from .codes import new_secret
from .mailing import mail_registrant
from .seats import claim_seats, release_seats


def _move(registration: Registration, from_: RegistrationStatus, to: RegistrationStatus,
          **values: object) -> bool:
    """Change the status only if it is still `from_`; True when this call changed it."""
    result = db.session.execute(
        update(Registration)
        .where(Registration.id == registration.id, Registration.status == from_)
        .values(status=to, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(registration)
    return getattr(result, "rowcount", 0) == 1


def _waiting_query(event: Event) -> Select[tuple[Registration]]:
    return (select(Registration)
            .where(Registration.event_id == event.id,
                   Registration.status == RegistrationStatus.WAITLISTED)
            .order_by(Registration.created_at, Registration.id))


def waiting(event: Event) -> list[Registration]:
    """The waiting list in order: first registered, first offered."""
    return list(db.session.scalars(_waiting_query(event)))


def waiting_page(event: Event, page: int,
                 per_page: int = paging.DEFAULT_PER_PAGE) -> paging.Page[Registration]:
    """One page of the waiting list, in its order (a campaign's list can be thousands)."""
    return paging.paginate(_waiting_query(event), page, per_page)


def offer_next(event: Event, now: datetime | None = None) -> list[WaitlistOffer]:
    """Offer free seats to the people waiting, in order, while the next one fits."""
    now = now or utcnow()
    offers: list[WaitlistOffer] = []
    if event.status != EventStatus.PUBLISHED or event.starts_at <= now:
        return offers
    for registration in waiting(event):
        if not _move(registration, RegistrationStatus.WAITLISTED, RegistrationStatus.OFFERED):
            continue  # someone else handled this person a moment ago
        if not claim_seats(event, registration.seats):
            _move(registration, RegistrationStatus.OFFERED, RegistrationStatus.WAITLISTED)
            break  # not enough seats for the next in line: they keep their place
        offer = WaitlistOffer(
            registration_id=registration.id,
            event_id=event.id,
            created_at=now,
            expires_at=now + timedelta(hours=event.offer_hours),
        )
        db.session.add(offer)
        db.session.flush()
        token = make_token("offer", {"offer": offer.id, "reg": registration.id})
        mail_registrant(registration, "event_offer", offer=offer, token=token)
        offers.append(offer)
    return offers


def open_offer(offer_id: object, registration_id: object) -> WaitlistOffer | None:
    if not isinstance(offer_id, int) or not isinstance(registration_id, int):
        return None
    offer = db.session.get(WaitlistOffer, offer_id)
    if offer is None or offer.registration_id != registration_id:
        return None
    return offer


def accept_offer(offer: WaitlistOffer, now: datetime | None = None) -> tuple[Registration, str]:
    """Confirm the offered seat; returns the registration and its new personal link's secret."""
    now = now or utcnow()
    if offer.status == OfferStatus.OPEN and offer.expires_at <= now:
        _end_offer(offer, OfferStatus.EXPIRED, now)
        raise DomainError(_l("This offer has expired. The seat has gone to the next person "
                             "on the waiting list."))
    if offer.status != OfferStatus.OPEN:
        raise DomainError(_l("This offer is no longer open."))
    registration = offer.registration
    if not _move(registration, RegistrationStatus.OFFERED, RegistrationStatus.CONFIRMED):
        raise DomainError(_l("This offer is no longer open."))
    offer.status = OfferStatus.ACCEPTED
    offer.answered_at = now
    db.session.flush()
    return registration, _mail_confirmed(registration)


def _mail_confirmed(registration: Registration) -> str:
    """Mail the confirmation with a fresh personal link (the old one stops working)."""
    secret, registration.cancel_token_hash = new_secret()
    db.session.flush()
    mail_registrant(registration, "event_confirmed", secret=secret, with_calendar=True)
    return secret


def decline_offer(offer: WaitlistOffer, now: datetime | None = None) -> None:
    now = now or utcnow()
    if offer.status != OfferStatus.OPEN:
        raise DomainError(_l("This offer is no longer open."))
    _end_offer(offer, OfferStatus.DECLINED, now)


def _end_offer(offer: WaitlistOffer, outcome: OfferStatus, now: datetime) -> bool:
    """Close an open offer: the registration is cancelled and the seat offered on."""
    registration = offer.registration
    if not _move(registration, RegistrationStatus.OFFERED, RegistrationStatus.CANCELLED,
                 cancelled_at=now):
        return False
    offer.status = outcome
    offer.answered_at = now
    db.session.flush()
    event = registration.event
    release_seats(event, registration.seats)
    if outcome == OfferStatus.EXPIRED:
        mail_registrant(registration, "event_offer_expired")
    offer_next(event, now)
    return True


def expire_offers(now: datetime) -> int:
    """Close every open offer whose time ran out; returns how many. Safe to run again."""
    due = db.session.scalars(
        select(WaitlistOffer)
        .where(WaitlistOffer.status == OfferStatus.OPEN, WaitlistOffer.expires_at <= now)
        .order_by(WaitlistOffer.expires_at, WaitlistOffer.id)
    ).all()
    return sum(1 for offer in due if _end_offer(offer, OfferStatus.EXPIRED, now))


def promote(actor: User, registration: Registration, now: datetime | None = None) -> None:
    """An organiser gives a waiting person a seat directly (only if one is free)."""
    now = now or utcnow()
    if registration.status != RegistrationStatus.WAITLISTED:
        raise DomainError(_l("Only people on the waiting list can be promoted."))
    _confirm_with_seat(registration, RegistrationStatus.WAITLISTED)
    audit.record(actor, "registration.promoted", registration)


def approve(actor: User, registration: Registration) -> None:
    """Selection mode: approve a registration; it takes its seats now."""
    if registration.status != RegistrationStatus.PENDING_APPROVAL:
        raise DomainError(_l("Only registrations waiting for approval can be approved."))
    _confirm_with_seat(registration, RegistrationStatus.PENDING_APPROVAL)
    audit.record(actor, "registration.approved", registration)


def _confirm_with_seat(registration: Registration, from_: RegistrationStatus) -> None:
    event = registration.event
    if not claim_seats(event, registration.seats):
        raise DomainError(
            _l("There are not enough seats left. Raise the capacity first, or wait until "
               "someone cancels.")
        )
    if not _move(registration, from_, RegistrationStatus.CONFIRMED):
        release_seats(event, registration.seats)
        raise DomainError(_l("This registration was changed a moment ago. Look again."))
    _mail_confirmed(registration)


def reject(actor: User, registration: Registration) -> None:
    if not _move(registration, RegistrationStatus.PENDING_APPROVAL,
                 RegistrationStatus.REJECTED):
        raise DomainError(_l("Only registrations waiting for approval can be rejected."))
    mail_registrant(registration, "event_rejected")
    audit.record(actor, "registration.rejected", registration)
