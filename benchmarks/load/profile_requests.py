"""Where a request's time goes: cProfile per request class, in one process.

    python benchmarks/load/profile_requests.py [--database sqlite|postgresql] [-n 200]
    python benchmarks/load/run.py --profile      (the same, through the load runner)

It builds the load benchmark's demo database, loads the application exactly as the
load benchmark serves it (`bench_wsgi:app`, limits off), and sends each request class
through the WSGI application n times under cProfile (after a warm-up of 20):

- hello: the bare `/_bench/hello` route (what every request pays);
- about: the "about" page;
- consultation: the demo consultation's page (one client, its cookie kept), and
  "consultation (new visitor)": the same with no cookie each time, as wrk sends it;
- about you GET, about you POST: a new visitor's "about you" page, and that page
  posted (each sample a new respondent);
- question GET: the first question page of a respondent who has just filled "about you";
- question POST: an anonymous respondent's first question page, posted (each sample a
  new respondent who has just filled "about you"; only the question POST is profiled);
- review, submit, receipt: a new respondent who has answered every page sees the review
  page (GET), submits it (POST), or sees the receipt again (GET, after its one-time
  "thank you" message).

For each class it prints the wall time and this process's CPU time per request (without
the profiler, measured separately; on a busy machine the wall time includes waiting for
the CPU and for the database, the CPU time does not), and under the profiler (the wall
clock, or with --cpu-clock this process's CPU clock, which leaves out the waiting) the
inclusive time of the stages every request crosses (session, user loading, locale,
CSRF, limiter, security headers, template rendering, SQL) as milliseconds per request
and as a share of the request, followed by the functions of Consult itself that cost
most. With every class of the respondents' flow measured, it also prints the CPU of one
complete response (the flow's requests: see FLOW) and how its profiled time divides
between the libraries (each function's own time, by the package it is in). cProfile
makes many small calls (Jinja, Werkzeug) look dearer than they are: compare shares
within one run, not milliseconds with the load figures. Stages overlap (SQL runs inside
a view or a template), so the shares do not add up to 100 %.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

#: stage -> (file fragment, function name) pairs whose inclusive time makes the stage.
STAGES: dict[str, list[tuple[str, str]]] = {
    "whole request (WSGI)": [("flask/app.py", "wsgi_app")],
    "session open": [("flask/sessions.py", "open_session")],
    "session save": [("flask/sessions.py", "save_session")],
    "user loading (Flask-Login)": [("flask_login/login_manager.py", "_load_user")],
    "locale selection (Babel)": [("consult/i18n.py", "select_locale"),
                                 ("flask_babel/__init__.py", "get_locale")],
    "CSRF check": [("flask_wtf/csrf.py", "protect")],
    "CSRF token": [("flask_wtf/csrf.py", "generate_csrf")],
    "rate limiter": [("flask_limiter/extension.py", "_check_request_limit")],
    "security headers": [("consult/security.py", "add_security_headers")],
    "view function": [("flask/app.py", "dispatch_request")],
    "template rendering": [("flask/templating.py", "render_template")],
    "SQL (SQLAlchemy execute)": [("sqlalchemy/orm/session.py", "execute"),
                                 ("sqlalchemy/engine/base.py", "_execute_context")],
    "DB commit": [("sqlalchemy/orm/session.py", "commit")],
    "mail outbox (after commit)": [("consult/mail_delivery.py", "")],
}


def _stage_times(stats: pstats.Stats, samples: int) -> dict[str, float]:
    """Inclusive ms per request of each stage: the largest matching entry (callers of
    one another are nested, so the outermost is the inclusive figure)."""
    table: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    result: dict[str, float] = {}
    for stage, markers in STAGES.items():
        best = 0.0
        for fragment, name in markers:
            for (filename, _line, function), (_cc, _nc, _tt, cumulative, _callers) in \
                    table.items():
                if fragment in filename.replace("\\", "/") and (not name or function == name):
                    best = max(best, cumulative)
        result[stage] = round(1000 * best / samples, 3)
    return result


def _top_own(stats: pstats.Stats, samples: int, limit: int = 12) -> list[dict[str, Any]]:
    """Consult's own functions (and templates) by inclusive time per request."""
    table: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    rows = []
    for (filename, line, function), (_cc, calls, _tt, cumulative, _callers) in table.items():
        path = filename.replace("\\", "/")
        if "/consult/" in path or "/templates/" in path or path.endswith(".html"):
            short = path.split("/consult/", 1)[-1] if "/consult/" in path else path
            rows.append({"function": f"{short}:{line} {function}",
                         "ms_per_request": round(1000 * cumulative / samples, 3),
                         "calls_per_request": round(calls / samples, 1)})
    rows.sort(key=lambda r: -r["ms_per_request"])
    return rows[:limit]


