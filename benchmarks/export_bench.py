"""Export benchmark: CSV, XLSX and JSON of 100,000 responses — time and peak memory.

Run: `python benchmarks/export_bench.py [--responses 100000] [--database URL]`.
It builds a throw-away SQLite database (or uses --database, which it empties), seeds the
demo consultation's questions with N synthetic responses, and exports them, internal and
public. Memory is the peak of Python allocations during the export (tracemalloc), in a
separate pass from the timing (tracemalloc slows code down). Running it at 10,000 and
100,000 responses shows whether memory stays flat as the count grows.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from consult import create_app  # noqa: E402
from consult.extensions import db  # noqa: E402


def measure(label: str, run: Callable[[], int]) -> dict[str, Any]:
    started = time.perf_counter()
    size = run()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    run()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"label": label, "seconds": seconds, "peak_mib": peak / 2**20, "bytes": size}


def drain(pieces: Iterable[str | bytes]) -> int:
    total = 0
    for piece in pieces:
        total += len(piece.encode() if isinstance(piece, str) else piece)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--database", default="")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="consult-bench-")
    url = args.database or f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["CONSULT_INSTANCE_PATH"] = os.path.join(workdir, "instance")
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": True,
                      "MAIL_OUTBOX": os.path.join(workdir, "outbox"), "SERVER_NAME": "bench"})
    from consult.demo.accounts import demo_official
    from consult.demo.consultations import _make_consultation
    from consult.demo.responses import seed_responses
    from consult.services.catalogue import ensure_catalogues
    from consult.services.consultations import exports

    with app.app_context(), app.test_request_context("/"):
        db.drop_all()
        db.create_all()
        ensure_catalogues()
        consultation = _make_consultation(demo_official(), "bench", "cultivated-meat-fish",
                                          ("Benchmark", "Benchmark"), -14, 42)
        started = time.perf_counter()
        seed_responses(consultation, args.responses, 1)
        db.session.commit()
        print(f"seeded {args.responses:,} responses in {time.perf_counter() - started:.1f} s "
              f"({db.engine.dialect.name})")
        xlsx_path = os.path.join(workdir, "bench.xlsx")

        def xlsx(public: bool) -> Callable[[], int]:
            def run() -> int:
                exports.write_xlsx(consultation, public, xlsx_path)
                return os.path.getsize(xlsx_path)
            return run

        results = [
            measure("CSV internal", lambda: drain(exports.csv_stream(consultation, False))),
            measure("CSV public", lambda: drain(exports.csv_stream(consultation, True))),
            measure("XLSX internal", xlsx(False)),
            measure("JSON public", lambda: drain(exports.json_stream(consultation, True))),
        ]
        db.session.remove()
    print(f"{'export':<15}{'time (s)':>10}{'peak memory (MiB)':>20}{'size (MiB)':>12}")
    for r in results:
        print(f"{r['label']:<15}{r['seconds']:>10.2f}{r['peak_mib']:>20.1f}"
              f"{r['bytes'] / 2**20:>12.1f}")


if __name__ == "__main__":
    main()
