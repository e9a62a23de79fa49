"""A real SMTP server on loopback (aiosmtpd) whose behaviour a test switches at will.

`behaviour` is one of:

- "accept": every mail is taken (and recorded in `received`);
- "refuse-rcpt": RCPT TO is answered 550 (the mail is not taken);
- "refuse-data": the message is answered 451 after DATA (not taken);
- "slow": the greeting (EHLO/HELO) is answered only after `delay` seconds, longer than
  the client's timeout, so the client gives up before any mail is handed over.

Nothing listens before `start()` or after `stop()`: a client then meets a refused
connection, as with a mail server that is down.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from email import message_from_bytes
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message_id: str
    subject: str


@dataclass
class SmtpServer:
    port: int
    behaviour: str = "accept"
    delay: float = 3.0
    #: Seconds the server takes over each accepted message (to make deliveries overlap).
    data_delay: float = 0.0
    received: list[Received] = field(default_factory=list)
    refused: int = 0
    _controller: Controller | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # --- aiosmtpd's handler hooks ---------------------------------------------------

    async def handle_EHLO(self, server: Any, session: Any, envelope: Any, hostname: str,
                          responses: list[str]) -> list[str]:
        if self.behaviour == "slow":
            await asyncio.sleep(self.delay)
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if self.behaviour == "refuse-rcpt":
            with self._lock:
                self.refused += 1
            return f"550 5.1.1 <{address}>: Recipient address rejected"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.behaviour == "refuse-data":
            with self._lock:
                self.refused += 1
            return "451 4.3.0 Try again later"
        if self.data_delay:
            await asyncio.sleep(self.data_delay)
        content = envelope.original_content or envelope.content
        parsed = message_from_bytes(content if isinstance(content, bytes) else content.encode())
        with self._lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                          str(parsed["Message-ID"]), str(parsed["Subject"])))
        return "250 Message accepted for delivery"

    # --- running it -----------------------------------------------------------------

    def start(self) -> SmtpServer:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port,
                                      ready_timeout=10)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def message_ids(self) -> list[str]:
        with self._lock:
            return [item.message_id for item in self.received]
