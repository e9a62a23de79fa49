"""Known and unknown addresses take the same time: medians of interleaved requests.

The test suite proves that both paths do the same work (tests/accounts/test_same_work.py
counts the password hashing, jobs and mails of each). This benchmark shows the time it
takes, for three pairs of paths: a password reset for a known and an unknown address,
registering a taken and a new address, logging in with a wrong password and an unknown
address. Requests of a pair are interleaved round by round, so load on the machine hits
both alike; the figure to read is the ratio of the medians (1.0 = indistinguishable).

    python benchmarks/same_work_bench.py [--rounds 40]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from consult import jobs  # noqa: E402
from consult.extensions import db  # noqa: E402
from tests.factories.users import new_user  # noqa: E402
from tests.support.apps import make_app  # noqa: E402

PASSWORD = "another long passphrase"


def timings(paths: dict[str, Callable[[int], object]], rounds: int) -> dict[str, list[float]]:
    for do in paths.values():  # warm up: the first requests compile templates
        do(-1)
        jobs.wait_for_threads()
    found: dict[str, list[float]] = {name: [] for name in paths}
    for n in range(rounds):
        for name, do in paths.items():
            start = time.perf_counter()
            do(n)
            found[name].append((time.perf_counter() - start) * 1000)
            jobs.wait_for_threads()  # a job's work is not the next request's time
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    rounds = parser.parse_args().rounds
    app = make_app(Path(tempfile.mkdtemp(prefix="same-work-")))
    with app.app_context():
        db.create_all()
        new_user("anna@example.nl", password=PASSWORD)
        db.session.commit()
    client = app.test_client()

    def post(path: str, **data: str) -> int:
        return client.post(path, data=data).status_code

    pairs = {
        "password reset": {
            "known": lambda n: post("/account/forgot-password", email="anna@example.nl"),
            "unknown": lambda n: post("/account/forgot-password", email=f"nobody{n}@example.nl"),
        },
        "register": {
            "taken": lambda n: post("/account/register", email="anna@example.nl",
                                    password=PASSWORD, confirm=PASSWORD),
            "new": lambda n: post("/account/register", email=f"new{n}@example.nl",
                                  password=PASSWORD, confirm=PASSWORD),
        },
        "login": {
            "wrong password": lambda n: post("/account/login", email="anna@example.nl",
                                             password="wrong pw!"),
            "unknown address": lambda n: post("/account/login", email=f"nobody{n}@example.nl",
                                              password="wrong pw!"),
        },
    }
    print(f"{'pair':<16}{'path':<18}{'median ms':>10}{'p10':>8}{'p90':>8}   ratio")
    for pair, paths in pairs.items():
        found = timings(paths, rounds if pair == "password reset" else max(4, rounds // 8))
        medians = {name: statistics.median(values) for name, values in found.items()}
        first, second = medians.values()
        for name, values in found.items():
            deciles = statistics.quantiles(values, n=10)
            print(f"{pair:<16}{name:<18}{medians[name]:>10.2f}{deciles[0]:>8.2f}"
                  f"{deciles[-1]:>8.2f}")
        print(f"{'':<34}{'':>26}   {first / second:.2f}")


if __name__ == "__main__":
    main()
