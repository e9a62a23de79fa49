"""Start the notice job after an act that makes a notice due at once (a consultation
opened now, a report published, a tasting published). Notices that the clock makes due
are sent by `flask --app consult follow send-notices` from cron."""

from __future__ import annotations

from ... import jobs
from ...services.follow import subscriptions

TASK = "consult.services.follow.notices.send_due_now"


def start_notices() -> None:
    """Queue the notice job, unless nobody follows anything (then it has nothing to do)."""
    if subscriptions.anyone_follows():
        jobs.enqueue(TASK)
