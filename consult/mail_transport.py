"""How a rendered mail leaves the application: the transports `mail_delivery` uses.

MAIL_BACKEND "outbox" (development, tests) writes each mail as an .eml file to
MAIL_OUTBOX; "smtp" sends it over SMTP with the CONSULT_MAIL_* settings, each network
step waiting at most MAIL_TIMEOUT seconds. A transport raises `TransportError` when the
mail did not go; its text names no address and no token, so it may be stored and logged.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import uuid
from pathlib import Path

from flask import current_app

from .log_redaction import redact
from .models.types import utcnow

log = logging.getLogger(__name__)


class TransportError(Exception):
    """The mail was not handed over; the message is safe to store (no personal data)."""


def describe_failure(error: BaseException) -> str:
    """A short account of a transport failure without addresses or tokens."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        # Its text is a dict keyed by the refused addresses: keep only the answers.
        answers = sorted({f"{code} {_text(reply)}" for code, reply in error.recipients.values()})
        detail = "recipient refused: " + "; ".join(answers)
    elif isinstance(error, smtplib.SMTPResponseException):
        detail = f"{error.smtp_code} {_text(error.smtp_error)}"
    else:
        detail = str(error) or "no detail"
    return redact(f"{type(error).__name__}: {detail}")[:500]


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def send(recipient: str, message: bytes, template: str) -> None:
    """Hand one rendered message to the configured transport."""
    try:
        if current_app.config["MAIL_BACKEND"] == "smtp":
            _send_smtp(recipient, message)
        else:
            _write_file(message, template)
    except (OSError, smtplib.SMTPException) as error:
        raise TransportError(describe_failure(error)) from error


def _write_file(message: bytes, template: str) -> Path:
    folder = Path(current_app.config["MAIL_OUTBOX"])
    folder.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    path = folder / f"{stamp}-{template}-{uuid.uuid4().hex[:8]}.eml"
    path.write_bytes(message)
    log.info("mail %r written to %s", template, path.name)
    return path


def _send_smtp(recipient: str, message: bytes) -> None:
    config = current_app.config
    host, port = config["MAIL_SERVER"], int(config["MAIL_PORT"])
    timeout = float(config["MAIL_TIMEOUT"])
    if config["MAIL_USE_SSL"]:
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            host, port, context=ssl.create_default_context(), timeout=timeout
        )
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    with smtp:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            smtp.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.sendmail(_envelope_sender(config["MAIL_SENDER"]), [recipient], message)
    log.info("mail sent over SMTP")


def _envelope_sender(sender: str) -> str:
    from email.utils import parseaddr

    return parseaddr(sender)[1] or sender
