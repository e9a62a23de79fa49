"""Opinion shift: did the same respondents answer differently after (e.g.) the dialogue?

``before`` and ``after`` are respondents x items matrices with rows aligned (row i is the same
person in both). In plain words, per item:

* Only respondents who answered the item both times count (``n`` pairs).
* ``mean_before``, ``mean_after`` and ``mean_change`` (after - before) over those pairs.
* ``p_wilcoxon``: two-sided Wilcoxon signed-rank test on the paired differences
  (:func:`scipy.stats.wilcoxon`, ``zero_method="wilcox"``: pairs without change are dropped,
  as usual for the test; exact or normal approximation as scipy chooses).
* ``p_ttest``: two-sided paired t-test (:func:`scipy.stats.ttest_rel`), for reference.
* ``rank_biserial``: matched-pairs rank-biserial correlation, the effect size that goes with the
  signed-rank test: ``(R+ - R-) / (R+ + R-)`` over the ranks of the non-zero absolute
  differences. +1 = everyone who changed moved up, -1 = everyone moved down, 0 = balanced.
* ``cohens_dz``: mean difference divided by the standard deviation of the differences.
* ``ci_low``, ``ci_high``: the 95% confidence interval of ``mean_change`` (Student's t on the
  paired differences; ``None`` below 2 pairs, and equal to the change when nobody differs).
* ``p_sign``: the exact two-sided sign test (:func:`scipy.stats.binomtest` on the number of
  people who moved up among those who moved). It is exact whatever the ties, which the
  signed-rank test's exact form is not: answers on a 5-point scale tie all the time. This
  is the test the pages show.
* ``too_few``: fewer than ``TOO_FEW`` (10) pairs: the figures are shown with "too few to
  say", and no test is read as evidence.

Graceful cases: fewer than 2 pairs gives None for the tests and effect sizes; when nobody
changed (all differences 0) the p-values are 1.0 and both effect sizes 0.0; when everyone
changed by the same non-zero amount the t-test and d_z are undefined (None) but the
signed-rank test and rank-biserial still work.

Per principle (when ``item_principles`` maps item index -> principle code or codes): each
respondent's score for a principle is the mean of their answers on that principle's items
(ignoring unanswered ones), before and after; the same paired statistics are then computed on
those scores (pairs where the respondent has a score both times).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from analysis.errors import AnalysisInputError
from analysis.validation import as_score_matrix

__all__ = ["TOO_FEW", "OpinionShift", "ShiftStats", "opinion_shift", "paired_shift"]

FloatArray = NDArray[np.float64]
TOO_FEW = 10


@dataclass(frozen=True)
class ShiftStats:
    """Paired before/after statistics for one item or principle."""

    n: int
    mean_before: float | None
    mean_after: float | None
    mean_change: float | None
    p_wilcoxon: float | None
    p_ttest: float | None
    rank_biserial: float | None
    cohens_dz: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    p_sign: float | None = None

    @property
    def too_few(self) -> bool:
        return self.n < TOO_FEW


@dataclass(frozen=True)
class OpinionShift:
    """Shift per item (in column order) and per principle code."""

    items: list[ShiftStats]
    principles: dict[str, ShiftStats]


def paired_shift(before: ArrayLike, after: ArrayLike) -> ShiftStats:
    """Paired statistics for two equally long 1-D arrays (NaN pairs are dropped)."""
    b = np.asarray(before, dtype=np.float64).ravel()
    a = np.asarray(after, dtype=np.float64).ravel()
    both = ~np.isnan(b) & ~np.isnan(a)
    b, a = b[both], a[both]
    n = int(b.size)
    if n == 0:
        return ShiftStats(0, None, None, None, None, None, None, None)
    diff = a - b
    means = float(b.mean()), float(a.mean()), float(diff.mean())
    if n < 2:
        return ShiftStats(n, *means, None, None, None, None)
    nonzero = diff[diff != 0.0]
    if nonzero.size == 0:
        return ShiftStats(n, *means, 1.0, 1.0, 0.0, 0.0, means[2], means[2], 1.0)
    ranks = stats.rankdata(np.abs(nonzero))
    r_plus, r_minus = float(ranks[nonzero > 0].sum()), float(ranks[nonzero < 0].sum())
    rank_biserial = (r_plus - r_minus) / (r_plus + r_minus)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p_w = float(stats.wilcoxon(diff, zero_method="wilcox").pvalue)
    sd = float(diff.std(ddof=1))
    if sd > 0.0:
        dz: float | None = means[2] / sd
        p_t: float | None = float(stats.ttest_rel(a, b).pvalue)
        half = float(stats.t.ppf(0.975, n - 1)) * sd / np.sqrt(n)
        ci = (means[2] - half, means[2] + half)
    else:
        dz, p_t = None, None
        ci = (means[2], means[2])
    ups = int(np.sum(nonzero > 0))
    p_sign = float(stats.binomtest(ups, int(nonzero.size), 0.5).pvalue)
    return ShiftStats(n, *means, p_w, p_t, rank_biserial, dz, *ci, p_sign)


def _principle_map(
    item_principles: Mapping[int, str | Iterable[str]], n_items: int
) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for item, codes in item_principles.items():
        if not isinstance(item, int | np.integer) or not 0 <= int(item) < n_items:
            raise AnalysisInputError(
                f"item_principles keys must be item column indexes 0..{n_items - 1}, got {item!r}"
            )
        for code in [codes] if isinstance(codes, str) else list(codes):
            groups.setdefault(str(code), []).append(int(item))
    return groups


def _row_means(x: FloatArray, cols: list[int]) -> FloatArray:
    sub = x[:, cols]
    seen = ~np.isnan(sub)
    counts = seen.sum(axis=1)
    totals = np.where(seen, sub, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, totals / np.maximum(counts, 1), np.nan)


def opinion_shift(
    before: ArrayLike,
    after: ArrayLike,
    *,
    item_principles: Mapping[int, str | Iterable[str]] | None = None,
) -> OpinionShift:
    """Per item and per principle paired shift between ``before`` and ``after``."""
    b = as_score_matrix(before, name="before")
    a = as_score_matrix(after, name="after")
    if b.shape != a.shape:
        raise AnalysisInputError(
            f"before and after must have the same shape (same people, same items), "
            f"got {b.shape} and {a.shape}"
        )
    items = [paired_shift(b[:, j], a[:, j]) for j in range(b.shape[1])]
    principles: dict[str, ShiftStats] = {}
    if item_principles:
        for code, cols in sorted(_principle_map(item_principles, b.shape[1]).items()):
            principles[code] = paired_shift(_row_means(b, cols), _row_means(a, cols))
    return OpinionShift(items, principles)
