"""Command line: ``python -m analysis cluster FILE.csv [--k K] [--out GROUPS.csv]``.

Input: a respondents x items CSV with a header row. The first column is the respondent id;
every other column is an item, except the columns of a Pol.is participants-votes export that
are not votes (``group-id``, ``n-comments``, ``n-votes``, ``n-agree``, ``n-disagree``), which are
ignored. Cells are 1 (agree), -1 (disagree), 0 (pass) or empty (not answered); any number in
[-1, 1] is accepted.

Output: with ``--out``, a CSV ``respondent,group`` with one row per respondent in input order;
the group is empty for respondents who answered too few items to be clustered. A short summary
(number of groups, sizes, silhouette) is printed on stdout; progress on long runs on stderr.

Errors (unreadable file, a cell that is not a number, unusable data) give one line on stderr
starting with ``error:`` and exit code 2.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from analysis.clustering import OpinionClusters, cluster_opinions
from analysis.errors import AnalysisInputError

__all__ = ["main"]

IGNORED_COLUMNS = {"group-id", "n-comments", "n-votes", "n-agree", "n-disagree"}
PROGRESS_ROWS = 50_000


class CliError(Exception):
    """A problem to report in one line with exit code 2."""


def _progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def read_matrix(path: Path) -> tuple[list[str], list[str], np.ndarray]:
    """Read respondent ids, item names and the vote matrix from ``path``."""
    try:
        fh = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}") from None
    with fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if not header:
            raise CliError(f"{path} is empty (expected a header row)")
        keep = [j for j, name in enumerate(header) if j > 0 and name.strip() not in IGNORED_COLUMNS]
        items = [header[j] for j in keep]
        if not items:
            raise CliError(f"{path} has no item columns")
        ids: list[str] = []
        rows: list[list[float]] = []
        for line_no, row in enumerate(reader, start=2):
            if not row or all(not cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                raise CliError(
                    f"{path}: line {line_no} has {len(row)} cells but the header has {len(header)}"
                )
            row = row + [""] * (len(header) - len(row))
            values = []
            for j in keep:
                cell = row[j].strip()
                if not cell:
                    values.append(math.nan)
                    continue
                try:
                    value = float(cell)
                except ValueError:
                    raise CliError(
                        f"{path}: line {line_no} (respondent {row[0]!r}), column {header[j]!r}: "
                        f"{cell!r} is not a number (use 1, -1, 0 or leave empty)"
                    ) from None
                if not -1.0 <= value <= 1.0:
                    raise CliError(
                        f"{path}: line {line_no} (respondent {row[0]!r}), column {header[j]!r}: "
                        f"{cell!r} is outside [-1, 1]"
                    )
                values.append(value)
            ids.append(row[0])
            rows.append(values)
            if len(rows) % PROGRESS_ROWS == 0:
                _progress(f"read {len(rows)} respondents")
    if not rows:
        raise CliError(f"{path} has no respondents (only a header row)")
    return ids, items, np.asarray(rows, dtype=np.float64)


def write_groups(path: Path, ids: Sequence[str], result: OpinionClusters) -> None:
    try:
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["respondent", "group"])
            for rid, label in zip(ids, result.labels, strict=True):
                writer.writerow([rid, "" if label < 0 else int(label)])
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror or exc}") from None


def summary(result: OpinionClusters, n_items: int) -> str:
    n_unclustered = int((~result.clustered).sum())
    sizes = ", ".join(f"group {g}: {int(s)}" for g, s in enumerate(result.sizes))
    sil = "n/a (one group)" if result.silhouette is None else f"{result.silhouette:.3f}"
    return "\n".join(
        [
            f"respondents: {result.labels.size}, items: {n_items}, not clustered: {n_unclustered}",
            f"groups: {result.k} ({sizes})",
            f"silhouette: {sil}",
        ]
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    cluster = sub.add_parser("cluster", help="find opinion groups in a respondents x items CSV")
    cluster.add_argument("file", type=Path, help="CSV: respondent id, then one column per item")
    cluster.add_argument("--k", type=int, default=None, help="number of groups (default: chosen)")
    cluster.add_argument("--max-k", type=int, default=5, help="largest k to try (default 5)")
    cluster.add_argument("--min-answers", type=int, default=7, help="answers needed (default 7)")
    cluster.add_argument("--seed", type=int, default=0, help="random state (default 0)")
    cluster.add_argument("--out", type=Path, default=None, help="write respondent,group CSV here")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        ids, items, matrix = read_matrix(args.file)
        large = matrix.shape[0] >= PROGRESS_ROWS
        result = cluster_opinions(
            matrix,
            k=args.k,
            max_k=args.max_k,
            min_answers=args.min_answers,
            random_state=args.seed,
            progress=_progress if large else None,
        )
        if args.out is not None:
            write_groups(args.out, ids, result)
    except (CliError, AnalysisInputError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(summary(result, len(items)))
    return 0
