"""The ``python -m analysis cluster`` command."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from analysis.cli import main
from analysis.synthetic import planted_opinions

ROOT = Path(__file__).resolve().parents[2]


def _write(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _cell(value: float) -> str:
    return "" if np.isnan(value) else str(int(value))


def _polis_export(tmp_path: Path) -> tuple[Path, np.ndarray, np.ndarray]:
    matrix, truth = planted_opinions(120, 12, 2, noise=0.4, missing=0.2, random_state=1)
    matrix[:3, 2:] = np.nan  # three respondents with too few answers
    header = ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"]
    header += [str(t) for t in range(12)]
    rows = []
    for i, row in enumerate(matrix):
        seen = row[~np.isnan(row)]
        rows.append(
            [f"p{i}", "", 12, seen.size, int((seen > 0).sum()), int((seen < 0).sum())]
            + [_cell(v) for v in row]
        )
    return _write(tmp_path / "participants-votes.csv", header, rows), matrix, truth


def test_polis_export_is_clustered(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, matrix, truth = _polis_export(tmp_path)
    out = tmp_path / "groups.csv"
    assert main(["cluster", str(path), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    sparse = int((np.sum(~np.isnan(matrix), axis=1) < 7).sum())
    assert sparse >= 3
    assert f"respondents: 120, items: 12, not clustered: {sparse}" in printed
    assert "groups: 2 (" in printed and "silhouette: 0." in printed
    with out.open() as fh:
        rows = list(csv.DictReader(fh))
    assert [r["respondent"] for r in rows] == [f"p{i}" for i in range(120)]
    assert [r["group"] for r in rows[:3]] == ["", "", ""]
    kept = [i for i, r in enumerate(rows) if r["group"]]
    assert len(kept) == 120 - sparse
    groups = np.array([int(rows[i]["group"]) for i in kept])
    assert adjusted_rand_score(truth[kept], groups) >= 0.9


def test_fixed_k(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, _, _ = _polis_export(tmp_path)
    assert main(["cluster", str(path), "--k", "3"]) == 0
    assert "groups: 3 (" in capsys.readouterr().out


def test_bad_cell_gives_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path / "bad.csv", ["id", "q1", "q2"], [["a", 1, -1], ["b", "yes", 0]])
    assert main(["cluster", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        f"error: {path}: line 3 (respondent 'b'), column 'q1': 'yes' is not a number "
        "(use 1, -1, 0 or leave empty)"
    )


@pytest.mark.parametrize(
    ("header", "rows", "message"),
    [
        (["id", "q1"], [["a", 3]], "'3' is outside [-1, 1]"),
        (["id", "q1"], [], "has no respondents"),
        (["id"], [["a"]], "has no item columns"),
        (["id", "q1"], [["a", 1, 1]], "line 2 has 3 cells but the header has 2"),
        (["id", "q1", "q2"], [["a", 1, 1]], "need at least 2 respondents"),
    ],
)
def test_other_errors(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    header: list[str],
    rows: list[list[object]],
    message: str,
) -> None:
    path = _write(tmp_path / "in.csv", header, rows)
    assert main(["cluster", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and err.count("\n") == 1


def test_missing_and_empty_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cluster", str(tmp_path / "nope.csv")]) == 2
    assert "cannot read" in capsys.readouterr().err
    (tmp_path / "empty.csv").write_text("")
    assert main(["cluster", str(tmp_path / "empty.csv")]) == 2
    assert "is empty" in capsys.readouterr().err


def test_module_entry_point_in_a_subprocess(tmp_path: Path) -> None:
    path = _write(tmp_path / "bad.csv", ["id", "q1"], [["a", "x"]])
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "cluster", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and done.stderr.startswith("error: ")
