"""The notices sent to those who follow, each at most once per subscription.

What is due is read from the data at a moment `now` (so the clock-driven events — a
scheduled consultation opening, the last week before a close, a tasting's registration
opening at its time — need no trigger of their own):

- ``opened:<id>``   a consultation is open (to those confirmed before it opened);
- ``closing:<id>``  it closes within CLOSING_NOTICE (not sent when it was open for less);
- ``report:<id>``   its report was published in the last REPORT_NOTICE_DAYS;
- ``tasting:<id>``  a published tasting takes registrations.

Consultation notices go to those following the consultation or its topic, tasting
notices to those following the tastings; an address following both a consultation and
its topic gets one mail. Each mail is claimed first by an INSERT into
`notice_deliveries` with UNIQUE (subscription_id, notice_key), committed before the mail
goes: a second worker's INSERT fails on the conflict and that worker moves on. A mail
that fails to send gives its claim back; a claim left by a worker that died between the
claim and the mail is taken over after STALE_CLAIM. `send_due` therefore commits (once
per claim and once per sent mail): that is the point of the claim, and why it is a job
of its own (`consult.jobs`, or `flask --app consult follow send-notices` from cron).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, has_request_context, url_for
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...mail import send_mail
from ...models import (
    Consultation,
    ConsultationStatus,
    Event,
    EventKind,
    EventStatus,
    FollowTarget,
    NoticeDelivery,
    Subscription,
    utcnow,
)
from ..events.registration import registration_open

log = logging.getLogger(__name__)

CLOSING_NOTICE = timedelta(days=7)
REPORT_NOTICE_DAYS = 30
STALE_CLAIM = timedelta(minutes=15)
TEMPLATES = {"opened": "follow_opened", "closing": "follow_closing",
             "report": "follow_report", "tasting": "follow_tasting"}


@dataclass(frozen=True)
class Notice:
    kind: str
    object_id: int
    #: Only subscriptions confirmed by then get it (None: every confirmed one).
    since: datetime | None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.object_id}"


def _consultation_notices(consultation: Consultation, now: datetime) -> Iterator[Notice]:
    status = consultation.effective_status(now)
    if status == ConsultationStatus.OPEN and consultation.opens_at is not None:
        yield Notice("opened", consultation.id, consultation.opens_at)
        closes = consultation.closes_at
        if closes is not None and now >= closes - CLOSING_NOTICE > consultation.opens_at:
            yield Notice("closing", consultation.id, closes - CLOSING_NOTICE)
    elif (status == ConsultationStatus.REPORT_PUBLISHED
          and consultation.report_published_at is not None
          and consultation.report_published_at >= now - timedelta(days=REPORT_NOTICE_DAYS)):
        yield Notice("report", consultation.id, consultation.report_published_at)


def due(now: datetime) -> list[Notice]:
    """Every notice due at `now` (before anyone claimed it)."""
    notices: list[Notice] = []
    consultations = db.session.scalars(
        select(Consultation)
        .where(Consultation.status != ConsultationStatus.DRAFT,
               or_(Consultation.closes_at > now,
                   Consultation.report_published_at
                   >= now - timedelta(days=REPORT_NOTICE_DAYS)))
        .order_by(Consultation.id))
    for consultation in consultations:
        notices.extend(_consultation_notices(consultation, now))
    tastings = db.session.scalars(
        select(Event)
        .where(Event.kind == EventKind.TASTING, Event.status == EventStatus.PUBLISHED,
               Event.starts_at > now)
        .order_by(Event.id))
    for event in tastings:
        if registration_open(event, now):
            notices.append(Notice("tasting", event.id, event.registration_opens_at))
    return notices


def _followers(notice: Notice) -> list[Subscription]:
    query = select(Subscription).where(Subscription.confirmed_at.is_not(None))
    if notice.kind == "tasting":
        query = query.where(Subscription.target == FollowTarget.TASTINGS)
    else:
        consultation = db.session.get(Consultation, notice.object_id)
        if consultation is None:
            return []
        which = Subscription.consultation_id == consultation.id
        if consultation.topic_id is not None:
            which = or_(which, Subscription.topic_id == consultation.topic_id)
        query = query.where(which)
    if notice.since is not None:
        query = query.where(Subscription.confirmed_at <= notice.since)
    return list(db.session.scalars(query.order_by(Subscription.id)))


def recipients(notice: Notice) -> list[tuple[int, list[int]]]:
    """(the subscription that carries the mail, its address's other subscriptions that
    the same mail answers), one per address, the oldest subscription first."""
    by_email: dict[str, list[int]] = {}
    for subscription in _followers(notice):
        by_email.setdefault(subscription.email, []).append(subscription.id)
    return [(ids[0], ids[1:]) for ids in by_email.values()]


def claim(subscription_id: int, key: str, now: datetime) -> bool:
    """Claim the notice `key` for a subscription, committed; False when another worker
    has it (or sent it). A claim unsent for STALE_CLAIM is taken over."""
    try:
        db.session.add(NoticeDelivery(subscription_id=subscription_id, notice_key=key,
                                      claimed_at=now))
        db.session.commit()
        return True
    except IntegrityError:
        db.session.rollback()
    retaken = db.session.execute(
        update(NoticeDelivery)
        .where(NoticeDelivery.subscription_id == subscription_id,
               NoticeDelivery.notice_key == key, NoticeDelivery.sent_at.is_(None),
               NoticeDelivery.claimed_at < now - STALE_CLAIM)
        .values(claimed_at=now))
    db.session.commit()
    return bool(retaken.rowcount == 1)  # type: ignore[attr-defined]


def _mark_sent(subscription_id: int, siblings: list[int], key: str, now: datetime) -> None:
    db.session.execute(
        update(NoticeDelivery)
        .where(NoticeDelivery.subscription_id == subscription_id,
               NoticeDelivery.notice_key == key)
        .values(sent_at=now))
    db.session.commit()
    for sibling in siblings:  # the same mail answers them: never a second one later
        try:
            db.session.add(NoticeDelivery(subscription_id=sibling, notice_key=key,
                                          claimed_at=now, sent_at=now))
            db.session.commit()
        except IntegrityError:
            db.session.rollback()


def _give_back(subscription_id: int, key: str) -> None:
    db.session.rollback()
    db.session.execute(
        NoticeDelivery.__table__.delete().where(
            NoticeDelivery.subscription_id == subscription_id,
            NoticeDelivery.notice_key == key, NoticeDelivery.sent_at.is_(None)))
    db.session.commit()


def unsubscribe_url(subscription: Subscription) -> str:
    """The page a notice links to, in the language the subscriber follows in."""
    return url_for("follow.unsubscribe", token=subscription.unsubscribe_token,
                   lang=subscription.locale, _external=True)


def list_headers(subscription: Subscription) -> dict[str, str]:
    """RFC 2369 and RFC 8058: mail programs offer the one-click unsubscribe (whose URL
    must be https, so it is, even where the site's own links are not)."""
    url = url_for("follow.unsubscribe", token=subscription.unsubscribe_token,
                  _external=True, _scheme="https")
    return {"List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def mail_notice(subscription: Subscription, notice: Notice) -> None:
    consultation = db.session.get(Consultation, notice.object_id) \
        if notice.kind != "tasting" else None
    event = db.session.get(Event, notice.object_id) if notice.kind == "tasting" else None
    if consultation is not None:
        link = url_for("consultations.report" if notice.kind == "report"
                       else "consultations.show", slug=consultation.slug, _external=True)
    else:
        link = url_for("events.show", event_id=notice.object_id, _external=True)
    send_mail(subscription.email, TEMPLATES[notice.kind], subscription.locale,
              headers=list_headers(subscription), subscription=subscription,
              consultation=consultation, event=event, link=link,
              unsubscribe_url=unsubscribe_url(subscription))


@contextlib.contextmanager
def _links() -> Iterator[None]:
    """Absolute links outside a request: from SERVER_NAME, else BASE_URL."""
    if has_request_context() or current_app.config.get("SERVER_NAME"):
        yield
        return
    base = current_app.config.get("BASE_URL") or "http://localhost:5000"
    with current_app.test_request_context("/", base_url=base):
        yield


def send_due(now: datetime | None = None) -> int:
    """Mail every due notice to every follower who has not had it; how many were sent.
    Safe to run again, and in several workers at once."""
    moment = now or utcnow()
    sent = 0
    with _links():
        for notice in due(moment):
            for subscription_id, siblings in recipients(notice):
                if not claim(subscription_id, notice.key, moment):
                    continue
                subscription = db.session.get(Subscription, subscription_id)
                if subscription is None:  # unsubscribed since
                    continue
                try:
                    mail_notice(subscription, notice)
                except Exception:
                    log.exception("notice %s could not be sent", notice.key)
                    _give_back(subscription_id, notice.key)
                    continue
                _mark_sent(subscription_id, siblings, notice.key, moment)
                sent += 1
    return sent


def send_due_now() -> int:
    """The background job: `jobs.enqueue("consult.services.follow.notices.send_due_now")`."""
    return send_due()
