"""The mails a test app wrote to its outbox folder, and the links in them.

Some mails are sent by background jobs (a reset link): reading the outbox first waits
for the jobs' threads, as a person waits for the mail to arrive."""

from __future__ import annotations

import re
from email.message import EmailMessage
from pathlib import Path

from flask import Flask

from consult import jobs
from consult.mail import read_outbox


class Outbox:
    def __init__(self, app: Flask) -> None:
        self.path = Path(app.config["MAIL_OUTBOX"])

    @property
    def mails(self) -> list[EmailMessage]:
        jobs.wait_for_threads()
        return read_outbox(self.path) if self.path.exists() else []

    def last(self) -> EmailMessage:
        mails = self.mails
        assert mails, "no mail was sent"
        return mails[-1]

    def body(self, mail: EmailMessage) -> str:
        part = mail.get_body(("plain",))
        assert part is not None
        return str(part.get_content())  # type: ignore[attr-defined]

    def link(self, mail: EmailMessage | None = None) -> str:
        """The first link on this site in a mail, as a path."""
        body = self.body(mail or self.last())
        match = re.search(r"https?://consult\.test(/\S+)", body)
        assert match, body
        return match.group(1)
