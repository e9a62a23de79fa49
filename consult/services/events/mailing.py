"""The events' mails, each in the registrant's language, some with a calendar file."""

from __future__ import annotations

from typing import Any

from flask import url_for

from ...mail import Attachment, send_mail
from ...models import Registration
from .calendar import registration_ics
from .codes import format_code


def event_url(registration: Registration) -> str:
    return url_for("events.show", event_id=registration.event_id, _external=True)


def personal_url(secret: str) -> str:
    return url_for("events.personal", secret=secret, _external=True)


def mail_registrant(
    registration: Registration,
    template: str,
    *,
    secret: str | None = None,
    with_calendar: bool = False,
    **context: Any,
) -> None:
    attachments = []
    if with_calendar:
        attachments.append(
            Attachment(
                "event.ics",
                registration_ics(registration, event_url(registration)),
                "text",
                "calendar",
            )
        )
    send_mail(
        registration.email,
        template,
        registration.locale,
        attachments=attachments,
        registration=registration,
        event=registration.event,
        code=format_code(registration.checkin_code),
        personal_url=personal_url(secret) if secret else None,
        event_url=event_url(registration),
        **context,
    )
