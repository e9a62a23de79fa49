"""Mail in the recipient's language, through the outbox.

A mail is a template in templates/email/NAME.txt whose first line is the subject and the
rest the body, rendered in the recipient's locale. `send_mail` renders the whole message
(attachments included) and adds it as an `OutgoingMail` row to the current database
session: the mail is committed with what it reports, or rolled back with it, and nothing
goes out before the commit. After the commit `consult.mail_delivery` hands the row to the
transport (`consult.mail_transport`: .eml files in instance/outbox/ in development,
SMTP in production), off the request path, with retries. Logs never name the recipient.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale

from .extensions import db
from .models.mail import OutgoingMail
from .models.types import utcnow


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    maintype: str
    subtype: str


@contextmanager
def links_outside_a_request(base_url: str | None = None) -> Iterator[None]:
    """Let `url_for(..., _external=True)` work in a background job or a command.

    With SERVER_NAME set the links need nothing; otherwise they start at BASE_URL, or at
    `base_url` (the address the request came in on), or at http://localhost:5000.
    """
    if current_app.config.get("SERVER_NAME"):
        yield
        return
    base = current_app.config.get("BASE_URL") or base_url or "http://localhost:5000"
    with current_app.test_request_context("/", base_url=base):
        yield


def render_mail(template: str, locale: str, **context: Any) -> tuple[str, str]:
    with force_locale(locale):
        text = render_template(f"email/{template}.txt", locale=locale, **context)
    subject, _, body = text.lstrip().partition("\n")
    return subject.strip(), body.strip() + "\n"


def send_mail(
    to: str,
    template: str,
    locale: str = "nl",
    attachments: list[Attachment] | None = None,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> EmailMessage:
    """Render a mail for `to` in `locale` and queue it in the current session.

    It is delivered after the session commits (see consult/mail_delivery.py); a rollback
    drops it. Returns the message as it will be sent."""
    subject, body = render_mail(template, locale, **context)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = to
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain="consult.local")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    message["Content-Language"] = locale  # after set_content, which drops Content-* headers
    for item in attachments or []:
        message.add_attachment(
            item.content, maintype=item.maintype, subtype=item.subtype, filename=item.filename
        )
    # Stored as it goes over the wire: CRLF line endings (smtplib sends bytes unchanged).
    wire = message.as_bytes(policy=policy.SMTP)
    db.session.add(OutgoingMail(recipient=to, template=template, message=wire))
    return message


def read_outbox(outbox: str | Path) -> list[EmailMessage]:
    """The mails in an outbox folder, oldest first (for tests and the demo)."""
    from email.parser import BytesParser

    parser = BytesParser(policy=policy.default)
    return [
        parser.parsebytes(p.read_bytes())  # type: ignore[misc]
        for p in sorted(Path(outbox).glob("*.eml"))
    ]