#: How many of each request class one complete response sends (the respondents' flow; the
#: three question pages are sampled as the first one three times, an approximation).
FLOW = {"consultation (new visitor)": 1, "about you GET": 1, "about you POST": 1, "question GET": 3,
        "question POST": 3, "review": 1, "submit": 1}


def _library(filename: str) -> str:
    """Which library (or part of Consult) a profiled function belongs to."""
    path = filename.replace("\\", "/")
    if path.startswith("~") or path.startswith("<built-in"):
        return "built-in (C) functions"
    if "site-packages/" in path:
        return path.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    if "/consult/" in path:
        return "consult (" + path.split("/consult/", 1)[1].split("/", 1)[0] + ")"
    if path.endswith(".html") or "/templates/" in path:
        return "templates (compiled by Jinja)"
    if "/lib/python3" in path:
        return "Python's standard library"
    return "other"


def _by_library(stats: pstats.Stats, samples: int) -> dict[str, float]:
    """Own (exclusive) profiled ms per request of each library, largest first."""
    table: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    totals: dict[str, float] = {}
    for (filename, _line, _function), (_cc, _nc, own, _cumulative, _callers) in table.items():
        library = _library(filename)
        totals[library] = totals.get(library, 0.0) + own
    return {k: round(1000 * v / samples, 3)
            for k, v in sorted(totals.items(), key=lambda kv: -kv[1])}


def per_complete_response(report: dict[str, Any]) -> dict[str, Any] | None:
    """CPU per complete response (no profiler) and how its profiled time divides between
    the libraries (each function's own time, weighted by the flow's requests; of the
    profiler's clock: wall time with the waiting for PostgreSQL, or with --cpu-clock
    CPU time)."""
    if not all(name in report for name in FLOW):
        return None
    cpu = sum(n * report[name]["cpu_ms_per_request_unprofiled"] for name, n in FLOW.items())
    libraries: dict[str, float] = {}
    for name, n in FLOW.items():
        for library, ms in report[name]["own_ms_per_request_by_library"].items():
            libraries[library] = libraries.get(library, 0.0) + n * ms
    profiled = sum(libraries.values()) or 1.0
    return {"cpu_ms": round(cpu, 2),
            "share_by_library": {k: round(v / profiled, 3) for k, v in
                                 sorted(libraries.items(), key=lambda kv: -kv[1])}}


