"""Load benchmark: gunicorn on loopback, driven by wrk (pages and responding).

    python benchmarks/load/run.py [--databases sqlite,postgresql] [--users 50,200]

For each database it builds a fresh demo database (`flask db upgrade`, `flask
demo load`), starts gunicorn on a free loopback port with `bench_wsgi:app` (the product
plus a bare `/_bench/hello`), and for each number of concurrent users measures:

- hello: the bare endpoint (the ceiling for this stack and these gunicorn settings);
- about: the "about" page, a plain template page with one query (a reference);
- consultation: the demo's open consultation page;
- event: the demo tasting's page;
- submit: anonymous respondents answering the consultation from start to receipt
  (wrk with respond.lua, CSRF token read from each page, one thread and one
  connection per respondent; `--respondents locust` for the Python generator), one
  closed loop per user. wrk stops every respondent at the end of the run, mid-flow:
  "complete responses/s" and the CPU per complete response count the server's work in
  complete responses (its requests / a complete response's requests, 11), and
  "completed in the run" the flows that reached the receipt.

Pages are driven by wrk (C, cheap on a 2-core machine) with as many connections as
users and no think time. It prints one JSON document and a short table, with the ratio
consultation rps / hello rps. Every run is bounded in time; nothing leaves loopback.
PostgreSQL: CONSULT_BENCH_DATABASE_URL (default: the consult_load database on loopback;
its public schema is dropped and rebuilt).
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import platform
import re
import resource
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
GOAL_RATIO = 0.5  # consultation page / hello, PostgreSQL, 50 users
GOAL_ABOUT_RATIO = 0.7  # about page / hello
GOAL_P99_MS = {50: 200.0, 200: 500.0}  # the consultation page's p99, by connections
GOAL_RESPONSES_PER_S = 50.0  # complete anonymous responses a second, PostgreSQL


def free_port() -> int:
    """A free loopback port: any, or the first free one of CONSULT_BENCH_PORTS
    ("9700-9799": on a machine shared with other runs, each keeps to its own range)."""
    wanted = os.environ.get("CONSULT_BENCH_PORTS", "")
    candidates = [0]
    if wanted:
        low, _, high = wanted.partition("-")
        candidates = list(range(int(low), int(high or low) + 1))
    for port in candidates:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(s.getsockname()[1])
    raise RuntimeError(f"no free port in CONSULT_BENCH_PORTS={wanted}")


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


def ensure_postgres_database(url: str) -> bool:
    """Create the benchmark's PostgreSQL database when it is missing (a fresh machine has
    none); returns whether it was created. Connects to the server's `postgres` database."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    name = target.database
    if not name:
        raise ValueError("the PostgreSQL URL names no database: " + url)
    engine = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name})
            if exists:
                return False
            quoted = connection.dialect.identifier_preparer.quote(name)
            connection.execute(text(f"CREATE DATABASE {quoted}"))
            return True
    finally:
        engine.dispose()


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


