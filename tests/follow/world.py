"""Helpers for the follow tests: asking through the form, confirming from the mail."""

from __future__ import annotations

from email.message import EmailMessage

from flask.testing import FlaskClient
from sqlalchemy import select

from consult.extensions import db
from consult.models import Subscription
from consult.services.follow import subscriptions, targets
from tests.support.mail import Outbox

TOPIC = "topic:cultivated-meat-fish"


def ask(client: FlaskClient, target: str, email: str = "sam@example.nl",
        locale: str = "en") -> object:
    """Post the follow form as an anonymous visitor would."""
    return client.post("/follow/", data={"email": email, "locale": locale, "target": target})


def follower(email: str, target: str, locale: str = "en") -> Subscription:
    """A confirmed subscription made through the services (the mail's link, without HTTP)."""
    subscriptions.ask(email, locale, targets.parse(target))
    subscription = db.session.scalar(select(Subscription).where(Subscription.email == email,
                                                                Subscription.target_key
                                                                == targets.parse(target).key))
    assert subscription is not None
    subscriptions.confirm(subscriptions.confirm_token(subscription))
    db.session.commit()
    return subscription


def mails_to(outbox: Outbox, email: str) -> list[EmailMessage]:
    return [m for m in outbox.mails if m["To"] == email]


def notices_to(outbox: Outbox, email: str) -> list[EmailMessage]:
    """The notices (not the confirmation mails) sent to `email`."""
    return [m for m in mails_to(outbox, email) if m["List-Unsubscribe"]]
