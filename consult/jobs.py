"""Background jobs: RQ on Redis when CONSULT_REDIS_URL is set, otherwise a thread.

When Redis is configured but does not answer, the job runs in a thread too (a warning is
logged): a password-reset mail is not lost, and the request does not fail.

A task is a plain function named by its dotted path ("consult.services.x.run"). It runs
inside an application context and the job commits once when it returns (rolling back
when it raises), as a view would. Pages never wait for a job: they read what it stored.
Run workers with `flask --app consult jobs work`.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import threading
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, has_app_context

log = logging.getLogger(__name__)
QUEUE_NAME = "consult"


def _resolve(task_path: str) -> Callable[..., Any]:
    module_name, _, name = task_path.rpartition(".")
    if not module_name.startswith("consult."):
        raise ValueError(f"not a Consult task: {task_path}")
    return getattr(importlib.import_module(module_name), name)  # type: ignore[no-any-return]


def run_task(task_path: str, *args: Any) -> Any:
    """Run one task in an application context (a worker makes its own app)."""
    from .extensions import db

    if has_app_context():
        app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    else:
        from . import create_app

        app = create_app()
    with app.app_context():
        try:
            result = _resolve(task_path)(*args)
            db.session.commit()
            return result
        except Exception:
            db.session.rollback()
            log.exception("background task %s failed", task_path)
            raise
        finally:
            db.session.remove()


def _queue(redis_url: str) -> Any:
    from redis import Redis
    from rq import Queue

    return Queue(QUEUE_NAME, connection=Redis.from_url(redis_url, socket_connect_timeout=2))


def enqueue(task_path: str, *args: Any) -> str:
    """Start a task in the background; returns a job id (RQ's, or the thread's name)."""
    _resolve(task_path)  # fail now, not in the worker, on a wrong name
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url:
        from redis.exceptions import ConnectionError as RedisDown
        from redis.exceptions import TimeoutError as RedisSlow

        try:
            job = _queue(redis_url).enqueue_call(
                run_task, args=(task_path, *args), timeout=3600, result_ttl=86400
            )
            return str(job.id)
        except (RedisDown, RedisSlow):
            log.warning("Redis unreachable: running %s in a thread of this worker", task_path)
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def target() -> None:
        # run_task logs a failure; a thread has no caller to raise to.
        with app.app_context(), contextlib.suppress(Exception):
            run_task(task_path, *args)

    thread = threading.Thread(target=target, name=f"job-{task_path}", daemon=True)
    thread.start()
    _threads[:] = [t for t in _threads if t.is_alive()]  # one per mailing request: keep few
    _threads.append(thread)
    return thread.name


#: Threads started by `enqueue` without Redis (tests join them).
_threads: list[threading.Thread] = []


def wait_for_threads(timeout: float = 60.0) -> None:
    while _threads:
        _threads.pop().join(timeout)


def work(redis_url: str, burst: bool = False) -> None:
    from rq import Worker

    queue = _queue(redis_url)
    Worker([queue], connection=queue.connection).work(burst=burst)
