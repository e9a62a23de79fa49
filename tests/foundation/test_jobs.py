"""Background jobs run a task in an app context and commit: in a thread, or through RQ."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import select

from consult import jobs
from consult.extensions import db
from consult.models import AuditEntry
from tests.support.apps import REDIS_URL, need


def record_marker(label: str) -> str:
    """A task: leave a trace in the audit log."""
    from consult.services.audit import record

    record(None, "test.job", None, label=label)
    return label


def failing_task() -> None:
    from consult.services.audit import record

    record(None, "test.failed", None)
    raise RuntimeError("the task failed")


@pytest.fixture(autouse=True)
def tasks_from_this_module(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tasks must live in consult.*; make this test module's tasks look like one.
    import sys

    monkeypatch.setitem(sys.modules, "consult.test_tasks", sys.modules[__name__])


def markers() -> list[str]:
    db.session.expire_all()
    entries = db.session.scalars(select(AuditEntry))
    return [e.detail["label"] for e in entries if "label" in e.detail]


def test_without_redis_a_thread_runs_the_task_and_commits(app: Flask) -> None:
    jobs.enqueue("consult.test_tasks.record_marker", "threaded")
    jobs.wait_for_threads()
    assert markers() == ["threaded"]


def test_a_failing_task_commits_nothing(app: Flask) -> None:
    jobs.enqueue("consult.test_tasks.failing_task")
    jobs.wait_for_threads()
    db.session.expire_all()
    assert db.session.scalars(select(AuditEntry)).all() == []


def test_only_consult_tasks_can_be_named(app: Flask) -> None:
    with pytest.raises(ValueError, match="not a Consult task"):
        jobs.enqueue("os.system", "true")


def test_with_redis_an_rq_worker_runs_the_task(app_factory: Callable[..., Flask]) -> None:
    need(bool(REDIS_URL), "Redis: set CONSULT_TEST_REDIS_URL")
    from redis import Redis

    Redis.from_url(REDIS_URL).flushdb()
    app = app_factory(REDIS_URL=REDIS_URL)
    with app.app_context():
        job_id = jobs.enqueue("consult.test_tasks.record_marker", "queued")
        assert markers() == []  # nothing ran yet: it waits in the queue
        from rq import SimpleWorker

        queue = jobs._queue(REDIS_URL)
        assert queue.fetch_job(job_id) is not None
        SimpleWorker([queue], connection=queue.connection).work(burst=True)
        assert markers() == ["queued"]
