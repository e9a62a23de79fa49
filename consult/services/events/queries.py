"""Reading events and registrations for pages, the API and the feeds."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...models import (
    Event,
    EventKind,
    EventStatus,
    Registration,
    RegistrationStatus,
    Role,
    User,
    event_organisers,
)
from .. import paging
from ..paging import Page

PUBLIC_STATUSES = (EventStatus.PUBLISHED, EventStatus.COMPLETED, EventStatus.CANCELLED)


def event_for_page(event_id: int) -> Event | None:
    """An event with its topic and its linked questionnaires, in one query; its parts
    (products, eligibility items, approval) load when a page is rendered, one query
    each, never one per row."""
    return db.session.scalar(
        select(Event).where(Event.id == event_id).options(
            joinedload(Event.topic), joinedload(Event.before_consultation),
            joinedload(Event.after_consultation)))


def public_query(kind: EventKind | None = None, topic_id: int | None = None) -> Select[Any]:
    query = select(Event).where(Event.status.in_(PUBLIC_STATUSES))
    if kind is not None:
        query = query.where(Event.kind == kind)
    if topic_id is not None:
        query = query.where(Event.topic_id == topic_id)
    return query


def upcoming(now: datetime, kind: EventKind | None = None, topic_id: int | None = None,
             limit: int | None = None) -> Sequence[Event]:
    query = (
        public_query(kind, topic_id)
        .where(Event.ends_at > now, Event.status == EventStatus.PUBLISHED)
        .order_by(Event.starts_at, Event.id)
    )
    if limit:
        query = query.limit(limit)
    return db.session.scalars(query).all()


def past(now: datetime, kind: EventKind | None = None, topic_id: int | None = None,
         limit: int = 50) -> Sequence[Event]:
    query = (
        public_query(kind, topic_id)
        .where((Event.ends_at <= now) | (Event.status == EventStatus.CANCELLED))
        .order_by(Event.starts_at.desc(), Event.id.desc())
        .limit(limit)
    )
    return db.session.scalars(query).all()


def published(limit: int = 500) -> Sequence[Event]:
    query = (
        select(Event)
        .where(Event.status.in_(PUBLIC_STATUSES))
        .order_by(Event.starts_at, Event.id)
        .limit(limit)
    )
    return db.session.scalars(query).all()


def managed_by(user: User) -> Sequence[Event]:
    query = select(Event).order_by(Event.starts_at.desc(), Event.id.desc())
    if user.role != Role.ADMIN:
        query = query.where(
            Event.id.in_(select(event_organisers.c.event_id).where(
                event_organisers.c.user_id == user.id))
        )
    return db.session.scalars(query).all()


def registrations(event: Event, status: RegistrationStatus | None = None) -> Sequence[
    Registration
]:
    query = select(Registration).where(Registration.event_id == event.id)
    if status is not None:
        query = query.where(Registration.status == status)
    return db.session.scalars(query.order_by(Registration.created_at, Registration.id)).all()


def registrations_page(event: Event, page: int,
                       per_page: int = paging.DEFAULT_PER_PAGE) -> Page[Registration]:
    """One page of the event's registrations, in the order of `registrations`."""
    query = select(Registration).where(Registration.event_id == event.id)
    return paging.paginate(query.order_by(Registration.created_at, Registration.id),
                           page, per_page)


def registration_of(event: Event, registration_id: int) -> Registration | None:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        return None
    return registration
