"""Mail that may fail without losing anything, against a real SMTP server on loopback.

Each mail is a row in the outbox, committed with what it reports; delivery happens after
the commit and off the request path. A mail server that is down, refuses or hangs never
turns a page into an error and never loses a mail: the row waits, is retried with
backoff, and once the server is back each mail arrives exactly once. Two delivery workers
at once never send a row twice. On SQLite and PostgreSQL.

"A minute later" is simulated by moving the rows' next attempt into the past: the test
checks what happens then, not the clock.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask, has_request_context
from flask.testing import FlaskClient
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from consult import jobs
from consult.extensions import db
from consult.mail import send_mail
from consult.mail_delivery import backoff
from consult.models import Registration, Response, ResponseStatus, Role, User, utcnow
from consult.models.mail import MailStatus, OutgoingMail
from tests.factories.consultations import build_consultation
from tests.factories.events import make_event_in_db
from tests.factories.users import PASSWORD, new_user
from tests.support.apps import REDIS_URL, need
from tests.support.mail import Outbox
from tests.support.responding import PROFILE, respond
from tests.support.sessions import log_in
from tests.support.smtp import SmtpServer

ROOT = Path(__file__).resolve().parents[2]
#: The loopback ports these tests may give their SMTP server.
PORTS = range(8787, 8987)
EVENT_FORM = {"name": "Anna", "birth_date": "1985-03-02", "eligible": "y"}


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8787-8986 for the SMTP server")


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """An SMTP server on a free port, not yet listening (start() it)."""
    server = SmtpServer(_free_port())
    yield server
    server.stop()


@pytest.fixture
def smtp_app(app_factory: Callable[..., Flask], backend: str,
             smtp: SmtpServer) -> Callable[..., Flask]:
    """An app on `backend` that sends over SMTP to `smtp`, giving up after 1 second."""

    def make(**config: object) -> Flask:
        settings: dict[str, object] = {
            "MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.port,
            "MAIL_TIMEOUT": 1, "MAIL_DELIVERY": "after-commit",
        }
        settings.update(config)
        return app_factory(backend, **settings)

    return make


def _rows() -> list[OutgoingMail]:
    db.session.rollback()  # a fresh snapshot: what the workers committed
    return list(db.session.scalars(select(OutgoingMail).order_by(OutgoingMail.id)))


def _as_if_the_wait_were_over() -> None:
    db.session.execute(update(OutgoingMail).where(OutgoingMail.status == MailStatus.PENDING)
                       .values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()


def _deliver(app: Flask, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=["mail", "deliver", *args])
    assert result.exit_code == 0, result.output
    return str(result.output)


def _client(app: Flask) -> FlaskClient:
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _register_an_account(app: Flask) -> None:
    client = _client(app)
    answer = client.post("/account/register", data={
        "email": "bram@example.nl", "password": PASSWORD, "confirm": PASSWORD})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    assert "Check your mail" in client.get(answer.headers["Location"]).get_data(as_text=True)


def _mailing_requests(app: Flask) -> None:
    """An account registered, a response submitted, a seat taken: each its normal page."""
    with app.test_request_context("/"):
        consultation = build_consultation()
    organiser = new_user("org@example.nl", Role.ORGANISER)
    workshop = make_event_in_db(organiser)
    anna = new_user("anna@example.nl")
    db.session.commit()

    _register_an_account(app)

    respondent = _client(app)
    submitted = respond(respondent, consultation, dict(PROFILE, email="piet@example.nl"))
    receipt = respondent.get(submitted.headers["Location"])
    assert receipt.status_code == 200 and "Goed idee" in receipt.get_data(as_text=True)

    citizen = _client(app)
    log_in(citizen, anna)
    registered = citizen.post(f"/events/{workshop.id}/register", data=EVENT_FORM)
    assert registered.status_code == 302, registered.get_data(as_text=True)
    assert "check-in code" in citizen.get(registered.headers["Location"]).get_data(as_text=True)

    # Nothing was rolled back for want of a mail.
    db.session.rollback()
    assert db.session.scalar(select(User).filter_by(email="bram@example.nl")) is not None
    assert db.session.scalar(select(Response.status)) == ResponseStatus.SUBMITTED
    assert db.session.scalar(select(Registration.email)) == "anna@example.nl"


RECIPIENTS = {"bram@example.nl", "piet@example.nl", "anna@example.nl"}


def test_with_the_server_down_every_page_answers_and_each_mail_arrives_once_after(
    smtp_app: Callable[..., Flask], smtp: SmtpServer
) -> None:
    app = smtp_app()
    with app.app_context():
        _mailing_requests(app)  # nothing listens on the port
        rows = _rows()
        assert {r.recipient for r in rows} == RECIPIENTS
        assert all(r.status == MailStatus.PENDING and r.attempts == 1 for r in rows)
        assert all("Connection refused" in (r.last_error or "") for r in rows)
        assert not any("@" in (r.last_error or "") for r in rows)

        smtp.start()
        _as_if_the_wait_were_over()
        assert "sent: 3," in _deliver(app)
        assert "sent: 0," in _deliver(app)  # twice sends nothing twice

        ids = smtp.message_ids()
        assert len(ids) == 3 and len(set(ids)) == 3
        assert {to for item in smtp.received for to in item.recipients} == RECIPIENTS
        rows = _rows()
        assert all(r.status == MailStatus.SENT and r.sent_at is not None for r in rows)
        assert all(r.message == b"" for r in rows)  # the body is not kept once sent


@pytest.mark.parametrize("refusal", ["refuse-rcpt", "refuse-data"])
def test_a_refusing_server_gets_the_mail_again_later_with_backoff(
    smtp_app: Callable[..., Flask], smtp: SmtpServer, refusal: str
) -> None:
    smtp.behaviour = refusal
    smtp.start()
    app = smtp_app()
    with app.app_context():
        _register_an_account(app)
        (row,) = _rows()
        assert row.status == MailStatus.PENDING and row.attempts == 1
        assert ("550" if refusal == "refuse-rcpt" else "451") in (row.last_error or "")
        assert "@" not in (row.last_error or "")  # the refused address is not stored

        _as_if_the_wait_were_over()
        before = utcnow()
        assert "to retry later: 1" in _deliver(app)
        (row,) = _rows()
        assert row.attempts == 2
        assert before + timedelta(minutes=2) <= row.next_attempt_at <= utcnow() + timedelta(
            minutes=2)  # the second failure waits two minutes
        assert "sent: 0," in _deliver(app)  # not due yet: nothing is tried

        smtp.behaviour = "accept"
        _as_if_the_wait_were_over()
        assert "sent: 1," in _deliver(app)
        assert smtp.refused == 2 and len(smtp.received) == 1
        assert smtp.received[0].recipients == ["bram@example.nl"]


def test_after_the_last_attempt_a_mail_is_failed_logged_and_can_be_put_back(
    smtp_app: Callable[..., Flask], smtp: SmtpServer, caplog: pytest.LogCaptureFixture
) -> None:
    smtp.behaviour = "refuse-data"
    smtp.start()
    app = smtp_app(MAIL_MAX_ATTEMPTS=3)
    with app.app_context():
        _register_an_account(app)
        for _ in range(2):
            _as_if_the_wait_were_over()
            _deliver(app)
        (row,) = _rows()
        assert row.status == MailStatus.FAILED and row.attempts == 3
        assert any(r.levelno == logging.ERROR and "failed for good" in r.getMessage()
                   for r in caplog.records)
        assert not any("bram@" in r.getMessage() for r in caplog.records)

        smtp.behaviour = "accept"
        assert "sent: 0," in _deliver(app)  # failed rows wait for a person
        output = _deliver(app, "--retry-failed")
        assert "put back: 1" in output and "sent: 1," in output
        assert len(smtp.received) == 1


def test_a_hanging_server_does_not_hold_the_request_and_the_mail_is_retried(
    smtp_app: Callable[..., Flask], smtp: SmtpServer
) -> None:
    smtp.behaviour, smtp.delay = "slow", 4.0  # longer than MAIL_TIMEOUT (1 s)
    smtp.start()
    app = smtp_app(MAIL_DELIVERY="background")  # no Redis: a thread delivers
    with app.app_context():
        _register_an_account(app)
        # The page came back while the delivery was still waiting for the server: it
        # runs in its own thread (it needs at least the one-second timeout to fail).
        assert any(thread.is_alive() for thread in jobs._threads)
        jobs.wait_for_threads()
        (row,) = _rows()
        assert row.status == MailStatus.PENDING and row.attempts == 1
        assert "timed out" in (row.last_error or "")
        assert smtp.received == []

        smtp.behaviour = "accept"
        _as_if_the_wait_were_over()
        assert "sent: 1," in _deliver(app)
        assert len(smtp.received) == 1


def test_with_redis_the_request_queues_a_job_and_an_rq_worker_delivers(
    smtp_app: Callable[..., Flask], smtp: SmtpServer, backend: str
) -> None:
    need(bool(REDIS_URL), "Redis: set CONSULT_TEST_REDIS_URL")
    from redis import Redis
    from rq import SimpleWorker

    Redis.from_url(REDIS_URL).delete(f"rq:queue:{jobs.QUEUE_NAME}")
    smtp.start()
    app = smtp_app(MAIL_DELIVERY="background", REDIS_URL=REDIS_URL)
    with app.app_context():
        _register_an_account(app)
        (row,) = _rows()
        assert row.status == MailStatus.PENDING and row.attempts == 0  # queued, not sent
        queue = jobs._queue(REDIS_URL)
        assert queue.count == 1
        SimpleWorker([queue], connection=queue.connection).work(burst=True)
        (row,) = _rows()
        assert row.status == MailStatus.SENT
        assert len(smtp.received) == 1


def test_two_delivery_workers_at_once_send_each_mail_once(
    smtp_app: Callable[..., Flask], smtp: SmtpServer, tmp_path: Path
) -> None:
    smtp.data_delay = 0.05  # 40 mails take two seconds: the workers overlap
    smtp.start()
    app = smtp_app(MAIL_DELIVERY="cron")
    with app.app_context():
        with app.test_request_context("/"):
            for n in range(40):
                send_mail(f"person{n}@example.nl", "password_changed", "nl")
        db.session.commit()
        env = dict(os.environ, PYTHONPATH=str(ROOT), CONSULT_SECRET_KEY="x",
                   CONSULT_DATABASE_URL=app.config["DATABASE_URL"],
                   CONSULT_INSTANCE_PATH=str(tmp_path / "workers"),
                   CONSULT_MAIL_BACKEND="smtp", CONSULT_MAIL_SERVER="127.0.0.1",
                   CONSULT_MAIL_PORT=str(smtp.port), CONSULT_MAIL_DELIVERY="cron")
        command = [sys.executable, "-m", "flask", "--app", "consult", "mail", "deliver"]
        workers = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True) for _ in range(2)]
        outputs = [worker.communicate(timeout=120)[0] for worker in workers]
        assert all(worker.returncode == 0 for worker in workers), outputs

        ids = Counter(smtp.message_ids())
        assert len(ids) == 40 and set(ids.values()) == {1}, ids.most_common(3)
        rows = _rows()
        assert all(r.status == MailStatus.SENT and r.attempts == 1 for r in rows)
        print("mails sent by each worker:",
              [line.split("sent: ")[1].split(",")[0] for out in outputs
               for line in out.splitlines() if line.startswith("sent: ")])


def test_a_commit_that_fails_sends_no_mail(app: Flask, outbox: Outbox) -> None:
    def fail_in_requests(session: Session) -> None:
        if has_request_context():
            raise RuntimeError("the database refused the commit")

    event.listen(Session, "before_commit", fail_in_requests)
    try:
        answer = _client(app).post("/account/register", data={
            "email": "bram@example.nl", "password": PASSWORD, "confirm": PASSWORD})
    finally:
        event.remove(Session, "before_commit", fail_in_requests)
    assert answer.status_code == 500  # the commit failed: nothing was registered...
    assert outbox.mails == []  # ...and nothing was mailed
    assert _rows() == []
    assert db.session.scalar(select(User)) is None
    _register_an_account(app)  # the same request with a working commit mails
    assert outbox.last()["To"] == "bram@example.nl"


def test_a_mail_held_by_a_worker_that_died_goes_when_its_lease_runs_out(
    app: Flask, outbox: Outbox
) -> None:
    app.config["MAIL_DELIVERY"] = "cron"
    with app.test_request_context("/"):
        send_mail("anna@example.nl", "password_changed", "nl")
    db.session.commit()
    # A worker claimed it (one attempt, a lease of ten minutes) and was killed.
    db.session.execute(update(OutgoingMail).values(
        attempts=1, claimed_until=utcnow() + timedelta(minutes=10)))
    db.session.commit()
    assert "sent: 0," in _deliver(app)  # another worker leaves it alone meanwhile
    db.session.execute(update(OutgoingMail).values(claimed_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert "sent: 1," in _deliver(app)
    (row,) = _rows()
    assert row.status == MailStatus.SENT and row.attempts == 2
    assert len(outbox.mails) == 1


def test_the_wait_doubles_from_a_minute_up_to_an_hour() -> None:
    assert [backoff(n).total_seconds() / 60 for n in range(1, 9)] == [
        1, 2, 4, 8, 16, 32, 60, 60]
