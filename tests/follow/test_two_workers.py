"""Each notice once per follower when two workers send at the same moment: two threads
(each its own app context, session and connection) on SQLite and PostgreSQL, and two
`flask --app consult follow send-notices` processes on PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from consult import mail
from consult.extensions import db
from consult.models import NoticeDelivery, Subscription
from consult.services.catalogue import ensure_catalogues
from consult.services.consultations import editing
from consult.services.follow import notices, subscriptions, targets
from tests.factories.consultations import build_consultation
from tests.factories.users import official_user
from tests.follow.world import TOPIC
from tests.support.apps import PG_URL, need
from tests.support.mail import Outbox

FOLLOWERS = 30
ROOT = Path(__file__).resolve().parents[2]


def _world() -> datetime:
    """30 confirmed followers of an open consultation's topic; the moment at which two
    notices (opened, and a week before the close) are due for each."""
    ensure_catalogues()
    consultation = build_consultation(slug="kweek", opened=False)
    for n in range(FOLLOWERS):
        subscriptions.ask(f"f{n}@example.nl", "en" if n % 2 else "nl", targets.parse(TOPIC))
    for subscription in db.session.scalars(select(Subscription)):
        subscription.confirmed_at = subscription.created_at
    editing.open_now(official_user(), consultation)
    db.session.commit()
    assert consultation.closes_at is not None
    return consultation.closes_at - timedelta(days=6)


def _assert_once_each(outbox: Outbox) -> None:
    per_mail = Counter((m["To"], m["Subject"]) for m in outbox.mails if m["List-Unsubscribe"])
    assert len(per_mail) == FOLLOWERS * 2  # opened + closing, for every follower
    assert set(per_mail.values()) == {1}, [k for k, v in per_mail.items() if v > 1]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(NoticeDelivery).where(
        NoticeDelivery.sent_at.is_not(None))) == FOLLOWERS * 2


def test_two_threads_at_once_mail_each_follower_once_per_notice(
    db_app: Flask, monkeypatch: pytest.MonkeyPatch,
) -> None:
    outbox = Outbox(db_app)  # (the `outbox` fixture would push the SQLite app's context)
    moment = _world()
    real_send = mail.send_mail

    def slow_send(*args: object, **kwargs: object) -> object:
        time.sleep(0.005)  # a mail server's round trip: the two workers overlap
        return real_send(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(notices, "send_mail", slow_send)
    barrier = threading.Barrier(2)
    sent: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            with db_app.app_context():
                barrier.wait(timeout=30)
                sent.append(notices.send_due(moment))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert sum(sent) == FOLLOWERS * 2
    print(f"\nthreads sent {sent}")
    _assert_once_each(outbox)


def test_two_processes_at_once_mail_each_follower_once_per_notice(
    tmp_path: Path, app_factory: object,
) -> None:
    need(bool(PG_URL), "PostgreSQL: set CONSULT_TEST_DATABASE_URL")
    instance = tmp_path / "workers"
    app = app_factory("postgresql", MAIL_OUTBOX=str(instance / "outbox"))  # type: ignore[operator]
    with app.app_context():
        moment = _world()
    env = {**os.environ, "CONSULT_INSTANCE_PATH": str(instance), "CONSULT_DATABASE_URL": PG_URL,
           "CONSULT_SECRET_KEY": "test-secret-key", "CONSULT_BASE_URL": "https://consult.test",
           "PYTHONPATH": str(ROOT),
           # A plain script, not a `flask` command: deliver the outbox in this process at
           # each commit, rather than in a thread the exiting process would cut short
           # (a row left so would wait for `mail deliver`, not be lost).
           "CONSULT_MAIL_DELIVERY": "after-commit"}
    # Both processes act as if it were `moment` (the closing notice is due then).
    script = ("import sys, datetime\nfrom consult import create_app\n"
              "from consult.services.follow import notices\n"
              "app = create_app()\nwith app.app_context():\n"
              "    print(notices.send_due(datetime.datetime.fromisoformat(sys.argv[1])))\n")
    start = [subprocess.Popen([sys.executable, "-c", script, moment.isoformat()], env=env,
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    outputs = [process.communicate(timeout=180) for process in start]
    assert [process.returncode for process in start] == [0, 0], outputs
    counts = [int(out.strip().splitlines()[-1]) for out, _err in outputs]
    print(f"\nprocesses sent {counts}")
    assert sum(counts) == FOLLOWERS * 2
    with app.app_context():
        _assert_once_each(Outbox(app))
