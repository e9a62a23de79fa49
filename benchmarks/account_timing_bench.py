"""Account timing benchmark: do known and unknown addresses answer in the same time?

Run: `python benchmarks/account_timing_bench.py [--rounds 30] [--port 8771] [--redis URL]`.
It serves the app with gunicorn (CSRF on, rate limits off, cookies over plain http) on a
throw-away SQLite database holding one account, then times interleaved requests over
loopback: the password-reset request for the known and for unknown addresses, and
(fewer rounds: each costs an Argon2 hash) a login with a wrong password for the known
address and with an unknown address. Prints JSON: median, min and max milliseconds per
path and the ratio of the medians. With --redis, the reset jobs go to that Redis (use a
database number of your own; the queue it fills there is emptied afterwards).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

KNOWN = "anna@example.nl"
PASSWORD = "correct horse battery"


def _prepare(env: dict[str, str]) -> None:
    code = (
        "from consult import create_app\n"
        "from consult.extensions import db\n"
        "from consult.services.accounts.auth import create_user\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    db.create_all()\n"
        f"    create_user({KNOWN!r}, {PASSWORD!r}, confirmed=True)\n"
        "    db.session.commit()\n"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=ROOT)


def _serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=10).ok:
                return server
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            server.terminate()
            raise SystemExit("gunicorn did not start")
        time.sleep(0.2)


def _poster(base: str, path: str) -> Callable[[dict[str, str]], float]:
    """A function that posts a form (with its CSRF token) and returns the milliseconds."""
    session = requests.Session()
    page = session.get(base + path).text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token, "no CSRF token on " + path

    def post(data: dict[str, str]) -> float:
        started = time.perf_counter()
        response = session.post(base + path, data={"csrf_token": token.group(1), **data},
                                allow_redirects=False)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code in (200, 302), response.status_code
        return elapsed

    return post


def _compare(name: str, a: Callable[[int], float], b: Callable[[int], float],
             rounds: int) -> dict[str, Any]:
    a(-1), b(-1)  # warm up
    times: tuple[list[float], list[float]] = ([], [])
    for n in range(rounds):
        times[0].append(a(n))
        times[1].append(b(n))

    def figures(values: list[float]) -> dict[str, float]:
        return {"median_ms": round(statistics.median(values), 1),
                "min_ms": round(min(values), 1), "max_ms": round(max(values), 1)}

    return {"path": name, "known": figures(times[0]), "unknown": figures(times[1]),
            "median_ratio": round(statistics.median(times[0]) / statistics.median(times[1]), 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--port", type=int, default=8771)
    parser.add_argument("--redis", default="")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="consult-timing-")
    env = {**os.environ, "CONSULT_ENV": "development", "CONSULT_SECRET_KEY": "bench",
           "CONSULT_INSTANCE_PATH": folder, "CONSULT_RATELIMIT_ENABLED": "0",
           "CONSULT_DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
           "CONSULT_MAIL_BACKEND": "outbox", "PYTHONPATH": ROOT}
    if args.redis:
        env["CONSULT_REDIS_URL"] = args.redis
    _prepare(env)
    base = f"http://127.0.0.1:{args.port}"
    server = _serve(env, args.port)
    try:
        forgot = _poster(base, "/account/forgot-password")
        log_in = _poster(base, "/account/login")
        results = [
            _compare("forgot-password",
                     lambda n: forgot({"email": KNOWN}),
                     lambda n: forgot({"email": f"nobody{n}@example.nl"}), args.rounds),
            _compare("login, wrong password vs unknown address",
                     lambda n: log_in({"email": KNOWN, "password": "wrong password"}),
                     lambda n: log_in({"email": f"nobody{n}@example.nl",
                                       "password": "wrong password"}),
                     max(3, args.rounds // 5)),
        ]
    finally:
        server.terminate()
        server.wait(60)
        if args.redis:
            from redis import Redis

            from consult.jobs import QUEUE_NAME

            connection = Redis.from_url(args.redis)
            queue_key = f"rq:queue:{QUEUE_NAME}"
            for job_id in connection.lrange(queue_key, 0, -1):
                connection.delete(b"rq:job:" + job_id)
            connection.delete(queue_key)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
