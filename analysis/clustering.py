"""Opinion groups: Pol.is's map and its two-level grouping (the default), k from 2 to 5.

The maths, in plain words:

* **Who is grouped.** :func:`analysis.grouping.participants`: at least ``min(min_answers,
  n_items)`` answers (Pol.is's "in-conv" rule, default 7), topped up to 15 by the most active
  others in a small conversation. Everyone else gets label -1 but is still projected, so
  ``coords`` has a finite position for every row. (Pol.is's set is also sticky between
  updates; a batch computation applies the rule to the data as it is.)
* **Map.** :mod:`analysis.pca` gives the Pol.is PCA on all respondents (column-mean imputation,
  two components, ``sqrt(n_items / n_answered)`` scaling of each respondent's projection).
* **Clustering space.** Pol.is clusters in its 2-D map. Two dimensions cannot hold more than
  three groups apart, so by default (``space="pca"``) we use the same sparsity-aware
  projection onto as many leading components as carry signal: components are kept while their
  eigenvalue is more than ``SIGNAL_FACTOR`` (1.5) times the same-rank eigenvalue of the data
  with every item shuffled between respondents (Horn's parallel analysis), at least 2 and at
  most ``max_k - 1`` (``dims``). On the five real Pol.is conversations in the tests this is 2,
  i.e. exactly the Pol.is map. ``space="map"`` forces the 2-D map; ``space="full"`` uses the
  whole centred, imputed, scaled answer vector.
* **Groups.** :mod:`analysis.grouping`: up to 100 base clusters (k-means; fitted on a random
  sample of at most ``fit_sample`` participants, everybody then goes to the nearest centre),
  then the base-cluster centres, weighted by size, are clustered for each k from 2 to
  ``min(max_k, 2 + n_base // 12)``; the k whose base clusters have the best mean silhouette
  wins, smoothed over refreshes by :func:`analysis.grouping.smooth_k` (pass the last run's
  ``state`` as ``previous``: the k smoother and each k's group centres, which start the next
  k-means as Pol.is's "last clusters" do). A first run, with no last clusters, takes for
  each k the most typical of many k-means clusterings of the base clusters (the one that
  agrees most with the others; :func:`analysis.grouping.group_clusterings`). Everybody
  then joins the nearest group centre (Pol.is moves whole base clusters; for conversations
  of up to 100 participants, where each participant is a base cluster, that is the same).
  The result always has 2 to 5 groups unless the data cannot hold two (every participant
  answered alike) or an official asks for ``k=1``.
* **Agreement with Pol.is.** Our positions equal Pol.is's to floating-point precision, and on
  Pol.is's own base clusters our group step gives exactly its groups. Pol.is's groups also
  depend on its history (who joined early stays in; each refresh starts from the last
  groups), which a first run cannot know: continuing from Pol.is's state (its ``in-conv`` as
  ``keep_in``, its group centres and k as ``previous``) gives its groups on all five
  reference conversations (ARI 0.96-1.0); a cold first run agrees less: ARI 0.41 / 0.85 /
  0.90 / 1.00 / 0.93 (mean 0.82). On the first (below-100-ptpts) Pol.is's groups are a poor
  k-means optimum that only its history reaches.
* **Silhouettes shown.** ``silhouettes`` holds, per k, the mean silhouette of the
  participants (a random sample of at most ``silhouette_sample``; never all pairs, which is
  O(n²)) for that k's grouping; ``silhouette`` is the shown k's. ``base_silhouettes`` are the
  base-cluster scores that chose k.
* **Strength.** ``strength`` (:mod:`analysis.strength`) says how clearly the shown groups
  stand apart: a parametric bootstrap against a one-group model fitted to the positions, the
  silhouette and the stability over subsamples, summed up as strong / moderate / weak. It is
  shown beside the groups and never used to hide them.
* **Labels.** Groups are numbered by size, largest first (0, 1, ...). ``centroids`` are the
  group means in the 2-D ``coords`` space (what a map shows); ``item_means`` holds each group's
  mean answer per item (NaN when nobody in the group answered the item).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.metrics import silhouette_score

from analysis import grouping
from analysis.errors import AnalysisInputError
from analysis.grouping import GroupingState
from analysis.pca import (
    CHUNK_ROWS,
    PCAResult,
    centred_rows,
    polis_pca,
    project,
    sparsity_scale,
)
from analysis.strength import GroupStrength, group_strength
from analysis.threads import one_thread, single_threaded
from analysis.validation import as_score_matrix

__all__ = ["GroupingState", "OpinionClusters", "cluster_opinions"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
Space = Literal["pca", "map", "full"]

SIGNAL_FACTOR = 1.5


@dataclass(frozen=True)
class OpinionClusters:
    """Result of :func:`cluster_opinions`; see the module docstring for the meaning."""

    labels: IntArray
    k: int
    coords: FloatArray
    components: FloatArray
    center: FloatArray
    centroids: FloatArray
    item_means: FloatArray
    sizes: IntArray
    silhouette: float | None
    clustered: NDArray[np.bool_]
    silhouettes: dict[int, float] = field(default_factory=dict)
    space: str = "pca"
    dims: int = 2
    base_silhouettes: dict[int, float] = field(default_factory=dict)
    state: GroupingState = field(default_factory=GroupingState)
    n_base: int = 0
    strength: GroupStrength | None = None


@single_threaded
def cluster_opinions(
    matrix: ArrayLike,
    *,
    k: int | None = None,
    max_k: int = 5,
    min_answers: int = 7,
    random_state: int = 0,
    space: Space = "pca",
    exclude_items: ArrayLike | None = None,
    fit_sample: int = 20_000,
    silhouette_sample: int = 3_000,
    previous: GroupingState | dict[str, Any] | None = None,
    keep_in: ArrayLike | None = None,
    check_strength: bool = True,
    progress: Callable[[str], None] | None = None,
) -> OpinionClusters:
    """Group respondents by their answers (respondents x items, scores in [-1, 1], NaN = none).

    ``k`` fixes the number of groups (1 to 5: an official's choice); otherwise it is chosen
    from 2..``max_k`` as Pol.is does, smoothed with ``previous`` (the last run's ``state``).
    ``check_strength`` adds :func:`analysis.strength.group_strength` (how clearly the groups
    stand apart; never used to hide them). ``keep_in`` marks respondents grouped in an
    earlier refresh: they stay grouped (Pol.is's "once in, always in"), as long as they
    answered something.
    ``exclude_items`` is an optional boolean mask of items to leave out of the map and the
    clustering (e.g. moderated-out statements). ``progress`` receives short status messages.
    Raises :class:`AnalysisInputError` for unusable input.
    """
    x = as_score_matrix(matrix)
    n_rows, n_items = x.shape
    if space not in ("pca", "map", "full"):
        raise AnalysisInputError(f"space must be 'pca', 'map' or 'full', got {space!r}")
    if min_answers < 1:
        raise AnalysisInputError("min_answers must be at least 1")
    if max_k < 1:
        raise AnalysisInputError("max_k must be at least 1")
    exclude = _exclude_mask(exclude_items, n_items)
    say = progress or (lambda _msg: None)
    state = previous if isinstance(previous, GroupingState) else GroupingState.from_dict(previous)

    say(f"map: PCA of {n_rows} respondents x {n_items} items")
    wide = polis_pca(x, exclude=exclude, n_components=max(2, max_k - 1))
    pca = replace(
        wide, components=wide.components[:2], explained_variance=wide.explained_variance[:2]
    )
    if int(np.sum(pca.n_answered)) == 0:
        raise AnalysisInputError("the matrix holds no answers at all (every cell is empty)")
    clustered = grouping.participants(pca.n_answered, min_answers, n_items)
    if keep_in is not None:
        clustered |= _row_mask(keep_in, n_rows) & (pca.n_answered > 0)
    n_clustered = int(clustered.sum())
    if n_clustered < 2:
        raise AnalysisInputError(
            f"need at least 2 respondents with answers to form groups, got {n_clustered}"
        )
    k_cap = min(n_clustered, max(max_k, 5))
    if k is not None and not 1 <= k <= k_cap:
        raise AnalysisInputError(
            f"k must lie between 1 and {k_cap} (at most 5 and at most the {n_clustered} "
            f"grouped respondents), got {k}"
        )
    coords = project(x, pca)
    rows = np.flatnonzero(clustered)
    rng = np.random.default_rng(random_state)
    fit_rows = _sample(rows, fit_sample, rng)
    if space == "pca":
        dims = _signal_dims(centred_rows(x, fit_rows, wide), wide.components.shape[0], rng)
        wide = replace(wide, components=wide.components[:dims])
    else:
        dims = 2 if space == "map" else int(wide.used.sum())
    feats_of = _FeatureMaker(x, coords, wide, space)

    say(f"base clusters of {fit_rows.size} respondents")
    centres, sizes_base = _base_clusters(feats_of, rows, fit_rows)
    n_base = int(centres.shape[0])

    k_max = grouping.max_groups(max_k, n_base)
    ks = range(2, max(k_max, k or 0) + 1)
    say(f"groups for k in 2..{ks.stop - 1}")
    by_k, base_scores, group_centres = grouping.group_clusterings(
        centres, sizes_base, ks, state.centres, random_state
    )
    auto = {kk: v for kk, v in base_scores.items() if kk <= k_max}
    smoother = state.k
    if auto:
        smoother = grouping.smooth_k(grouping.best_k(auto), smoother, set(auto))
    state = GroupingState(k=smoother, centres=group_centres)
    if k is None:
        k = smoother.smoothed_k if auto and smoother.smoothed_k is not None else 1
    elif k >= 2 and k not in by_k:
        raise AnalysisInputError(f"the answers cannot be split into {k} groups")

    sil_rows = _sample(rows, silhouette_sample, rng)
    sil_feats = feats_of(sil_rows)
    silhouettes = {
        kk: value
        for kk in by_k
        if (value := _safe_silhouette(
            sil_feats, grouping.nearest_centre(group_centres[kk], sil_feats))) is not None
    }
    labels = np.full(n_rows, -1, dtype=np.int64)
    if k == 1:
        labels[rows] = 0
    else:
        for start in range(0, rows.size, CHUNK_ROWS):
            part = rows[start : start + CHUNK_ROWS]
            labels[part] = grouping.nearest_centre(group_centres[k], feats_of(part))
        labels = _relabel_by_size(labels, k)
    sizes = np.bincount(labels[rows], minlength=k).astype(np.int64)
    strength = None
    if check_strength and k >= 2:
        say("checking how clearly the groups stand apart")
        strength = group_strength(sil_feats, labels[sil_rows], k, random_state=random_state,
                                  scales=sparsity_scale(x[sil_rows], wide))
    centroids = np.vstack(
        [coords[labels == g].mean(axis=0) if sizes[g] else np.full(2, np.nan) for g in range(k)]
    )
    return OpinionClusters(
        labels=labels,
        k=int(k),
        coords=coords,
        components=pca.components,
        center=pca.center,
        centroids=centroids,
        item_means=_item_means(x, labels, k),
        sizes=sizes,
        silhouette=silhouettes.get(k) if k >= 2 else None,
        clustered=clustered,
        silhouettes=silhouettes,
        space=space,
        dims=dims,
        base_silhouettes=base_scores,
        state=state,
        n_base=n_base,
        strength=strength,
    )


class _FeatureMaker:
    """The clustering features of given rows (the space the groups are found in)."""

    def __init__(self, x: FloatArray, coords: FloatArray, pca: PCAResult, space: Space) -> None:
        self.x, self.coords, self.pca, self.space = x, coords, pca, space

    def __call__(self, rows: NDArray[np.int64]) -> FloatArray:
        return _features(self.x, rows=rows, coords=self.coords, pca=self.pca, space=self.space)


def _exclude_mask(exclude_items: ArrayLike | None, n_items: int) -> NDArray[np.bool_] | None:
    if exclude_items is None:
        return None
    mask = np.asarray(exclude_items, dtype=bool)
    if mask.shape != (n_items,):
        raise AnalysisInputError(
            f"exclude_items must be a boolean mask of length {n_items}, got shape {mask.shape}"
        )
    return mask


def _base_clusters(
    feats_of: _FeatureMaker, rows: NDArray[np.int64], fit_rows: NDArray[np.int64]
) -> tuple[FloatArray, IntArray]:
    """Base-cluster centres fitted on ``fit_rows`` and their sizes over all ``rows``."""
    centres = grouping.fit_base_clusters(feats_of(fit_rows))
    sizes = np.zeros(centres.shape[0], dtype=np.int64)
    for start in range(0, rows.size, CHUNK_ROWS):
        part = grouping.nearest_centre(centres, feats_of(rows[start : start + CHUNK_ROWS]))
        sizes += np.bincount(part, minlength=centres.shape[0])
    kept = sizes > 0
    return centres[kept], sizes[kept]


def _row_mask(rows: ArrayLike, n_rows: int) -> NDArray[np.bool_]:
    mask = np.asarray(rows, dtype=bool)
    if mask.shape != (n_rows,):
        raise AnalysisInputError(
            f"keep_in must be a boolean mask of length {n_rows}, got shape {mask.shape}"
        )
    return mask


def _sample(index: NDArray[np.int64], size: int, rng: np.random.Generator) -> NDArray[np.int64]:
    if index.size <= size:
        return index
    return np.sort(rng.choice(index, size=size, replace=False))


def _features(
    x: FloatArray,
    *,
    rows: NDArray[np.int64],
    coords: FloatArray,
    pca: PCAResult,
    space: Space,
) -> FloatArray:
    if space == "map":
        return coords[rows]
    if space == "pca":
        return project(x[rows], pca)
    return centred_rows(x, rows, pca) * sparsity_scale(x[rows], pca)[:, None]


def _signal_dims(centred: FloatArray, cap: int, rng: np.random.Generator) -> int:
    """Leading components that stand out from noise (parallel analysis), between 2 and cap."""
    if cap <= 2 or centred.shape[0] < 3:
        return min(2, cap)
    values = np.sort(np.linalg.eigvalsh(centred.T @ centred))[::-1]
    null = np.zeros_like(values)
    for _ in range(2):
        shuffled = np.column_stack([rng.permutation(col) for col in centred.T])
        null += np.sort(np.linalg.eigvalsh(shuffled.T @ shuffled))[::-1] / 2
    dims = 0
    while dims < cap and values[dims] > SIGNAL_FACTOR * null[dims]:
        dims += 1
    return max(2, dims)


def _safe_silhouette(feats: FloatArray, labels: NDArray[np.int64]) -> float | None:
    n_labels = np.unique(labels).size
    if n_labels < 2 or n_labels >= feats.shape[0]:
        return None
    with one_thread():
        return float(silhouette_score(feats, labels))


def _relabel_by_size(labels: IntArray, k: int) -> IntArray:
    sizes = np.bincount(labels[labels >= 0], minlength=k)
    order = np.argsort(-sizes, kind="stable")
    mapping = np.empty(k, dtype=np.int64)
    mapping[order] = np.arange(k)
    out = labels.copy()
    out[labels >= 0] = mapping[labels[labels >= 0]]
    return out


def _item_means(x: FloatArray, labels: IntArray, k: int) -> FloatArray:
    sums = np.zeros((k, x.shape[1]))
    counts = np.zeros((k, x.shape[1]))
    for start in range(0, x.shape[0], CHUNK_ROWS):
        block = x[start : start + CHUNK_ROWS]
        lab = labels[start : start + CHUNK_ROWS]
        seen = ~np.isnan(block)
        vals = np.where(seen, block, 0.0)
        for g in range(k):
            sel = lab == g
            sums[g] += vals[sel].sum(axis=0)
            counts[g] += seen[sel].sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
