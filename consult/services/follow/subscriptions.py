"""Subscriptions: asking to follow (double opt-in by mail), confirming, unsubscribing,
following from an account in one click, and the privacy area (export, erase, purge).

Asking to follow answers the same whether or not the address already follows the
target (nothing about an address shows to whoever types it): a new or still unconfirmed
subscription gets a confirmation mail, a confirmed one gets nothing. The confirmation
link is signed and expires after FOLLOW_CONFIRM_HOURS; it carries a fingerprint of the
unconfirmed state, so it works once.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, or_, select

from ...extensions import db
from ...mail import send_mail
from ...models import NoticeDelivery, Subscription, User, utcnow
from .. import DomainError
from ..accounts import tokens
from ..privacy import Area, iso
from .targets import Target

CONFIRM_PURPOSE = "follow-confirm"
LOCALES = ("nl", "en")
EMAIL_MAX = 254
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class LinkUsed(Exception):
    """The confirmation link was genuine but its subscription is confirmed already."""


def clean_email(raw: str) -> str:
    """The address as stored (trimmed, lower case); DomainError when it is not one."""
    email = (raw or "").strip().lower()
    if not email:
        raise DomainError(_l("Enter your email address."), "email")
    if len(email) > EMAIL_MAX or not _EMAIL.match(email):
        raise DomainError(_l("Enter an email address like name@example.nl."), "email")
    return email


def _locale(raw: str) -> str:
    return raw if raw in LOCALES else "nl"


def _find(email: str, target: Target) -> Subscription | None:
    return db.session.scalar(select(Subscription).where(
        Subscription.email == email, Subscription.target_key == target.key))


def _new(email: str, locale: str, target: Target, user: User | None) -> Subscription:
    subscription = Subscription(
        email=email, locale=locale, target=target.kind, target_key=target.key,
        topic=target.topic, consultation=target.consultation,
        user_id=user.id if user is not None else None,
        unsubscribe_token=secrets.token_urlsafe(32),
    )
    db.session.add(subscription)
    db.session.flush()
    return subscription


def _state(subscription: Subscription) -> str:
    return tokens.fingerprint(f"{subscription.id}:{subscription.confirmed_at}")


def confirm_token(subscription: Subscription) -> str:
    return tokens.make_token(CONFIRM_PURPOSE, {"s": subscription.id, "f": _state(subscription)})


def ask(raw_email: str, locale: str, target: Target) -> None:
    """Someone asks to follow `target` at an address: mail a confirmation link (once
    confirmed, nothing is sent again)."""
    email = clean_email(raw_email)
    locale = _locale(locale)
    subscription = _find(email, target)
    if subscription is None:
        subscription = _new(email, locale, target, None)
    elif subscription.confirmed_at is not None:
        return
    else:
        subscription.locale = locale
        subscription.created_at = utcnow()  # the purge counts from the newest request
        db.session.flush()
    send_mail(email, "follow_confirm", locale, subscription=subscription,
              target=target, hours=int(current_app.config["FOLLOW_CONFIRM_HOURS"]),
              confirm_url=url_for("follow.confirm", token=confirm_token(subscription),
                                  lang=locale, _external=True))


def confirm(token: str) -> Subscription:
    """Confirm the subscription a link names. Raises tokens.TokenExpired,
    tokens.TokenInvalid (forged, or its subscription is gone) or LinkUsed."""
    max_age = int(current_app.config["FOLLOW_CONFIRM_HOURS"]) * 3600
    data = tokens.read_token(CONFIRM_PURPOSE, token, max_age=max_age)
    subscription = db.session.get(Subscription, data.get("s"))
    if subscription is None:
        raise tokens.TokenInvalid(CONFIRM_PURPOSE)
    if subscription.confirmed_at is not None or data.get("f") != _state(subscription):
        raise LinkUsed()
    subscription.confirmed_at = utcnow()
    db.session.flush()
    return subscription


def follow_as(user: User, target: Target) -> Subscription:
    """A logged-in person follows in one click: their confirmed address needs no second
    confirmation (an unconfirmed account's address gets the confirmation mail)."""
    subscription = _find(user.email, target)
    if subscription is None:
        subscription = _new(user.email, _locale(user.locale or "nl"), target, user)
    subscription.user_id = user.id
    if user.confirmed_at is not None and subscription.confirmed_at is None:
        subscription.confirmed_at = utcnow()
    db.session.flush()
    if subscription.confirmed_at is None:
        ask(user.email, subscription.locale, target)
    return subscription


def of_user(user: User) -> list[Subscription]:
    """Every subscription of the person: made from the account or to its address."""
    return list(db.session.scalars(
        select(Subscription)
        .where(or_(Subscription.user_id == user.id, Subscription.email == user.email.lower()))
        .order_by(Subscription.id)))


def unfollow_as(user: User, subscription_id: int) -> bool:
    for subscription in of_user(user):
        if subscription.id == subscription_id:
            db.session.delete(subscription)
            db.session.flush()
            return True
    return False


def by_unsubscribe_token(token: str) -> Subscription | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(Subscription).where(Subscription.unsubscribe_token == token))


def unsubscribe(subscription: Subscription, everything: bool = False) -> int:
    """Remove this subscription, or every subscription of its address; how many went."""
    if everything:
        ids = list(db.session.scalars(
            select(Subscription.id).where(Subscription.email == subscription.email)))
    else:
        ids = [subscription.id]
    db.session.execute(delete(NoticeDelivery).where(NoticeDelivery.subscription_id.in_(ids)))
    db.session.execute(delete(Subscription).where(Subscription.id.in_(ids)))
    db.session.expire_all()
    return len(ids)


# --- the privacy area ----------------------------------------------------------------

def export_subscriptions(user: User) -> dict[str, Any]:
    return {"subscriptions": [
        {
            "email": s.email,
            "language": s.locale,
            "follows": s.target.value,
            "topic": s.topic.code if s.topic is not None else None,
            "consultation": s.consultation.slug if s.consultation is not None else None,
            "asked_at": iso(s.created_at),
            "confirmed_at": iso(s.confirmed_at),
            "notices_sent": sorted(
                d.notice_key for d in db.session.scalars(
                    select(NoticeDelivery).where(NoticeDelivery.subscription_id == s.id))),
        }
        for s in of_user(user)
    ]}


def erase_subscriptions(user: User) -> None:
    ids = [s.id for s in of_user(user)]
    if ids:
        db.session.execute(delete(NoticeDelivery).where(
            NoticeDelivery.subscription_id.in_(ids)))
        db.session.execute(delete(Subscription).where(Subscription.id.in_(ids)))
        db.session.expire_all()


def purge_unconfirmed(now: datetime) -> int:
    """Delete subscriptions not confirmed within FOLLOW_UNCONFIRMED_DAYS of asking."""
    cutoff = now - timedelta(days=int(current_app.config["FOLLOW_UNCONFIRMED_DAYS"]))
    result = db.session.execute(delete(Subscription).where(
        Subscription.confirmed_at.is_(None), Subscription.created_at < cutoff))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def anyone_follows() -> bool:
    """Is there any confirmed subscription at all (else no notice job is worth starting)?"""
    return db.session.scalar(
        select(Subscription.id).where(Subscription.confirmed_at.is_not(None)).limit(1)
    ) is not None


#: The follow area of the privacy registry (see services/privacy.py).
AREA = Area("follow", exporter=export_subscriptions, eraser=erase_subscriptions,
            purge=purge_unconfirmed)
