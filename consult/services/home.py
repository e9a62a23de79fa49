"""Each person's own page after login ("My overview"): what is theirs, by role.

Everyone: their responses, their registrations (tickets and waiting lists), what they
follow. Organisers: their events with seats taken and the waiting list. Officials: the
consultations that need them (open, answers to moderate, closed without a report).
Administrators: the accounts by role, locked accounts, and the latest audit entries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from consult.extensions import db
from consult.models import (
    AuditEntry,
    Consultation,
    ConsultationStatus,
    Event,
    Registration,
    RegistrationStatus,
    Response,
    ResponseStatus,
    Role,
    User,
    utcnow,
)
from consult.models.user import ROLE_RANK
from consult.services.consultations import editing, moderation, results
from consult.services.events import queries as event_queries
from consult.services.follow import subscriptions

#: How many audit entries the administrator's overview shows (the log has the rest).
RECENT_AUDIT = 5


@dataclass
class EventLine:
    event: Event
    waiting: int


@dataclass
class ConsultationLine:
    consultation: Consultation
    responses: int
    to_moderate: int


@dataclass
class Attention:
    """An official's consultations that need them."""

    open: list[ConsultationLine] = field(default_factory=list)
    to_moderate: list[ConsultationLine] = field(default_factory=list)
    to_report: list[ConsultationLine] = field(default_factory=list)
    scheduled: list[ConsultationLine] = field(default_factory=list)


@dataclass
class Accounts:
    """An administrator's view of the accounts."""

    by_role: dict[Role, int]
    locked: int
    unconfirmed: int
    recent: list[AuditEntry]


@dataclass
class Overview:
    user: User
    responses: list[Response]
    registrations: list[Registration]
    subscriptions: list[Any]
    events: list[EventLine] | None = None
    attention: Attention | None = None
    accounts: Accounts | None = None


def at_least(user: User, role: Role) -> bool:
    return ROLE_RANK[user.role] >= ROLE_RANK[role]


def my_responses(user: User) -> list[Response]:
    """The person's responses that still exist (drafts and submitted), newest first."""
    return list(db.session.scalars(
        select(Response).where(Response.user_id == user.id,
                               Response.status != ResponseStatus.WITHDRAWN)
        .order_by(Response.updated_at.desc(), Response.id.desc())))


def my_registrations(user: User) -> list[Registration]:
    """The person's registrations that still stand, the soonest event first."""
    gone = (RegistrationStatus.CANCELLED, RegistrationStatus.REJECTED)
    return list(db.session.scalars(
        select(Registration).join(Event).where(Registration.user_id == user.id,
                                               Registration.status.not_in(gone))
        .order_by(Event.starts_at, Registration.id)))


def organiser_events(user: User) -> list[EventLine]:
    """The events the person organises (all, for an admin), with their waiting lists."""
    events = event_queries.managed_by(user)
    waiting: dict[int, int] = {}
    if events:
        for event_id, count in db.session.execute(
                select(Registration.event_id, func.count())
                .where(Registration.event_id.in_([e.id for e in events]),
                       Registration.status == RegistrationStatus.WAITLISTED)
                .group_by(Registration.event_id)):
            waiting[event_id] = count
    return [EventLine(event=e, waiting=waiting.get(e.id, 0)) for e in events]


def attention(now: datetime | None = None) -> Attention:
    """The consultations an official should look at, by what they need."""
    now = now or utcnow()
    found = Attention()
    for consultation in editing.all_consultations():
        status = consultation.effective_status(now)
        if status in (ConsultationStatus.DRAFT, ConsultationStatus.REPORT_PUBLISHED):
            continue
        line = ConsultationLine(
            consultation=consultation,
            responses=int(results.response_counts(consultation, public=False)["total"]),
            to_moderate=moderation.pending_count(consultation),
        )
        if status == ConsultationStatus.OPEN:
            found.open.append(line)
        elif status == ConsultationStatus.CLOSED:
            found.to_report.append(line)
        else:
            found.scheduled.append(line)
        if line.to_moderate:
            found.to_moderate.append(line)
    return found


def accounts(now: datetime | None = None) -> Accounts:
    now = now or utcnow()
    counts: dict[Role, int] = {}
    for role, count in db.session.execute(select(User.role, func.count()).group_by(User.role)):
        counts[role] = count
    locked = db.session.scalar(
        select(func.count()).select_from(User).where(User.locked_until > now)) or 0
    unconfirmed = db.session.scalar(
        select(func.count()).select_from(User).where(User.confirmed_at.is_(None))) or 0
    recent = list(db.session.scalars(
        select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(RECENT_AUDIT)))
    return Accounts(by_role={role: counts.get(role, 0) for role in Role}, locked=locked,
                    unconfirmed=unconfirmed, recent=recent)


def overview(user: User) -> Overview:
    """Everything on the person's own page, as far as their role reaches."""
    found = Overview(user=user, responses=my_responses(user),
                     registrations=my_registrations(user),
                     subscriptions=subscriptions.of_user(user))
    if at_least(user, Role.ORGANISER):
        found.events = organiser_events(user)
    if at_least(user, Role.OFFICIAL):
        found.attention = attention()
    if at_least(user, Role.ADMIN):
        found.accounts = accounts()
    return found
