"""Opinion shift on synthetic before/after data."""

from __future__ import annotations

from math import comb

import numpy as np
import pytest
from scipy import stats

from analysis import opinion_shift
from analysis.shift import paired_shift


def _panel(shift: float, seed: int = 0, n: int = 200) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    before = np.clip(np.round(rng.normal(0.0, 0.5, size=(n, 4)) * 2) / 2, -1, 1)
    after = before.copy()
    after[:, 0] = np.clip(before[:, 0] + shift + rng.normal(0, 0.3, size=n), -1, 1)
    after[:, 1] = np.clip(before[:, 1] + rng.normal(0, 0.3, size=n), -1, 1)
    before[rng.random(size=before.shape) < 0.1] = np.nan
    return before, after


def test_known_shift_is_significant_and_no_shift_is_not() -> None:
    before, after = _panel(0.4)
    result = opinion_shift(before, after)
    moved, still, same = result.items[0], result.items[1], result.items[2]
    assert moved.p_wilcoxon is not None and moved.p_wilcoxon < 0.001
    assert moved.p_ttest is not None and moved.p_ttest < 0.001
    assert moved.mean_change is not None and 0.25 < moved.mean_change < 0.45
    assert moved.rank_biserial is not None and moved.rank_biserial > 0.5
    assert moved.cohens_dz is not None and moved.cohens_dz > 0.5
    assert still.p_wilcoxon is not None and still.p_wilcoxon > 0.05
    assert same.p_wilcoxon == 1.0 and same.rank_biserial == 0.0 and same.cohens_dz == 0.0
    n_pairs = int((~np.isnan(before[:, 0]) & ~np.isnan(after[:, 0])).sum())
    assert moved.n == n_pairs
    assert moved.mean_before == pytest.approx(
        np.nanmean(np.where(np.isnan(after[:, 0]), np.nan, before[:, 0]))
    )


def test_no_shift_mostly_not_significant() -> None:
    significant = 0
    for seed in range(20):
        before, after = _panel(0.0, seed=seed)
        p = opinion_shift(before, after).items[1].p_wilcoxon
        significant += p is not None and p < 0.05
    assert significant <= 3


def test_per_principle() -> None:
    before, after = _panel(0.4)
    result = opinion_shift(before, after, item_principles={0: "A", 1: ["A", "B"], 2: "B"})
    assert set(result.principles) == {"A", "B"}
    a, b = result.principles["A"], result.principles["B"]
    assert a.p_wilcoxon is not None and a.p_wilcoxon < 0.001 and a.mean_change > 0.1  # type: ignore[operator]
    assert b.p_wilcoxon is not None and b.p_wilcoxon > 0.01
    assert a.n > 150


def test_small_and_degenerate_samples() -> None:
    empty = paired_shift([np.nan, 1.0], [0.0, np.nan])
    assert empty.n == 0 and empty.mean_before is None and empty.p_wilcoxon is None
    one = paired_shift([0.5], [1.0])
    assert (
        one.n == 1 and one.mean_change == 0.5 and one.p_wilcoxon is None and one.cohens_dz is None
    )
    same_step = paired_shift([0.0] * 8, [0.5] * 8)
    assert same_step.cohens_dz is None and same_step.p_ttest is None
    assert same_step.rank_biserial == 1.0 and same_step.p_wilcoxon is not None
    assert same_step.p_wilcoxon < 0.05


def test_rank_biserial_sign_and_value() -> None:
    result = paired_shift([0, 0, 0, 0], [1, 0.5, -0.5, 1])
    # |d| ranks: 0.5 -> 1.5, 0.5 -> 1.5, 1 -> 3.5, 1 -> 3.5; R- = 1.5 of 10.
    assert result.rank_biserial == pytest.approx((8.5 - 1.5) / 10)


def test_exact_sign_test_interval_and_too_few_flag() -> None:
    # 12 pairs on a 5-point scale mapped to -1..1: 9 move up, 1 moves down, 2 stay.
    before = np.array([-0.5] * 12)
    after = np.array([0.0] * 8 + [0.5, -1.0, -0.5, -0.5])
    s = paired_shift(before, after)
    assert s.n == 12 and not s.too_few
    # exact two-sided: P(X >= 9 or X <= 1) for X ~ Bin(10, 1/2), 2 staying pairs dropped
    tail = sum(comb(10, i) for i in (0, 1, 9, 10)) / 2**10
    assert s.p_sign == pytest.approx(tail, rel=1e-12)
    diff = after - before
    half = stats.t.ppf(0.975, 11) * diff.std(ddof=1) / np.sqrt(12)
    assert s.ci_low == pytest.approx(diff.mean() - half) and s.ci_high == pytest.approx(
        diff.mean() + half)
    assert s.ci_low < s.mean_change < s.ci_high
    few = paired_shift(before[:9], after[:9])
    assert few.n == 9 and few.too_few and few.p_sign is not None


def test_nobody_changed_has_a_zero_width_interval() -> None:
    s = paired_shift([0.5] * 10, [0.5] * 10)
    assert s.ci_low == s.ci_high == 0.0 and s.p_sign == 1.0
