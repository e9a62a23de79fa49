"""Server CPU per complete response, step by step: one gunicorn worker, one respondent at
a time, over loopback HTTP.

    python benchmarks/load/flow_cpu.py [--database URL] [-n 150] [--rounds 2]
                                       [--compare OTHER_CHECKOUT]

The load benchmark (run.py) measures the server's CPU per complete response under load,
with the load generator on the same two CPUs. This one asks the question without load:
it starts gunicorn with a single sync worker (`bench_wsgi:app`, this checkout's code, or
the other checkout's with --compare), answers the demo's open consultation start to
submit `n` times as new anonymous respondents (the same requests as the locust flow:
the consultation page, "about you" GET and POST, each question page GET and POST, the
review, the submit), and reads the worker's CPU time from /proc around each request.
It prints the worker's CPU per complete response and per step, in milliseconds.

With --compare, the two checkouts are measured in alternating rounds on the same demo
database (their schema must match), so that a busy machine weighs on both alike; compare
the ratio, not the milliseconds, with other runs. The database is the load benchmark's
(built when missing: `flask db upgrade` and `flask demo load`).

The worker's CPU is read in clock ticks (10 ms), per request; summed over many requests
the rounding evens out. PostgreSQL's own CPU is not counted here (run.py reports it).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import requests

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

from forms import csrf_token, fill  # noqa: E402
from run import (  # noqa: E402
    DEFAULT_PG,
    base_env,
    build_demo,
    ensure_postgres_database,
    free_port,
    reset_postgres,
)

STEPS = ("consultation page", "about you GET", "about you POST", "question GET",
         "question POST", "review GET", "submit POST")


class OneWorker:
    """gunicorn with one sync worker serving `checkout`'s bench_wsgi:app."""

    def __init__(self, checkout: Path, env: dict[str, str]) -> None:
        self.url = f"http://127.0.0.1:{free_port()}"
        env = dict(env, PYTHONPATH=str(checkout))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind",
             self.url.removeprefix("http://"), "--log-level", "warning",
             "benchmarks.load.bench_wsgi:app"], cwd=checkout, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.3)
        else:
            self.stop()
            raise RuntimeError("gunicorn did not answer within 60 s")
        master = self.process.pid
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        self.worker = int(children[0])

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.worker}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Respondents:
    """New anonymous respondents answering `slug` on `server`, the worker's CPU per step."""

    def __init__(self, server: OneWorker, slug: str) -> None:
        self.server, self.slug = server, slug
        self.cpu: dict[str, float] = defaultdict(float)
        self._answers: dict[str, dict[str, Any]] = {}  # each page's form, parsed once

    def _step(self, name: str, call: Any) -> requests.Response:
        before = self.server.cpu_seconds()
        answer = call()
        self.cpu[name] += self.server.cpu_seconds() - before
        return answer

    def _form(self, page: str, html: str) -> dict[str, Any]:
        if page not in self._answers:
            self._answers[page] = fill(html)
        return dict(self._answers[page], csrf_token=csrf_token(html))

    def respond(self) -> None:
        client, url = requests.Session(), self.server.url
        base = f"{url}/consultations/{self.slug}"
        self._step("consultation page", lambda: client.get(base))
        html = self._step("about you GET", lambda: client.get(f"{base}/respond")).text
        location = self._step("about you POST", lambda: client.post(
            f"{base}/respond", data=self._form("about you", html),
            allow_redirects=False)).headers["Location"]
        while "/respond/" in location:
            page = url + location if location.startswith("/") else location
            html = self._step("question GET", lambda: client.get(page)).text  # noqa: B023
            location = self._step("question POST", lambda: client.post(
                page, data=self._form(page, html),  # noqa: B023
                allow_redirects=False)).headers["Location"]
        review = url + location if location.startswith("/") else location
        html = self._step("review GET", lambda: client.get(review)).text
        answer = self._step("submit POST", lambda: client.post(
            review, data={"csrf_token": csrf_token(html), "website": ""},
            allow_redirects=False))
        if answer.status_code != 302 or "/receipt/" not in answer.headers["Location"]:
            raise RuntimeError(f"the submit answered {answer.status_code}")


def measure(checkout: Path, env: dict[str, str], slug: str, n: int) -> dict[str, Any]:
    server = OneWorker(checkout, env)
    try:
        warm = Respondents(server, slug)
        for _ in range(20):  # caches, compiled templates, the pooled connection
            warm.respond()
        flow = Respondents(server, slug)
        before = server.cpu_seconds()
        for _ in range(n):
            flow.respond()
        whole = server.cpu_seconds() - before
    finally:
        server.stop()
    return {"checkout": str(checkout), "responses": n,
            "cpu_ms_per_complete_response": round(1000 * whole / n, 1),
            "cpu_ms_per_step": {s: round(1000 * flow.cpu[s] / n, 2) for s in STEPS}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("CONSULT_BENCH_DATABASE_URL",
                                                             DEFAULT_PG))
    parser.add_argument("-n", "--responses", type=int, default=150)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--compare", type=Path, help="another checkout, measured in turn")
    parser.add_argument("--no-build", action="store_true",
                        help="use the database as it is (built by an earlier run)")
    args = parser.parse_args(argv)
    instance = Path(tempfile.mkdtemp(prefix="bench-flow-"))
    env = base_env(instance, args.database)
    if not args.no_build:
        if args.database.startswith("postgresql"):
            ensure_postgres_database(args.database)
            reset_postgres(args.database)
        print("building the demo database ...", file=sys.stderr)
    slug = build_demo(env)["slug"] if not args.no_build else "kweekvlees-in-nederland"
    checkouts = [ROOT] + ([args.compare.resolve()] if args.compare else [])
    results: dict[str, list[dict[str, Any]]] = {str(c): [] for c in checkouts}
    for _ in range(args.rounds):
        for checkout in checkouts:
            found = measure(checkout, env, slug, args.responses)
            results[str(checkout)].append(found)
            steps = ", ".join(f"{k} {v}" for k, v in found["cpu_ms_per_step"].items())
            print(f"{checkout}: {found['cpu_ms_per_complete_response']} ms of worker CPU per "
                  f"complete response ({steps})")
    if args.compare:
        ours, theirs = ([r["cpu_ms_per_complete_response"] for r in results[str(c)]]
                        for c in checkouts)
        ratio = sorted(ours)[len(ours) // 2] / sorted(theirs)[len(theirs) // 2]
        print(f"median ratio this checkout / {args.compare}: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
