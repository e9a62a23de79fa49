"""What can be followed, spelled as a form value: "topic:<code>", "consultation:<slug>"
or "tastings"; and how a target is named on pages and in mails."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...extensions import db
from ...models import Consultation, FollowTarget, Subscription, Topic
from .. import DomainError

TASTINGS = "tastings"


@dataclass(frozen=True)
class Target:
    kind: FollowTarget
    topic: Topic | None = None
    consultation: Consultation | None = None

    @property
    def key(self) -> str:
        """The stored spelling (by id, which never changes)."""
        if self.topic is not None:
            return f"topic:{self.topic.id}"
        if self.consultation is not None:
            return f"consultation:{self.consultation.id}"
        return TASTINGS

    @property
    def form_value(self) -> str:
        """The spelling in a form (by code or slug, readable in a page's source)."""
        if self.topic is not None:
            return f"topic:{self.topic.code}"
        if self.consultation is not None:
            return f"consultation:{self.consultation.slug}"
        return TASTINGS


def parse(value: str) -> Target:
    """The target a form names; DomainError when it names nothing that can be followed."""
    kind, _sep, name = (value or "").partition(":")
    if kind == FollowTarget.TOPIC and name:
        topic = db.session.scalar(select(Topic).where(Topic.code == name))
        if topic is not None:
            return Target(FollowTarget.TOPIC, topic=topic)
    elif kind == FollowTarget.CONSULTATION and name:
        consultation = db.session.scalar(select(Consultation).where(Consultation.slug == name))
        if consultation is not None and consultation.is_public:
            return Target(FollowTarget.CONSULTATION, consultation=consultation)
    elif value == TASTINGS:
        return Target(FollowTarget.TASTINGS)
    raise DomainError(_l("This cannot be followed. Choose a topic, a consultation or the "
                         "tastings on their page."), "email")


def of(subscription: Subscription) -> Target:
    return Target(subscription.target, topic=subscription.topic,
                  consultation=subscription.consultation)


def describe(target: Target, locale: str) -> str:
    """The target's name in a sentence: "the topic X", "the consultation Y", "the tastings"."""
    if target.topic is not None:
        return _("the topic “%(name)s”", name=target.topic.name(locale))
    if target.consultation is not None:
        return _("the consultation “%(name)s”", name=target.consultation.title(locale))
    return _("the tastings")
