"""Redis down: logins still answer, limits count in each worker's memory, /healthz says so.

Against real Redis servers: a port where nothing listens, and a private redis-server this
test starts on its own port, stops in the middle and starts again (the shared Redis on
6379 is never touched). Before the fallback, the limiter's unreachable storage made every
login a 500.
"""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis

from consult.extensions import db
from tests.factories.users import PASSWORD, new_user
from tests.support.apps import need
from tests.support.mail import Outbox
from tests.support.sessions import login

NOBODY_LISTENS = 6390
PRIVATE_PORT = 6391
FALLBACK_WARNING = "Rate limit storage unreachable"


def _port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def _app(app_factory: Callable[..., Flask], port: int) -> Flask:
    app = app_factory(
        REDIS_URL=f"redis://127.0.0.1:{port}/0", RATELIMIT_ENABLED=True,
        LOGIN_LIMIT_PER_ACCOUNT="3 per minute", LOGIN_LIMIT_PER_IP="100 per minute",
    )
    with app.app_context():
        new_user("anna@example.nl", password=PASSWORD)
        db.session.commit()
    return app


def _wrong(client: FlaskClient, email: str = "bram@example.nl") -> int:
    return int(login(client, email, "wrong password").status_code)


def test_with_redis_unreachable_logins_answer_and_limits_count_in_memory(
    app_factory: Callable[..., Flask], caplog: pytest.LogCaptureFixture
) -> None:
    need(_port_is_free(NOBODY_LISTENS), f"port {NOBODY_LISTENS} must be free")
    app = _app(app_factory, NOBODY_LISTENS)
    client = app.test_client()
    caplog.set_level(logging.WARNING)

    assert [_wrong(client) for _ in range(4)] == [200, 200, 200, 429]
    assert FALLBACK_WARNING in caplog.text
    assert login(client, "anna@example.nl").status_code == 302  # a real login works

    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json == {"status": "degraded", "version": "0.1.0", "database": True,
                           "redis": False, "rate_limits": "per-worker"}

    # A reset mail needs a background job: with no queue it runs in this worker.
    forgot = client.post("/account/forgot-password", data={"email": "anna@example.nl"})
    assert forgot.status_code == 302
    assert [mail["To"] for mail in Outbox(app).mails] == ["anna@example.nl"]
    assert "Redis unreachable: running" in caplog.text


class PrivateRedis:
    """A redis-server of this test's own, on its own port, with no files kept."""

    def __init__(self, port: int, folder: Path) -> None:
        self.port, self.folder = port, folder
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not self.answers():
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def client(self) -> Redis:
        return Redis(port=self.port, socket_connect_timeout=1)

    def answers(self) -> bool:
        try:
            return bool(self.client().ping())
        except Exception:  # noqa: BLE001 - not up (yet)
            return False

    def limiter_keys(self) -> int:
        return len(self.client().keys("LIMITS*"))


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    need(shutil.which("redis-server") is not None, "redis-server is not installed")
    need(_port_is_free(PRIVATE_PORT), f"port {PRIVATE_PORT} must be free")
    server = PrivateRedis(PRIVATE_PORT, tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_redis_stopped_mid_way_and_started_again(
    app_factory: Callable[..., Flask], private_redis: PrivateRedis,
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = _app(app_factory, PRIVATE_PORT)
    client = app.test_client()
    caplog.set_level(logging.INFO)

    assert [_wrong(client) for _ in range(2)] == [200, 200]
    assert private_redis.limiter_keys() > 0  # counted in Redis
    assert client.get("/healthz").json["rate_limits"] == "shared"  # type: ignore[index]

    private_redis.stop()
    assert _wrong(client) == 200  # no 500
    assert FALLBACK_WARNING in caplog.text
    assert _wrong(client, "anna@example.nl") == 200
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json["status"] == "degraded"  # type: ignore[index]

    private_redis.start()  # empty: nothing was kept
    assert private_redis.limiter_keys() == 0
    deadline, n = time.monotonic() + 30, 0
    while private_redis.limiter_keys() == 0:  # the limiter retries after 1, 2, 4... s
        assert time.monotonic() < deadline, "the limiter did not go back to Redis"
        time.sleep(0.5)
        n += 1
        assert client.post("/account/forgot-password",
                           data={"email": f"carla{n}@example.nl"}).status_code == 302
    assert "Rate limit storage recovered" in caplog.text
    assert client.get("/healthz").json["status"] == "ok"  # type: ignore[index]
