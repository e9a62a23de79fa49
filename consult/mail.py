"""Sending mail, in the recipient's language.

A mail is a template in templates/email/NAME.txt whose first line is the subject and the
rest the body, rendered in the recipient's locale. In development (MAIL_BACKEND "outbox")
each mail is written as an .eml file to instance/outbox/ and logged; in production
("smtp") it is sent over SMTP with the CONSULT_MAIL_* settings. Logs never name the
recipient.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale

from .models.types import utcnow

log = logging.getLogger(__name__)


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
    **context: Any,
) -> EmailMessage:
    subject, body = render_mail(template, locale, **context)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = to
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain="consult.local")
    message["Content-Language"] = locale
    message.set_content(body)
    for item in attachments or []:
        message.add_attachment(
            item.content, maintype=item.maintype, subtype=item.subtype, filename=item.filename
        )
    if current_app.config["MAIL_BACKEND"] == "smtp":
        _send_smtp(message)
    else:
        _write_outbox(message, template)
    return message


def _write_outbox(message: EmailMessage, template: str) -> Path:
    outbox = Path(current_app.config["MAIL_OUTBOX"])
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    path = outbox / f"{stamp}-{template}-{uuid.uuid4().hex[:8]}.eml"
    path.write_bytes(message.as_bytes())
    log.info("mail %r written to %s", template, path.name)
    return path


def _send_smtp(message: EmailMessage) -> None:
    config = current_app.config
    host, port = config["MAIL_SERVER"], int(config["MAIL_PORT"])
    if config["MAIL_USE_SSL"]:
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            host, port, context=ssl.create_default_context(), timeout=30
        )
    else:
        smtp = smtplib.SMTP(host, port, timeout=30)
    with smtp:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            smtp.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(message)
    log.info("mail sent over SMTP")


def read_outbox(outbox: str | Path) -> list[EmailMessage]:
    """The mails in an outbox folder, oldest first (for tests and the demo)."""
    from email import policy
    from email.parser import BytesParser

    parser = BytesParser(policy=policy.default)
    return [
        parser.parsebytes(p.read_bytes())  # type: ignore[misc]
        for p in sorted(Path(outbox).glob("*.eml"))
    ]