def _sample_classes(app: Any, slug: str, only: list[str] | None = None
                    ) -> dict[str, Callable[[], Callable[[], Any]]]:
    """request class -> a preparer returning the one call to time (fresh client each)."""
    from forms import csrf_token, fill

    def get(path: str, cookie: bool = True) -> Callable[[], Callable[[], Any]]:
        """GET `path`: with one client whose cookie persists, or (`cookie=False`, as a
        wrk request comes) with a new client each time."""
        kept = app.test_client()

        def prepare() -> Callable[[], Any]:
            return sending(kept if cookie else app.test_client(), "GET", path, 200)
        return prepare

    base = f"/consultations/{slug}"

    def sending(client: Any, method: str, path: str, expected: int,
                data: dict[str, Any] | None = None) -> Callable[[], Any]:
        """The one request to time: `method` on `path`, answered with `expected`."""
        def call() -> Any:
            result = client.open(path, method=method, data=data)
            assert result.status_code == expected, (path, result.status_code)
            return result
        return call

    def past_about_you() -> tuple[Any, str]:
        """A new respondent who has just filled "about you": their client and the first
        question page's address."""
        client = app.test_client()
        form = client.get(f"{base}/respond")
        answer = client.post(f"{base}/respond", data=fill(form.get_data(as_text=True)))
        assert answer.status_code == 302, answer.status_code
        return client, answer.headers["Location"]

    def answered() -> tuple[Any, str]:
        """A new respondent who has answered every page: their client and the review's
        address."""
        client = app.test_client()
        location = f"{base}/respond"
        form = client.get(location).get_data(as_text=True)
        while "/review" not in location:
            answer = client.post(location, data=fill(form))
            assert answer.status_code == 302, (location, answer.status_code)
            location = answer.headers["Location"]
            form = client.get(location).get_data(as_text=True)
        return client, location

    def about_you_get() -> Callable[[], Any]:
        client = app.test_client()
        client.get(base)
        return sending(client, "GET", f"{base}/respond", 200)

    def about_you_post() -> Callable[[], Any]:
        client = app.test_client()
        data = fill(client.get(f"{base}/respond").get_data(as_text=True))
        return sending(client, "POST", f"{base}/respond", 302, data)

    def question_get() -> Callable[[], Any]:
        client, location = past_about_you()
        return sending(client, "GET", location, 200)

    def question_post() -> Callable[[], Any]:
        client, location = past_about_you()
        data = fill(client.get(location).get_data(as_text=True))
        return sending(client, "POST", location, 302, data)

    def review() -> Callable[[], Any]:
        client, location = answered()
        return sending(client, "GET", location, 200)

    def submit() -> Callable[[], Any]:
        client, location = answered()
        token = csrf_token(client.get(location).get_data(as_text=True))
        return sending(client, "POST", location, 302, {"csrf_token": token, "website": ""})

    def receipt() -> Callable[[], Any]:
        client, location = answered()
        token = csrf_token(client.get(location).get_data(as_text=True))
        answer = client.post(location, data={"csrf_token": token, "website": ""})
        assert answer.status_code == 302, answer.status_code
        address = answer.headers["Location"]
        client.get(address)  # the "thank you" message is shown once
        return sending(client, "GET", address, 200)

    classes: dict[str, Callable[[], Callable[[], Any]]] = {
        "hello": get("/_bench/hello"), "about": get("/about"),
        "consultation": get(base), "consultation (new visitor)": get(base, cookie=False),
        "about you GET": about_you_get, "about you POST": about_you_post,
        "question GET": question_get, "question POST": question_post,
        "review": review, "submit": submit, "receipt": receipt}
    return {k: v for k, v in classes.items() if not only or k in only}


def profile(app: Any, slug: str, samples: int, only: list[str] | None = None,
            cpu_clock: bool = False) -> dict[str, Any]:
    report: dict[str, Any] = {}
    for name, prepare in _sample_classes(app, slug, only).items():
        for _ in range(20):  # warm-up: caches, compiled templates, pooled connections
            prepare()()
        calls = [prepare() for _ in range(samples)]
        started, started_cpu = time.perf_counter(), time.process_time()
        for call in calls:
            call()
        plain_ms = 1000 * (time.perf_counter() - started) / samples
        cpu_ms = 1000 * (time.process_time() - started_cpu) / samples
        calls = [prepare() for _ in range(samples)]
        profiler = cProfile.Profile(time.process_time) if cpu_clock else cProfile.Profile()
        for call in calls:
            profiler.enable()
            call()
            profiler.disable()
        stats = pstats.Stats(profiler)
        stages = _stage_times(stats, samples)
        whole = stages["whole request (WSGI)"] or 1.0
        report[name] = {
            "samples": samples,
            "ms_per_request_unprofiled": round(plain_ms, 3),
            "cpu_ms_per_request_unprofiled": round(cpu_ms, 3),
            "stages_ms_per_request_profiled": stages,
            "stages_share": {k: round(v / whole, 3) for k, v in stages.items()},
            "top_consult_functions": _top_own(stats, samples),
            "own_ms_per_request_by_library": _by_library(stats, samples),
        }
    return report


