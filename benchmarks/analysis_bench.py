"""Benchmark the analysis package: time and peak memory per case, printed as JSON.

Usage::

    PYTHONPATH=. python benchmarks/analysis_bench.py                      # everything
    PYTHONPATH=. python benchmarks/analysis_bench.py --sizes 10k,100k      # clustering subset
    PYTHONPATH=. python benchmarks/analysis_bench.py --sizes 1m --text-sizes none

Each case runs in its own subprocess so the memory figures are separate. Per case:
``seconds`` (wall time of the call), ``tracemalloc_peak_mb`` (peak of memory allocated during
the call, numpy arrays included, the input excluded), ``input_mb`` (the synthetic input) and
``max_rss_mb`` (the whole subprocess's peak resident size, input generation included).
For clustering also ``strength_seconds``: the group-strength check alone (it works on a
sample of at most 3,000 respondents, so its cost does not grow with n; timed again after the
run) and ``strength_share``, its part of the run.
Inputs: ``planted_opinions(n, 30, k=3, noise=0.6, missing=0.3)`` and ``planted_texts(n, "nl")``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
import tracemalloc
from typing import Any

SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
TEXT_SIZES = {"10k": 10_000, "100k": 100_000}
GOALS = {"cluster/100k": 5.0, "cluster/1m": 60.0}


def _run_case(kind: str, n: int) -> dict[str, Any]:
    import numpy as np

    from analysis import cluster_opinions, text_topics
    from analysis.synthetic import planted_opinions, planted_texts

    if kind == "cluster":
        matrix, _ = planted_opinions(n, 30, 3, noise=0.6, missing=0.3, random_state=0)
        input_mb = matrix.nbytes / 2**20
        tracemalloc.start()
        start = time.perf_counter()
        result = cluster_opinions(matrix, random_state=0)
        seconds = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        from analysis.strength import group_strength

        rows = np.flatnonzero(result.clustered)[:3_000]
        start = time.perf_counter()
        group_strength(result.coords[rows], result.labels[rows], result.k, random_state=0)
        strength_seconds = time.perf_counter() - start
        extra: dict[str, Any] = {
            "strength_seconds": round(strength_seconds, 3),
            "strength_share": round(strength_seconds / seconds, 3),
            "strength": result.strength.level if result.strength else None,
            "k": result.k,
            "sizes": [int(s) for s in result.sizes],
            "silhouette": result.silhouette,
            "clustered": int(np.sum(result.clustered)),
        }
    else:
        texts, _ = planted_texts(n, language="nl", n_themes=4, random_state=0)
        input_mb = sum(len(t) for t in texts) / 2**20
        tracemalloc.start()
        start = time.perf_counter()
        topics = text_topics(texts, language="nl", random_state=0)
        seconds = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        extra = {"n_topics": topics.n_topics, "top_terms": [t.terms[:3] for t in topics.topics]}
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "case": f"{kind}/{n}",
        "n": n,
        "seconds": round(seconds, 3),
        "tracemalloc_peak_mb": round(peak / 2**20, 1),
        "input_mb": round(input_mb, 1),
        "max_rss_mb": round(rss_mb, 1),
        **extra,
    }


def _in_subprocess(kind: str, n: int) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(n)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return {"case": f"{kind}/{n}", "error": done.stderr.strip().splitlines()[-1:]}
    return dict(json.loads(done.stdout))


def _pick(spec: str, table: dict[str, int]) -> list[int]:
    if spec.strip().lower() == "none":
        return []
    names = [s.strip().lower() for s in spec.split(",") if s.strip()]
    unknown = [s for s in names if s not in table]
    if unknown:
        raise SystemExit(f"unknown size(s) {unknown}; choose from {sorted(table)} or 'none'")
    return [table[s] for s in names]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1m", help="cluster sizes, e.g. 10k,100k")
    parser.add_argument("--text-sizes", default="10k,100k", help="text_topics sizes or 'none'")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_run_case(args.child[0], int(args.child[1]))))
        return
    results = []
    for n in _pick(args.sizes, SIZES):
        results.append(_in_subprocess("cluster", n))
        print(f"done cluster/{n}", file=sys.stderr, flush=True)
    for n in _pick(args.text_sizes, TEXT_SIZES):
        results.append(_in_subprocess("topics", n))
        print(f"done topics/{n}", file=sys.stderr, flush=True)
    print(json.dumps({"results": results}, indent=2))


if __name__ == "__main__":
    main()
