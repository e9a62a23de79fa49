"""Benchmark free-text topics and guided coding at 10k and 100k answers; prints JSON.

Usage::

    PYTHONPATH=. python benchmarks/topics_coding_bench.py                 # 10k and 100k
    PYTHONPATH=. python benchmarks/topics_coding_bench.py --sizes 10k

Input: synthetic Dutch answers made from the hand-written set in tests/analysis/data: each
is one or two answers of one theme joined, with about one word in ten dropped, so the words
and their spread are those of real answers. Cases:

* ``topics`` - ``text_topics`` with automatic k (the stability criterion);
* ``coding-retrain`` - one ``suggest_codes`` call on features made once (training,
  cross-validation and suggestions for every answer), as after each confirmation, with 20
  coded answers per code, and with 10 % of the answers coded; ``features_seconds_once`` is
  the time to make the features (only when the answers change).

Goals (issue 13): topics < 10 s at 100k answers; a coding retrain < 1 s at 10k answers.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import numpy as np

SIZES = {"10k": 10_000, "100k": 100_000}
DATA = Path(__file__).resolve().parent.parent / "tests" / "analysis" / "data"


def synthetic_answers(n: int, random_state: int = 0) -> tuple[list[str], list[str]]:
    rows = [line.split("\t", 1) for line in
            (DATA / "free_text_nl.tsv").read_text(encoding="utf-8").splitlines()]
    by_theme: dict[str, list[str]] = {}
    for theme, text in rows:
        by_theme.setdefault(theme, []).append(text)
    themes = sorted(by_theme)
    rng = np.random.default_rng(random_state)
    texts, labels = [], []
    for _ in range(n):
        theme = themes[int(rng.integers(len(themes)))]
        pool = by_theme[theme]
        parts = [pool[int(i)] for i in rng.integers(len(pool), size=int(rng.integers(1, 3)))]
        words = " ".join(parts).split()
        keep = rng.random(len(words)) > 0.1
        texts.append(" ".join(w for w, k in zip(words, keep, strict=True) if k) or words[0])
        labels.append(theme)
    return texts, labels


CPU: dict[str, float] = {}


def _timed(call: Any) -> tuple[Any, float]:
    """The call's result and its wall-clock seconds; its CPU seconds (this process, all
    threads) go to ``CPU["last"]``: on a shared machine the wall clock also counts the time
    other programs held the cores."""
    start, cpu = time.perf_counter(), time.process_time()
    result = call()
    CPU["last"] = round(time.process_time() - cpu, 3)
    return result, round(time.perf_counter() - start, 3)


def run(sizes: list[str]) -> list[dict[str, Any]]:
    from sklearn.metrics import adjusted_rand_score

    from analysis import text_topics
    from analysis.coding import coding_features, suggest_codes

    out = []
    for name in sizes:
        n = SIZES[name]
        texts, labels = synthetic_answers(n)
        result, seconds = _timed(lambda t=texts: text_topics(t, language="nl"))
        out.append({"case": f"topics/{name}", "seconds": seconds, "cpu_seconds": CPU["last"],
                    "k": result.n_topics,
                    "ari": round(adjusted_rand_score(labels, result.assignments), 3),
                    "goal_seconds": 10.0 if n == 100_000 else None})
        truth = np.array(labels)
        features, feature_seconds = _timed(lambda t=texts: coding_features(list(t), "nl"))
        for coded_share, label in ((None, "20-per-code"), (0.1, "10-percent")):
            rng = np.random.default_rng(0)
            codes: list[str | None] = [None] * n
            if coded_share is None:
                for theme in sorted(set(labels)):
                    for i in rng.choice(np.flatnonzero(truth == theme), 20, replace=False):
                        codes[int(i)] = theme
            else:
                for i in rng.choice(n, int(n * coded_share), replace=False):
                    codes[int(i)] = labels[int(i)]
            suggestions, seconds = _timed(
                lambda t=texts, c=codes, f=features: suggest_codes(
                    t, c, language="nl", features=f))
            rest = [i for i, c in enumerate(codes) if c is None]
            accuracy = float(np.mean([suggestions.suggested[i] == labels[i] for i in rest]))
            out.append({"case": f"coding-retrain/{label}/{name}", "seconds": seconds,
                        "cpu_seconds": CPU["last"],
                        "features_seconds_once": feature_seconds,
                        "accuracy_uncoded": round(accuracy, 3),
                        "cv_accuracy": round(suggestions.cv_accuracy or 0, 3),
                        "uncoded_weight": suggestions.weight,
                        "goal_seconds": 1.0 if n == 10_000 else None})
        print(json.dumps(out[-3:]), flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k")
    args = parser.parse_args()
    results = run([s for s in args.sizes.split(",") if s])
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
