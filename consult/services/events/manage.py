"""Organisers' work on events: create, edit, publish, cancel, and the tasting settings.

An organiser manages only the events they organise (an admin manages all). The
dietary notes of an event are readable by that event's organisers and no one else.
A tasting is published only with a code-of-practice approval whose verdict is "safe".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from ...extensions import db
from ...models import (
    ALLERGEN_CODES,
    DEFAULT_OFFER_HOURS,
    ApprovalVerdict,
    DietaryNote,
    EligibilityItem,
    Event,
    EventKind,
    EventStatus,
    InfoSheet,
    OfferStatus,
    Registration,
    RegistrationMode,
    RegistrationStatus,
    Role,
    TastingApproval,
    TastingProduct,
    Topic,
    User,
    WaitlistOffer,
    utcnow,
)
from .. import DomainError, audit, raise_all
from .mailing import mail_registrant
from .seats import release_seats
from .survey_links import link_problems


def can_manage(user: object, event: Event) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return event.is_organiser(user) or getattr(user, "role", None) == Role.ADMIN


def can_read_dietary_notes(user: object, event: Event) -> bool:
    """Health data: only the people organising this very event."""
    return bool(getattr(user, "is_authenticated", False)) and event.is_organiser(user)


@dataclass
class EventData:
    """The editable fields of an event, as the form gives them (shape checked)."""

    kind: EventKind
    topic_id: int
    title_nl: str
    title_en: str
    description_nl: str
    description_en: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    venue: str = ""
    online_link: str = ""
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    registration_mode: RegistrationMode = RegistrationMode.FCFS
    allow_guests: bool = False
    max_guests: int = 0
    reminder_hours: int = 24
    offer_hours: int = DEFAULT_OFFER_HOURS
    dietary_purge_days: int = 30
    min_age: int = 18
    #: Questionnaires before and after a tasting (rules in `survey_links`).
    before_consultation_id: int | None = None
    after_consultation_id: int | None = None


def event_problems(data: EventData, event: Event | None,
                   unknown: frozenset[str] = frozenset()) -> list[DomainError]:
    """Every rule the event's data breaks, each at its field, so the form shows them all
    at once. `unknown` names fields the form could not read (they have their own message):
    a rule that reads one of them is not judged."""
    problems: list[DomainError] = []

    def broken(fields: tuple[str, ...], is_broken: Callable[[], bool], message: object,
               field: str) -> None:
        if not unknown.intersection(fields) and is_broken():
            problems.append(DomainError(message, field))

    broken(("topic_id",), lambda: db.session.get(Topic, data.topic_id) is None,
           _l("Choose a topic from the list."), "topic_id")
    broken(("title_nl",), lambda: not data.title_nl.strip(), _l("Enter the Dutch title."),
           "title_nl")
    broken(("title_en",), lambda: not data.title_en.strip(), _l("Enter the English title."),
           "title_en")
    broken(("starts_at", "ends_at"), lambda: data.ends_at <= data.starts_at,
           _l("The end must be after the start."), "ends_at")
    broken(("capacity",), lambda: data.capacity < 1, _l("The capacity must be at least 1."),
           "capacity")
    if event is not None:
        broken(("capacity",), lambda: 1 <= data.capacity < event.seats_taken,
               _l("%(n)s seats are taken already: the capacity cannot be lower.",
                  n=event.seats_taken), "capacity")
    link = data.online_link.strip()
    broken(("venue", "online_link"), lambda: not data.venue.strip() and not link,
           _l("Enter a venue address, or an online link."), "venue")
    broken(("online_link",), lambda: bool(link) and not link.startswith("https://"),
           _l("The online link must start with https://."), "online_link")
    opens, closes = data.registration_opens_at, data.registration_closes_at
    broken(("registration_opens_at", "registration_closes_at"),
           lambda: bool(opens and closes and closes <= opens),
           _l("Registration must close after it opens."), "registration_closes_at")
    broken(("registration_closes_at", "starts_at"),
           lambda: bool(closes and closes > data.starts_at),
           _l("Registration must close before the event starts."), "registration_closes_at")
    broken(("allow_guests", "max_guests"), lambda: data.allow_guests and data.max_guests < 1,
           _l("Allow at least 1 guest, or do not allow guests."), "max_guests")
    problems += link_problems(data.kind, data.before_consultation_id,
                              data.after_consultation_id, unknown)
    return problems


def _check(data: EventData, event: Event | None) -> None:
    raise_all(event_problems(data, event))


def _apply(event: Event, data: EventData) -> None:
    event.kind = data.kind
    event.topic_id = data.topic_id
    event.title_nl = data.title_nl.strip()
    event.title_en = data.title_en.strip()
    event.description_nl = data.description_nl.strip()
    event.description_en = data.description_en.strip()
    event.starts_at = data.starts_at
    event.ends_at = data.ends_at
    event.capacity = data.capacity
    event.venue = data.venue.strip() or None
    event.online_link = data.online_link.strip() or None
    event.registration_opens_at = data.registration_opens_at
    event.registration_closes_at = data.registration_closes_at
    event.registration_mode = data.registration_mode
    event.allow_guests = data.allow_guests
    event.max_guests = data.max_guests if data.allow_guests else 0
    event.reminder_hours = data.reminder_hours
    event.offer_hours = data.offer_hours
    event.dietary_purge_days = data.dietary_purge_days
    event.min_age = data.min_age
    event.before_consultation_id = data.before_consultation_id
    event.after_consultation_id = data.after_consultation_id


def create_event(organiser: User, data: EventData) -> Event:
    _check(data, None)
    event = Event(status=EventStatus.DRAFT, seats_taken=0)
    _apply(event, data)
    event.organisers = [organiser]
    db.session.add(event)
    db.session.flush()
    audit.record(organiser, "event.created", event)
    return event


def update_event(actor: User, event: Event, data: EventData) -> None:
    if event.status == EventStatus.CANCELLED:
        raise DomainError(_l("A cancelled event cannot be changed."))
    _check(data, event)
    if event.status == EventStatus.PUBLISHED and data.kind != event.kind:
        raise DomainError(_l("The kind of a published event cannot be changed."), "kind")
    _apply(event, data)
    db.session.flush()
    audit.record(actor, "event.updated", event)


MISSING_REFERENCE = _l("A tasting can only be published with the reference of its approval "
                       "(the committee's file number). Enter the reference first.")


def publish(actor: User, event: Event) -> None:
    if event.status != EventStatus.DRAFT:
        raise DomainError(_l("Only a draft can be published."))
    if event.is_tasting:
        if event.approval is None or not event.approval.is_positive:
            raise DomainError(
                _l("A tasting can only be published with an approval under the code of "
                   "practice whose verdict is safe. Enter the approval first.")
            )
        if not event.approval.reference.strip():
            raise DomainError(MISSING_REFERENCE)
        if not event.products:
            raise DomainError(_l("Add the products that will be tasted before publishing."))
    event.status = EventStatus.PUBLISHED
    db.session.flush()
    audit.record(actor, "event.published", event)


def completion_refusal(event: Event, now: datetime | None = None) -> DomainError | None:
    """Why the event cannot be marked as completed now, or None when it can."""
    if event.status != EventStatus.PUBLISHED:
        return DomainError(_l("Only a published event can be marked as completed."))
    if (now or utcnow()) < event.ends_at:
        return DomainError(_l(
            "The event has not ended yet. You can mark it as completed after it ends "
            "(%(end)s).", end=format_datetime(event.ends_at, "short")))
    return None


def complete(actor: User, event: Event, now: datetime | None = None) -> None:
    """Mark a published event as held; refused before the event has ended."""
    refusal = completion_refusal(event, now)
    if refusal is not None:
        raise refusal
    event.status = EventStatus.COMPLETED
    db.session.flush()
    audit.record(actor, "event.completed", event)


def cancel_event(actor: User, event: Event, now: datetime | None = None) -> int:
    """Cancel the event: every active registrant is mailed; seats, offers and dietary
    notes end."""
    now = now or utcnow()
    if event.status in (EventStatus.CANCELLED, EventStatus.COMPLETED):
        raise DomainError(_l("This event cannot be cancelled."))
    event.status = EventStatus.CANCELLED
    event.cancelled_at = now
    active = db.session.scalars(
        select(Registration).where(
            Registration.event_id == event.id,
            Registration.status.in_((
                RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED,
                RegistrationStatus.OFFERED, RegistrationStatus.PENDING_APPROVAL,
            )),
        )
    ).all()
    for registration in active:
        if registration.holds_seats:
            release_seats(event, registration.seats)
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        db.session.flush()
        mail_registrant(registration, "event_cancelled", with_calendar=True)
    for offer in db.session.scalars(
        select(WaitlistOffer).where(WaitlistOffer.event_id == event.id,
                                    WaitlistOffer.status == OfferStatus.OPEN)
    ):
        offer.status = OfferStatus.WITHDRAWN
        offer.answered_at = now
    # The dietary notes served only this event: without it they have no purpose.
    db.session.execute(delete(DietaryNote).where(DietaryNote.event_id == event.id))
    db.session.flush()
    audit.record(actor, "event.cancelled", event, mailed=len(active))
    return len(active)


def set_approval(actor: User, event: Event, committee: str, reference: str,
                 verdict: ApprovalVerdict, decided_on: date, conditions: str,
                 conditions_en: str = "") -> None:
    if not event.is_tasting:
        raise DomainError(_l("Only a tasting has an approval under the code of practice."))
    if decided_on > utcnow().date():
        raise DomainError(_l("The date of the verdict cannot be in the future."), "decided_on")
    if event.status == EventStatus.PUBLISHED and verdict != ApprovalVerdict.SAFE:
        raise DomainError(
            _l("A published tasting must keep a safe verdict. Cancel the event instead."),
            "verdict",
        )
    if event.status == EventStatus.PUBLISHED and not reference.strip():
        raise DomainError(MISSING_REFERENCE, "reference")
    approval = event.approval or TastingApproval(event=event)
    approval.committee = committee.strip()
    approval.reference = reference.strip()
    approval.verdict = verdict
    approval.decided_on = decided_on
    approval.conditions = conditions.strip()
    approval.conditions_en = conditions_en.strip()
    db.session.add(approval)
    db.session.flush()
    audit.record(actor, "event.approval_saved", event, verdict=verdict.value)


def add_product(actor: User, event: Event, name_nl: str, name_en: str,
                allergens: list[str]) -> TastingProduct:
    unknown = [code for code in allergens if code not in ALLERGEN_CODES]
    if unknown:
        raise DomainError(_l("Choose allergens from the list."), "allergens")
    if not name_nl.strip() or not name_en.strip():
        raise DomainError(_l("Enter the product's name in Dutch and English."), "name_nl")
    product = TastingProduct(
        event=event,
        position=len(event.products),
        name_nl=name_nl.strip(),
        name_en=name_en.strip(),
        allergens=[code for code in ALLERGEN_CODES if code in allergens],
    )
    db.session.add(product)
    db.session.flush()
    audit.record(actor, "event.product_added", event, product=product.id)
    return product


def remove_product(actor: User, event: Event, product_id: int) -> None:
    product = db.session.get(TastingProduct, product_id)
    if product is None or product.event_id != event.id:
        raise DomainError(_l("This product is not part of this event."))
    if event.status == EventStatus.PUBLISHED and len(event.products) == 1:
        raise DomainError(_l("A published tasting keeps at least one product."))
    event.products.remove(product)
    db.session.flush()
    audit.record(actor, "event.product_removed", event, product=product_id)


def add_eligibility_item(actor: User, event: Event, text_nl: str, text_en: str) -> None:
    if not text_nl.strip() or not text_en.strip():
        raise DomainError(_l("Enter the item in Dutch and English."), "text_nl")
    event.eligibility_items.append(
        EligibilityItem(position=len(event.eligibility_items), text_nl=text_nl.strip(),
                        text_en=text_en.strip())
    )
    db.session.flush()
    audit.record(actor, "event.eligibility_added", event)


def remove_eligibility_item(actor: User, event: Event, item_id: int) -> None:
    item = db.session.get(EligibilityItem, item_id)
    if item is None or item.event_id != event.id:
        raise DomainError(_l("This item is not part of this event."))
    event.eligibility_items.remove(item)
    db.session.flush()
    audit.record(actor, "event.eligibility_removed", event)


def save_info_sheet(actor: User, event: Event, body_nl: str, body_en: str) -> InfoSheet | None:
    """Store a new version when the text changed; registrants accept the latest."""
    body_nl, body_en = body_nl.strip(), body_en.strip()
    if not body_nl or not body_en:
        raise DomainError(_l("Enter the information sheet in Dutch and English."), "body_nl")
    current = event.info_sheet
    if current is not None and (current.body_nl, current.body_en) == (body_nl, body_en):
        return None
    sheet = InfoSheet(version=(current.version + 1) if current else 1, body_nl=body_nl,
                      body_en=body_en, created_at=utcnow())
    event.info_sheets.append(sheet)
    db.session.flush()
    audit.record(actor, "event.info_sheet_saved", event, version=sheet.version)
    return sheet


def add_organiser(actor: User, event: Event, email: str) -> User:
    from consult.services.accounts.auth import find_by_email

    user = find_by_email(email)
    if user is None or not user.has_role(Role.ORGANISER):
        raise DomainError(_l("There is no organiser account with this email address."),
                          "email")
    if event.is_organiser(user):
        raise DomainError(_l("This person organises this event already."), "email")
    event.organisers.append(user)
    db.session.flush()
    audit.record(actor, "event.organiser_added", event, user=user.id)
    return user


def dietary_notes(event: Event) -> list[tuple[Registration, DietaryNote]]:
    rows = db.session.execute(
        select(Registration, DietaryNote)
        .join(DietaryNote, DietaryNote.registration_id == Registration.id)
        .where(DietaryNote.event_id == event.id)
        .order_by(Registration.name, Registration.email)
    )
    return list(rows)
