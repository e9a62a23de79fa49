"""How clearly the opinion groups stand apart: a calibrated check, shown beside the groups.

The groups are always shown (Pol.is always shows 2-5); this module says how much they mean.
In plain words:

* **The question.** Could answers without any groups, one cloud of opinion, give groups that
  look as separate as these? k-means splits any cloud, so a high silhouette alone proves
  nothing.
* **The one-group model.** A single Gaussian fitted to the participants' positions in the
  clustering space (same mean, same covariance: the same spread and the same correlations
  between the axes, but one group), before Pol.is's sparsity scaling; each drawn point then
  gets the scale of a random real participant, so the model has the real crowd's long tails
  of people who answered little. Shuffling each item separately (the old check) tested
  whether items are correlated, not whether people fall into groups; this model keeps the
  correlations and removes only the groups.
* **The test (parametric bootstrap).** The statistic is the mean silhouette of a k-means split
  into k groups of ``SAMPLE`` (200) points: once for a sample of the real positions, and for
  ``DRAWS`` (99) samples drawn from the one-group model. The p-value is
  ``(1 + draws at least as high) / (1 + DRAWS)``: the chance that one cloud gives separation
  this clear. It is exact under the model whatever the shape of the data.
* **Stability.** The same split on ``SUBSAMPLES`` (5) random 80% subsamples, compared with the
  groups shown by the adjusted Rand index (1 = the same groups every time).
* **The verdict.** ``strong`` when p <= 0.01 (no draw as high: the smallest p 99 draws can
  give) and stability >= 0.8; ``moderate`` when p <= 0.05 and stability >= 0.6; otherwise
  ``weak``: the groups are cuts through a continuum of opinion, useful to describe where
  people lean, not camps.

Everything runs on small samples with one BLAS thread; its cost is measured in
``benchmarks/analysis_bench.py`` (under 10% of a run).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from sklearn.metrics import adjusted_rand_score

from analysis.grouping import plus_plus
from analysis.threads import one_thread

__all__ = ["GroupStrength", "group_strength"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
Level = Literal["strong", "moderate", "weak"]

SAMPLE = 200
DRAWS = 99
SUBSAMPLES = 5
LLOYD_STEPS = 30


@dataclass(frozen=True)
class GroupStrength:
    """The check's outcome for a grouping into ``k`` groups (see the module docstring)."""

    level: Level
    p_value: float
    silhouette: float
    null_silhouette: float
    stability: float
    draws: int


def group_strength(
    feats: FloatArray,
    labels: IntArray,
    k: int,
    *,
    scales: FloatArray | None = None,
    random_state: int = 0,
) -> GroupStrength | None:
    """Check the grouping ``labels`` (0..k-1) of the points ``feats`` (rows x dims).

    ``scales`` are the rows' sparsity scales (Pol.is's ``sqrt(n_items / n_votes)``): the
    one-group model is then fitted to the unscaled positions and each drawn point gets the
    scale of a random real participant, so people who answered little spread the model's
    cloud as they spread the real one. Returns None when there is nothing to check (fewer
    than 2 groups or too few points).
    """
    n = feats.shape[0]
    if k < 2 or n < 3 * k:
        return None
    rng = np.random.default_rng(random_state + 104_729)
    m = min(SAMPLE, n)
    with one_thread():
        observed = _split_silhouette(feats[rng.choice(n, size=m, replace=False)], k, rng)
        scale = np.ones(n) if scales is None else np.asarray(scales, dtype=np.float64)
        raw = feats / scale[:, None]
        mean = raw.mean(axis=0)
        cov = np.atleast_2d(np.cov(raw, rowvar=False))
        null = np.array([
            _split_silhouette(
                rng.multivariate_normal(mean, cov, size=m, method="eigh")
                * rng.choice(scale, size=m)[:, None], k, rng)
            for _ in range(DRAWS)
        ])
        stability = _stability(feats, labels, k, rng)
    p_value = float((1 + np.sum(null >= observed)) / (1 + DRAWS))
    return GroupStrength(
        level=_level(p_value, stability),
        p_value=p_value,
        silhouette=float(observed),
        null_silhouette=float(np.mean(null)),
        stability=stability,
        draws=DRAWS,
    )


def _level(p_value: float, stability: float) -> Level:
    if p_value <= 0.01 and stability >= 0.8:
        return "strong"
    if p_value <= 0.05 and stability >= 0.6:
        return "moderate"
    return "weak"


def _stability(feats: FloatArray, labels: IntArray, k: int, rng: np.random.Generator) -> float:
    n = feats.shape[0]
    size = min(max(int(0.8 * n), 2 * k), 2_000)
    scores = []
    for _ in range(SUBSAMPLES):
        rows = rng.choice(n, size=min(size, n), replace=False)
        _, found = _kmeans(feats[rows], k, rng)
        scores.append(adjusted_rand_score(labels[rows], found))
    return float(np.mean(scores))


def _split_silhouette(points: FloatArray, k: int, rng: np.random.Generator) -> float:
    _, found = _kmeans(points, k, rng)
    return _silhouette(points, found, k)


def _kmeans(points: FloatArray, k: int, rng: np.random.Generator) -> tuple[float, IntArray]:
    """Plain Lloyd's k-means from a k-means++ start (small inputs only)."""
    centres = plus_plus(points, k, rng)
    sq = (points * points).sum(axis=1)
    nearest = np.zeros(points.shape[0], dtype=np.int64)
    for step in range(LLOYD_STEPS):
        dist = sq[:, None] - 2.0 * points @ centres.T + (centres * centres).sum(axis=1)[None, :]
        found = dist.argmin(axis=1)
        if step and np.array_equal(found, nearest):
            break
        nearest = found
        member = np.eye(k)[nearest]
        counts = member.sum(axis=0)
        live = counts > 0
        centres[live] = (member.T @ points)[live] / counts[live, None]
    cost = float(np.maximum(dist.min(axis=1), 0.0).sum())
    return cost, nearest.astype(np.int64)


def _silhouette(points: FloatArray, labels: IntArray, k: int) -> float:
    """Mean silhouette (0 for a point alone in its group), as scikit-learn defines it."""
    sq = (points * points).sum(axis=1)
    dist = np.sqrt(np.maximum(sq[:, None] + sq[None, :] - 2.0 * points @ points.T, 0.0))
    member = labels[:, None] == np.arange(k)[None, :]
    counts = member.sum(axis=0).astype(np.float64)
    sums = dist @ member
    own = counts[labels]
    a = np.where(own > 1, sums[np.arange(len(labels)), labels] / np.maximum(own - 1, 1), 0.0)
    other = np.where(member | (counts[None, :] == 0), np.inf, sums / np.maximum(counts, 1))
    b = other.min(axis=1)
    s = np.where((own > 1) & np.isfinite(b), (b - a) / np.maximum(np.maximum(a, b), 1e-12), 0.0)
    return float(s.mean())
