"""Load benchmark: gunicorn on loopback, driven by wrk (pages) and locust (responding).

    python benchmarks/load/run.py [--databases sqlite,postgresql] [--users 50,200]

For each database it builds a fresh demo database (`flask db upgrade`, `flask
demo load`), starts gunicorn on a free loopback port with `bench_wsgi:app` (the product
plus a bare `/_bench/hello`), and for each number of concurrent users measures:

- hello: the bare endpoint (the ceiling for this stack and these gunicorn settings);
- about: the "about" page, a plain template page with one query (a reference);
- consultation: the demo's open consultation page;
- event: the demo tasting's page;
- submit: anonymous respondents answering the consultation from start to receipt
  (locust, CSRF token read from each page), one closed loop per user.

Pages are driven by wrk (C, cheap on a 2-core machine) with as many connections as
users and no think time. It prints one JSON document and a short table, with the ratio
consultation rps / hello rps. Every run is bounded in time; nothing leaves loopback.
PostgreSQL: CONSULT_BENCH_DATABASE_URL (default: the consult_load database on loopback;
its public schema is dropped and rebuilt).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PYTHON = sys.executable
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/consult_load"
GOAL_RATIO = 0.25
GOAL_P99_MS = 200.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def base_env(instance: Path, database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "CONSULT_INSTANCE_PATH": str(instance),
        "CONSULT_DATABASE_URL": database_url,
        "CONSULT_SECRET_KEY": "load-benchmark-only",
        "CONSULT_ENV": "production",
        "CONSULT_MAIL_BACKEND": "outbox",
        "PYTHONPATH": str(ROOT),
    })
    return env


def reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def build_demo(env: dict[str, str]) -> dict[str, Any]:
    """A fresh demo database; returns the consultation slug and the tasting's id."""
    flask = [PYTHON, "-m", "flask", "--app", "consult"]
    for command in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run(flask + command, env=env, cwd=ROOT, check=True, timeout=600,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    probe = (
        "import json\n"
        "from sqlalchemy import select\n"
        "from consult import create_app\n"
        "from consult.extensions import db\n"
        "from consult.models import Event\n"
        "from consult.demo.consultations import SLUG\n"
        "from consult.demo.events import TASTING_TITLE\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    tasting = db.session.scalar(select(Event.id).filter_by(title_nl=TASTING_TITLE))\n"
        "    print('IDS', json.dumps({'slug': SLUG, 'event_id': tasting}))\n"
    )
    out = subprocess.run([PYTHON, "-c", probe], env=env, cwd=ROOT, check=True, timeout=120,
                         capture_output=True, text=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("IDS "))
    return dict(json.loads(line[4:]))


class Gunicorn:
    def __init__(self, env: dict[str, str], workers: int, threads: int) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        handle, log_path = tempfile.mkstemp(prefix="bench-gunicorn-", suffix=".log")
        self.log_path = log_path
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "--workers", str(workers), "--threads", str(threads),
             "--bind", f"127.0.0.1:{self.port}", "--backlog", "2048",
             "--log-level", "warning", "benchmarks.load.bench_wsgi:app"],
            env=env, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT)
        os.close(handle)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("gunicorn did not answer within 60 s; see " + self.log_path)

    def warm(self, paths: list[str], times: int = 20) -> None:
        for path in paths:
            for _ in range(times):
                with urllib.request.urlopen(self.url + path, timeout=30) as answer:
                    answer.read()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def run_wrk(url: str, users: int, seconds: int) -> dict[str, Any]:
    threads = min(2, users)
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{users}", f"-d{seconds}s", "--timeout", "10s",
         "-s", str(HERE / "report.lua"), url],
        capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    match = re.search(r"^WRKJSON (.*)$", out, re.MULTILINE)
    if not match:
        raise RuntimeError("wrk printed no figures:\n" + out)
    raw = json.loads(match.group(1))
    errors = raw["connect"] + raw["read"] + raw["write"] + raw["status"] + raw["timeout"]
    return {
        "requests": raw["requests"],
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": raw["p50"] / 1000, "p95_ms": raw["p95"] / 1000, "p99_ms": raw["p99"] / 1000,
        "max_ms": raw["max"] / 1000, "errors": errors,
        "error_detail": {k: raw[k] for k in ("connect", "read", "write", "status", "timeout")},
    }