def process_cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds these processes used so far (from /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def postgres_backends(url: str) -> list[int]:
    """The PostgreSQL server processes serving the benchmark's database (the pooled
    connections of the workers), to count the database's CPU beside the workers'."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return [int(pid) for pid in connection.scalars(text(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"))]
    finally:
        engine.dispose()


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

    def pids(self) -> list[int]:
        """The master and its workers (the workers are the master's children)."""
        master = self.process.pid
        try:
            children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        except OSError:
            children = []
        return [master, *(int(c) for c in children)]

    def worker_pids(self) -> list[int]:
        return self.pids()[1:]

    def cpu_seconds(self, pids: list[int] | None = None) -> float:
        """User + system CPU seconds of the master and its workers so far (from /proc);
        a worker that ended since is not counted, so read it around short runs only."""
        return process_cpu_seconds(self.pids() if pids is None else pids)


    def worker_rss_kb(self) -> dict[int, int]:
        sizes = {}
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
            if match:
                sizes[pid] = int(match.group(1))
        return sizes

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


def _wrk(arguments: list[str], script: str, marker: str, seconds: int) -> dict[str, Any]:
    """Run wrk with `script` for `seconds` and read the JSON line it prints after
    `marker` (wrk's stderr and exit code in the error when it printed none)."""
    ran = subprocess.run(
        ["wrk", *arguments, f"-d{seconds}s", "-s", str(HERE / script)],
        capture_output=True, text=True, timeout=seconds + 60, check=False)
    match = re.search(rf"^{marker} (.*)$", ran.stdout, re.MULTILINE)
    if ran.returncode != 0 or not match:
        raise RuntimeError(f"wrk (exit {ran.returncode}) printed no figures:\n"
                           f"{ran.stdout}\n{ran.stderr}")
    return dict(json.loads(match.group(1)))


def _request_figures(raw: dict[str, Any]) -> dict[str, Any]:
    """Requests, requests a second, latencies and errors from a wrk script's figures."""
    errors = raw["connect"] + raw["read"] + raw["write"] + raw["status"] + raw["timeout"]
    return {
        "requests": raw["requests"],
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": raw["p50"] / 1000, "p95_ms": raw["p95"] / 1000, "p99_ms": raw["p99"] / 1000,
        "max_ms": raw["max"] / 1000, "errors": errors,
        "error_detail": {k: raw[k] for k in ("connect", "read", "write", "status", "timeout")},
    }


def run_wrk(url: str, users: int, seconds: int) -> dict[str, Any]:
    threads = min(2, users)
    return _request_figures(_wrk([f"-t{threads}", f"-c{users}", "--timeout", "10s", url],
                                 "report.lua", "WRKJSON", seconds))


def run_wrk_respond(url: str, users: int, seconds: int, slug: str) -> dict[str, Any]:
    """Respondents driven by wrk and respond.lua: one thread per connection (each thread
    one respondent with its own Lua state), the same flow and filling as locustfile.py."""
    raw = _wrk([f"-t{users}", f"-c{users}", "--timeout", "30s",
                f"{url}/consultations/{slug}"], "respond.lua", "WRKRESPOND", seconds)
    duration = raw["duration_us"] / 1e6
    # The end of the run cuts every respondent's flow under way: their requests cost the
    # server CPU but complete nothing. A complete response's requests (11) give the
    # responses the server's work amounts to, the figure the goal and CPU read.
    per_response = (raw["submitted_requests"] / raw["submissions"]
                    if raw["submissions"] else None)
    served = raw["requests"] / per_response if per_response else 0.0
    return {
        **_request_figures(raw), "generator": "wrk",
        "submissions_completed": raw["submissions"], "submissions_failed": raw["failed"],
        "requests_per_response": round(per_response, 2) if per_response else None,
        "responses_served": round(served, 1),
        "submissions_per_s": round(served / duration, 1),
        "submissions_completed_per_s": round(raw["submissions"] / duration, 1),
    }


def locust_command() -> list[str]:
    """CONSULT_BENCH_LOCUST (a locust executable, e.g. in a venv of its own), else this
    Python's locust (`make bench-load` installs it), else a locust on the PATH."""
    chosen = os.environ.get("CONSULT_BENCH_LOCUST")
    if chosen:
        return [chosen]
    if importlib.util.find_spec("locust") is not None:
        return [PYTHON, "-m", "locust"]
    found = shutil.which("locust")
    if found is None:
        raise RuntimeError("locust is not installed: pip install -e '.[bench]'")
    return [found]


def run_locust(url: str, users: int, seconds: int, slug: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-locust-") as folder:
        prefix = os.path.join(folder, "run")
        completed = os.path.join(folder, "completed.json")
        env = dict(os.environ)
        env.update({"CONSULT_BENCH_SLUG": slug, "CONSULT_BENCH_COMPLETED": completed,
                    "PYTHONPATH": str(HERE)})
        subprocess.run(
            [*locust_command(), "-f", str(HERE / "locustfile.py"), "--headless",
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
    # locust lets each respondent finish the flow under way (--stop-timeout 15): no flow
    # that can finish within those 15 s is cut off, so the responses served are the ones
    # completed.
    result["responses_served"] = counts["submissions"]
    result["submissions_completed_per_s"] = result["submissions_per_s"]
    return result


#: () -> the database server's processes for this run (PostgreSQL), or none (SQLite).
DATABASE_PIDS: list[Any] = [lambda: []]


def _with_cpu(server: Gunicorn, run: Any, count_key: str) -> dict[str, Any]:
    """Run one measurement and add the server's CPU: total seconds (master and workers,
    from /proc) and milliseconds per counted unit (a request, or a complete response);
    on PostgreSQL also the CPU of the database's server processes, apart."""
    database_pids = DATABASE_PIDS[0]()
    before_db = process_cpu_seconds(database_pids)
    before_cpu, before_wall = server.cpu_seconds(), time.monotonic()
    before_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    result: dict[str, Any] = run()
    cpu = server.cpu_seconds() - before_cpu
    wall = time.monotonic() - before_wall
    after_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    result["load_generator_cpu_s"] = round(
        after_children.ru_utime + after_children.ru_stime
        - before_children.ru_utime - before_children.ru_stime, 2)
    count = result.get(count_key) or 0
    database_cpu = process_cpu_seconds(database_pids) - before_db
    result["database_cpu_s"] = round(database_cpu, 2)
    result["database_cpu_ms_per_unit"] = (round(1000 * database_cpu / count, 3)
                                          if count else None)
    result["server_cpu_s"] = round(cpu, 2)
    result["server_cpu_ms_per_unit"] = round(1000 * cpu / count, 3) if count else None
    result["server_cpu_share"] = round(cpu / wall / (os.cpu_count() or 1), 3)
    return result


#: The respondents' load generator: wrk with respond.lua (default), or locust.
RESPONDENTS: dict[str, Any] = {"wrk": run_wrk_respond, "locust": run_locust}


def soak(server: Gunicorn, seconds: int, users: int, slug: str,
         respondents: str = "wrk") -> dict[str, Any]:
    """Respondents for `seconds`, resident memory of each worker before and after."""
    start = server.worker_rss_kb()
    drive = RESPONDENTS[respondents]
    result = _with_cpu(server, lambda: drive(server.url, users, seconds, slug),
                       "responses_served")
    end = server.worker_rss_kb()
    same = [pid for pid in start if pid in end]
    return {
        "seconds": seconds, "users": users,
        "rss_kb_start": {str(p): start[p] for p in start},
        "rss_kb_end": {str(p): end[p] for p in end},
        "rss_growth_kb_per_worker": {str(p): end[p] - start[p] for p in same},
        "workers_replaced": sorted(set(start) ^ set(end)),
        "submissions_completed": result["submissions_completed"],
        "submissions_failed": result["submissions_failed"],
        "errors": result["errors"],
    }


def bench_database(kind: str, users_list: list[int], seconds: int, submit_seconds: int,
                   workers: int, threads: int, soak_seconds: int = 0,
                   respondents: str = "wrk") -> dict[str, Any]:
    instance = Path(tempfile.mkdtemp(prefix=f"bench-{kind}-"))
    if kind == "sqlite":
        url = f"sqlite:///{instance / 'bench.sqlite3'}"
    else:
        url = os.environ.get("CONSULT_BENCH_DATABASE_URL", DEFAULT_PG)
        if ensure_postgres_database(url):
            print(f"[{kind}] created the database", file=sys.stderr)
        reset_postgres(url)
    env = base_env(instance, url)
    print(f"[{kind}] building the demo database ...", file=sys.stderr)
    ids = build_demo(env)
    paths = {"hello": "/_bench/hello", "about": "/about",
             "consultation": f"/consultations/{ids['slug']}",
             "event": f"/events/{ids['event_id']}"}
    server = Gunicorn(env, workers, threads)
    results: dict[str, Any] = {"database": kind, "runs": []}
    DATABASE_PIDS[0] = (lambda: postgres_backends(url)) if kind == "postgresql" else list
    try:
        server.warm(list(paths.values()))
        for users in users_list:
            run: dict[str, Any] = {"users": users}
            for name, path in paths.items():
                print(f"[{kind}] {users} users: {name} ({seconds} s)", file=sys.stderr)
                run[name] = _with_cpu(
                    server, lambda p=path, u=users: run_wrk(server.url + p, u, seconds), "requests")
            print(f"[{kind}] {users} users: submit ({submit_seconds} s)", file=sys.stderr)
            run["submit"] = _with_cpu(
                server, lambda u=users: RESPONDENTS[respondents](
                    server.url, u, submit_seconds, ids["slug"]),
                "responses_served")
            run["ratio_consultation_to_hello"] = round(
                run["consultation"]["rps"] / run["hello"]["rps"], 3)
            run["ratio_event_to_hello"] = round(run["event"]["rps"] / run["hello"]["rps"], 3)
            run["ratio_about_to_hello"] = round(run["about"]["rps"] / run["hello"]["rps"], 3)
            results["runs"].append(run)
        if soak_seconds:
            print(f"[{kind}] soak: respondents for {soak_seconds} s", file=sys.stderr)
            results["soak"] = soak(server, soak_seconds, min(users_list), ids["slug"],
                                   respondents)
    finally:
        server.stop()
        shutil.rmtree(instance, ignore_errors=True)
    return results


NAMES = {"hello": "hello", "about": "about", "consultation": "consultation",
         "event": "event", "submit": "respond (whole flow)"}
DB_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def goals(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's goals, each with the figure measured and whether it was met."""
    found: list[dict[str, Any]] = []
    for database in report["databases"]:
        if database["database"] != "postgresql":
            continue
        for run in database["runs"]:
            users = run["users"]
            checks: list[tuple[str, float, float, bool]] = []
            if users == 50:
                checks += [
                    ("consultation/hello", run["ratio_consultation_to_hello"],
                     GOAL_RATIO, run["ratio_consultation_to_hello"] >= GOAL_RATIO),
                    ("about/hello", run["ratio_about_to_hello"], GOAL_ABOUT_RATIO,
                     run["ratio_about_to_hello"] >= GOAL_ABOUT_RATIO),
                    ("complete responses/s", run["submit"]["submissions_per_s"],
                     GOAL_RESPONSES_PER_S,
                     run["submit"]["submissions_per_s"] >= GOAL_RESPONSES_PER_S),
                ]
            limit = GOAL_P99_MS.get(users)
            if limit is not None:
                p99 = run["consultation"]["p99_ms"]
                checks.append((f"p99 consultation ms ({users} users)", p99, limit, p99 < limit))
            errors = sum(run[n]["errors"] for n in NAMES) + run["submit"]["submissions_failed"]
            checks.append((f"errors and failed responses ({users} users)", errors, 0,
                           errors == 0))
            for name, value, goal, met in checks:
                found.append({"database": "postgresql", "users": users, "goal": name,
                              "measured": value, "target": goal, "met": met})
    return found


def dash(value: Any) -> Any:
    """A figure for the table: "–" where there is none (e.g. no complete response)."""
    return "–" if value is None else value


def table(report: dict[str, Any]) -> str:
    """The README's table (Markdown), then the goals."""
    lines = [f"Measured {report['date']} on {report['machine']['cpus']} CPUs "
             f"({report['machine']['platform']}, Python {report['machine']['python']}), "
             f"gunicorn {report['gunicorn']['workers']} sync workers; load average "
             f"{report['machine']['load_average_at_start'][0]:.2f} at start, "
             f"{report['machine']['load_average_at_end'][0]:.2f} at end.", "",
             "| database | users | page | rps | p50 ms | p95 ms | p99 ms | errors "
             "| gunicorn CPU ms per request | PostgreSQL CPU ms per request |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for database in report["databases"]:
        db_name = DB_NAMES.get(database["database"], database["database"])
        for run in database["runs"]:
            for name, label in NAMES.items():
                r = run[name]
                cpu = r.get("server_cpu_ms_per_unit")
                db_cpu = r.get("database_cpu_ms_per_unit")
                if name == "submit":
                    requests = r["requests"]
                    cpu = round(1000 * r["server_cpu_s"] / requests, 2) if requests else None
                    db_cpu = (round(1000 * r["database_cpu_s"] / requests, 2)
                              if requests else None)
                if database["database"] != "postgresql":
                    db_cpu = None
                lines.append(
                    f"| {db_name} | {run['users']} | {label} | {r['rps']:.0f} "
                    f"| {r['p50_ms']:.0f} | {r['p95_ms']:.0f} | {r['p99_ms']:.0f} "
                    f"| {r['errors']} | {cpu if cpu is not None else '–'} "
                    f"| {db_cpu if db_cpu is not None else '–'} |")
    lines += ["", "| database | users | consultation/hello | about/hello | event/hello "
              "| complete responses/s | completed in the run | failed "
              "| gunicorn CPU ms per complete response "
              "| PostgreSQL CPU ms per complete response |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for database in report["databases"]:
        db_name = DB_NAMES.get(database["database"], database["database"])
        for run in database["runs"]:
            s = run["submit"]
            db_cpu = s["database_cpu_ms_per_unit"] if database["database"] != "sqlite" else None
            lines.append(
                f"| {db_name} | {run['users']} | {run['ratio_consultation_to_hello']:.2f} "
                f"| {run['ratio_about_to_hello']:.2f} | {run['ratio_event_to_hello']:.2f} "
                f"| {s['submissions_per_s']} | {s['submissions_completed']} "
                f"| {s['submissions_failed']} "
                f"| {dash(s['server_cpu_ms_per_unit'])} "
                f"| {dash(db_cpu)} |")
    for database in report["databases"]:
        soaked = database.get("soak")
        if soaked:
            growth = soaked["rss_growth_kb_per_worker"]
            lines.append(
                f"\nSoak ({DB_NAMES.get(database['database'])}, {soaked['seconds']} s, "
                f"{soaked['users']} respondents, {soaked['submissions_completed']} responses): "
                f"worker RSS start {sorted(soaked['rss_kb_start'].values())} kB, end "
                f"{sorted(soaked['rss_kb_end'].values())} kB, growth per worker "
                f"{sorted(growth.values())} kB; workers replaced: "
                f"{len(soaked['workers_replaced'])}.")
    lines += ["", "Goals (PostgreSQL):"]
    for goal in report["goals_measured"]:
        sign = "<" if "p99" in goal["goal"] else "=" if "errors" in goal["goal"] else ">="
        lines.append(f"- {goal['goal']}: {goal['measured']} (goal {sign} {goal['target']}) "
                     f"{'met' if goal['met'] else 'NOT MET'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--users", default="50,200")
    parser.add_argument("--seconds", type=int, default=10, help="per wrk run")
    parser.add_argument("--submit-seconds", type=int, default=30,
                        help="per run of respondents")
    parser.add_argument("--respondents", choices=sorted(RESPONDENTS), default="wrk",
                        help="the respondents' load generator: wrk with respond.lua (C, "
                             "the default) or locust (Python, to compare)")
    parser.add_argument("--soak-seconds", type=int, default=600,
                        help="respondents on PostgreSQL after the runs, worker memory "
                             "before and after (0: no soak)")
    parser.add_argument("--quick", action="store_true",
                        help="5 s per page, 30 s of respondents, a 60 s soak: about ten minutes")
    parser.add_argument("--profile", action="store_true",
                        help="no load: where each request class's time goes (cProfile), "
                             "see profile_requests.py")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--json", help="also write the JSON to this file")
    args = parser.parse_args(argv)
    if args.profile:
        import profile_requests

        code = 0
        for kind in args.databases.split(","):
            code = code or profile_requests.main(["--database", kind])
        return code
    if args.quick:
        args.seconds, args.submit_seconds, args.soak_seconds = 5, 30, 60
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    users = [int(u) for u in args.users.split(",")]
    kinds = args.databases.split(",")
    report: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                    "python": platform.python_version(),
                    "load_average_at_start": list(os.getloadavg())},
        "gunicorn": {"workers": args.workers, "threads": args.threads, "worker_class": "sync"},
        "wrk_seconds": args.seconds, "respondent_seconds": args.submit_seconds,
        "respondents": args.respondents,
        "goals": {"ratio_consultation_to_hello": GOAL_RATIO,
                  "ratio_about_to_hello": GOAL_ABOUT_RATIO,
                  "p99_ms_consultation_by_users": GOAL_P99_MS,
                  "complete_responses_per_s": GOAL_RESPONSES_PER_S, "errors": 0},
        "databases": [],
    }
    for kind in kinds:
        soak_here = args.soak_seconds if kind == kinds[-1] else 0
        report["databases"].append(bench_database(kind, users, args.seconds,
                                                  args.submit_seconds, args.workers,
                                                  args.threads, soak_here,
                                                  args.respondents))
    report["machine"]["load_average_at_end"] = list(os.getloadavg())
    report["goals_measured"] = goals(report)
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text)
    print()
    print(table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