def markdown(report: dict[str, Any], cpu_clock: bool = False) -> str:
    classes = list(report)
    lines = ["| stage | " + " | ".join(classes) + " |",
             "|---|" + "---:|" * len(classes)]
    lines.append("| wall time, no profiler (ms) | " + " | ".join(
        f"{report[c]['ms_per_request_unprofiled']:.2f}" for c in classes) + " |")
    lines.append("| CPU time of this process, no profiler (ms) | " + " | ".join(
        f"{report[c]['cpu_ms_per_request_unprofiled']:.2f}" for c in classes) + " |")
    for stage in STAGES:
        cells = []
        for c in classes:
            ms = report[c]["stages_ms_per_request_profiled"][stage]
            share = report[c]["stages_share"][stage]
            cells.append(f"{ms:.2f} ({100 * share:.0f} %)" if ms else "–")
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    out = ["\n".join(lines)]
    whole = per_complete_response(report)
    if whole is not None:
        out.append(f"\nOne complete response ({', '.join(f'{n} x {c}' for c, n in FLOW.items())})"
                   f": {whole['cpu_ms']:.1f} ms of CPU; share of its profiled time "
                   f"({'CPU' if cpu_clock else 'wall'} clock) by library:")
        for library, share in list(whole["share_by_library"].items())[:14]:
            out.append(f"  {100 * share:5.1f} %  {library}")
    for c in classes:
        out.append(f"\n{c}: Consult's own functions by inclusive ms per request (profiled)")
        for row in report[c]["top_consult_functions"]:
            out.append(f"  {row['ms_per_request']:8.3f} ms  x{row['calls_per_request']:<6} "
                       f"{row['function']}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    from run import base_env, build_demo, ensure_postgres_database, reset_postgres

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="postgresql", choices=["sqlite", "postgresql"])
    parser.add_argument("-n", "--samples", type=int, default=200)
    parser.add_argument("--json", help="also write the JSON to this file")
    parser.add_argument("--classes", default="",
                        help="comma-separated request classes (default: all), e.g. "
                             "'hello,consultation,review,submit,receipt'")
    parser.add_argument("--no-build", action="store_true",
                        help="PostgreSQL: use the demo database an earlier run built (to "
                             "compare two versions of the code on the same data)")
    parser.add_argument("--cpu-clock", action="store_true",
                        help="profile with this process's CPU clock instead of the wall "
                             "clock: waiting for PostgreSQL is then not counted")
    args = parser.parse_args(argv)
    instance = Path(tempfile.mkdtemp(prefix="bench-profile-"))
    try:
        if args.database == "sqlite":
            url = f"sqlite:///{instance / 'bench.sqlite3'}"
        else:
            url = os.environ.get("CONSULT_BENCH_DATABASE_URL", "")
            url = url or "postgresql+psycopg://postgres@127.0.0.1:5432/consult_load"
            if not args.no_build:
                ensure_postgres_database(url)
                reset_postgres(url)
        env = base_env(instance, url)
        if args.no_build and args.database == "postgresql":
            from consult.demo.consultations import SLUG

            ids = {"slug": SLUG}
        else:
            print(f"[profile {args.database}] building the demo database ...",
                  file=sys.stderr)
            ids = build_demo(env)
        os.environ.update(env)
        import logging

        from bench_wsgi import app

        logging.getLogger().setLevel(logging.WARNING)
        only = [c for c in args.classes.split(",") if c]
        report = {"database": args.database, "clock": "CPU" if args.cpu_clock else "wall",
                  "classes": profile(app, ids["slug"], args.samples, only, args.cpu_clock)}
    finally:
        shutil.rmtree(instance, ignore_errors=True)
    report["per_complete_response"] = per_complete_response(report["classes"])
    text = json.dumps(report, indent=2)
    if args.json:
        Path(args.json).write_text(text)
    print(markdown(report["classes"], args.cpu_clock))
    return 0


if __name__ == "__main__":
    sys.exit(main())