def run_locust(url: str, users: int, seconds: int, slug: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-locust-") as folder:
        prefix = os.path.join(folder, "run")
        completed = os.path.join(folder, "completed.json")
        env = dict(os.environ)
        env.update({"CONSULT_BENCH_SLUG": slug, "CONSULT_BENCH_COMPLETED": completed,
                    "PYTHONPATH": str(HERE)})
        subprocess.run(
            [PYTHON, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless",
             "-u", str(users), "-r", str(max(1, users // 2)), "--run-time", f"{seconds}s",
             "--stop-timeout", "15", "--host", url, "--csv", prefix, "--only-summary",
             "--loglevel", "ERROR", "--exit-code-on-error", "0"],
            env=env, cwd=HERE, timeout=seconds + 120, check=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(prefix + "_stats.csv", newline="") as stats:
            rows = {row["Name"]: row for row in csv.DictReader(stats)}
        with open(completed) as done:
            counts = json.load(done)

    def figures(row: dict[str, str]) -> dict[str, Any]:
        return {"requests": int(row["Request Count"]),
                "rps": round(float(row["Requests/s"]), 1),
                "p50_ms": float(row["50%"]), "p95_ms": float(row["95%"]),
                "p99_ms": float(row["99%"]), "max_ms": float(row["Max Response Time"]),
                "errors": int(row["Failure Count"])}

    result = figures(rows["Aggregated"])
    result["submit_post"] = figures(rows["POST submit"]) if "POST submit" in rows else None
    result["submissions_completed"] = counts["submissions"]
    result["submissions_failed"] = counts["failed"]
    result["submissions_per_s"] = round(counts["submissions"] / seconds, 1)
    return result


def bench_database(kind: str, users_list: list[int], seconds: int, submit_seconds: int,
                   workers: int, threads: int) -> dict[str, Any]:
    instance = Path(tempfile.mkdtemp(prefix=f"bench-{kind}-"))
    if kind == "sqlite":
        url = f"sqlite:///{instance / 'bench.sqlite3'}"
    else:
        url = os.environ.get("CONSULT_BENCH_DATABASE_URL", DEFAULT_PG)
        reset_postgres(url)
    env = base_env(instance, url)
    print(f"[{kind}] building the demo database ...", file=sys.stderr)
    ids = build_demo(env)
    paths = {"hello": "/_bench/hello", "about": "/about",
             "consultation": f"/consultations/{ids['slug']}",
             "event": f"/events/{ids['event_id']}"}
    server = Gunicorn(env, workers, threads)
    results: dict[str, Any] = {"database": kind, "runs": []}
    try:
        server.warm(list(paths.values()))
        for users in users_list:
            run: dict[str, Any] = {"users": users}
            for name, path in paths.items():
                print(f"[{kind}] {users} users: {name} ({seconds} s)", file=sys.stderr)
                run[name] = run_wrk(server.url + path, users, seconds)
            print(f"[{kind}] {users} users: submit ({submit_seconds} s)", file=sys.stderr)
            run["submit"] = run_locust(server.url, users, submit_seconds, ids["slug"])
            run["ratio_consultation_to_hello"] = round(
                run["consultation"]["rps"] / run["hello"]["rps"], 3)
            run["ratio_event_to_hello"] = round(run["event"]["rps"] / run["hello"]["rps"], 3)
            run["ratio_about_to_hello"] = round(run["about"]["rps"] / run["hello"]["rps"], 3)
            results["runs"].append(run)
    finally:
        server.stop()
        shutil.rmtree(instance, ignore_errors=True)
    return results


def table(report: dict[str, Any]) -> str:
    lines = [f"{'db':<10} {'users':>5} {'target':<13} {'rps':>8} {'p50 ms':>8} {'p95 ms':>8} "
             f"{'p99 ms':>8} {'errors':>6}"]
    for database in report["databases"]:
        for run in database["runs"]:
            for name in ("hello", "about", "consultation", "event", "submit"):
                r = run[name]
                lines.append(f"{database['database']:<10} {run['users']:>5} {name:<13} "
                             f"{r['rps']:>8.1f} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} "
                             f"{r['p99_ms']:>8.1f} {r['errors']:>6}")
            s = run["submit"]
            lines.append(f"{'':<10} {'':>5} ratio consultation/hello "
                         f"{run['ratio_consultation_to_hello']:.3f} (goal >= {GOAL_RATIO}), "
                         f"event/hello {run['ratio_event_to_hello']:.3f}, "
                         f"about/hello {run['ratio_about_to_hello']:.3f};"
                         f" {s['submissions_completed']} responses submitted"
                         f" ({s['submissions_per_s']}/s), {s['submissions_failed']} failed")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--users", default="50,200")
    parser.add_argument("--seconds", type=int, default=10, help="per wrk run")
    parser.add_argument("--submit-seconds", type=int, default=30, help="per locust run")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--json", help="also write the JSON to this file")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    users = [int(u) for u in args.users.split(",")]
    report: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                    "python": platform.python_version(),
                    "load_average_at_start": list(os.getloadavg())},
        "gunicorn": {"workers": args.workers, "threads": args.threads, "worker_class": "sync"},
        "wrk_seconds": args.seconds, "locust_seconds": args.submit_seconds,
        "goals": {"ratio_consultation_to_hello": GOAL_RATIO, "p99_ms_at_50_users": GOAL_P99_MS,
                  "errors": 0},
        "databases": [],
    }
    for kind in args.databases.split(","):
        report["databases"].append(bench_database(kind, users, args.seconds,
                                                  args.submit_seconds, args.workers,
                                                  args.threads))
    report["machine"]["load_average_at_end"] = list(os.getloadavg())
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text)
    print()
    print(table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
