"""The notice job through RQ on Redis: opening a consultation queues it, a worker sends
the notice, and the job run again (a retry) sends nothing more."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from consult import jobs
from consult.extensions import db
from consult.models import User
from consult.services.catalogue import ensure_catalogues
from tests.factories.consultations import build_consultation
from tests.follow.world import TOPIC, follower, notices_to
from tests.support.apps import REDIS_URL, need
from tests.support.mail import Outbox
from tests.support.sessions import log_in


def test_opening_queues_the_job_and_a_worker_mails_once(
    app_factory: Callable[..., Flask],
) -> None:
    need(bool(REDIS_URL), "Redis: set CONSULT_TEST_REDIS_URL")
    from redis import Redis
    from rq import SimpleWorker

    Redis.from_url(REDIS_URL).flushdb()
    app = app_factory(REDIS_URL=REDIS_URL)
    outbox = Outbox(app)
    with app.app_context():
        ensure_catalogues()
        consultation = build_consultation(slug="kweek", opened=False)
        follower("ed@example.nl", TOPIC)
        official = db.session.get(User, consultation.created_by_id)
        assert official is not None
        client = app.test_client()
        log_in(client, official)
        assert client.post("/officials/consultations/kweek/status/open").status_code == 302
        queue = jobs._queue(REDIS_URL)
        assert queue.count == 1 and not notices_to(outbox, "ed@example.nl")  # queued only
        SimpleWorker([queue], connection=queue.connection).work(burst=True)
        assert len(notices_to(outbox, "ed@example.nl")) == 1
        jobs.enqueue("consult.services.follow.notices.send_due_now")  # a retry
        SimpleWorker([queue], connection=queue.connection).work(burst=True)
        assert len(notices_to(outbox, "ed@example.nl")) == 1
