"""No personal data in the application's logs.

Every log record made in this process passes through `redact` before any handler sees
it: email addresses become ``[email]``, the signed tokens of mail links (confirm, reset,
change address) and the secrets of unsubscribe links become ``[token]``, and the values
of query parameters that may carry either (``email``, ``token``, ``password``, ``q``,
``actor``...) become ``[redacted]``. That covers werkzeug's request lines
(``"GET /admin/audit?actor=a@b.nl HTTP/1.1" 200``), gunicorn's, and our own. It works
on the record's final text, so it holds whatever the format arguments were. SQL
parameters are kept out of logs and error messages by the engine option
``hide_parameters`` (config.py).
"""

from __future__ import annotations

import logging
import re
from typing import Any

#: The local part is kept to the characters people use, so that a URL before an address
#: (`?who=anna@...`) is not swallowed with it.
EMAIL = re.compile(r"[A-Za-z0-9._+'-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
#: itsdangerous' URL-safe timed tokens: payload.timestamp.signature, base64url.
TOKEN = re.compile(r"[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{16,}")
#: The unsubscribe links' secrets (random, one per subscription; services/follow).
UNSUBSCRIBE_SECRET = re.compile(r"(?<=/follow/unsubscribe/)[A-Za-z0-9_-]+")
SENSITIVE_PARAMETER = re.compile(
    r"(?P<key>[?&](?:email|token|password|q|actor|next)=)(?P<value>[^&\s\"']*)", re.IGNORECASE
)


def redact(text: str) -> str:
    """`text` with email addresses, link tokens and sensitive query values removed."""
    text = SENSITIVE_PARAMETER.sub(lambda m: m.group("key") + "[redacted]", text)
    text = TOKEN.sub("[token]", text)
    text = UNSUBSCRIBE_SECRET.sub("[token]", text)
    return EMAIL.sub("[email]", text)


_installed = False


def install() -> None:
    """Redact every log record made from now on in this process (once; idempotent)."""
    global _installed
    if _installed:
        return
    make_record = logging.getLogRecordFactory()

    def redacting_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format is the handler's to report
            return record
        record.msg = redact(message)
        record.args = None
        return record

    logging.setLogRecordFactory(redacting_record)
    _installed = True
