"""Opinion groups: Pol.is-style PCA followed by k-means with k chosen by silhouette.

The maths, in plain words:

* **Who is clustered.** A respondent is clustered when they answered at least
  ``min(min_answers, n_items)`` items (Pol.is's "in-conv" rule, default 7). Everyone else gets
  label -1 but is still projected, so ``coords`` has a finite position for every row.
  Pol.is's set is sticky (once in, always in, also when the number of items grows) and it
  pulls in the 15 most active voters when fewer than 15 qualify; a batch computation has no
  history, so we apply the rule to the data as it is. On the Pol.is fixtures our clustered set
  is therefore a subset of Pol.is's ``in-conv`` (e.g. 19 of 23 respondents).
* **Map.** :mod:`analysis.pca` gives the Pol.is PCA on all respondents (column-mean imputation,
  two components, ``sqrt(n_items / n_answered)`` scaling of each respondent's projection).
* **Clustering space.** Pol.is clusters in its 2-D map. Two dimensions cannot hold more
  than three groups apart (k groups need up to k-1 dimensions), so by default
  (``space="pca"``) we use the same sparsity-aware Pol.is projection onto as many leading
  components as carry signal: components are kept while their eigenvalue is more than
  ``SIGNAL_FACTOR`` (1.2) times the same-rank eigenvalue of the data with every item shuffled
  between respondents (Horn's parallel analysis), at least 2 and at most ``max_k - 1``
  (``dims`` in the result). On real conversations this is usually 2, i.e. exactly the Pol.is
  map. ``space="map"`` forces the 2-D map; ``space="full"`` uses the whole centred, imputed,
  scaled answer vector. Measured on planted groups (``planted_opinions``: 600 respondents x
  30 items, noise 0.6, 20% and 50% missing, 10 seeds each, k = 1..5, so 100 runs per space),
  the planted k was found in 97 runs with ``"pca"``, 87 with ``"full"`` (the imputed cells add
  noise in every dimension) and 67 with ``"map"`` (2 of 20 runs with 5 groups). That is why
  ``"pca"`` is the default; ``coords`` is always the 2-D Pol.is map.
* **k-means.** scikit-learn :class:`~sklearn.cluster.KMeans` (k-means++, several starts,
  fixed ``random_state``). Pol.is first makes 100 "base clusters" and then clusters those;
  that is a speed device for its incremental updates which we replace by fitting on a random
  sample of at most ``fit_sample`` respondents and assigning everybody else to the nearest
  centre. For 1M respondents this keeps the fit cheap and memory flat.
* **Choosing k.** For each k from 2 to ``min(max_k, 2 + n_clustered // 12)`` (Pol.is's cap),
  we compute the mean silhouette on one random sample of at most ``silhouette_sample``
  respondents (never all pairs: that is O(n²)). The k with the highest silhouette wins; ties
  go to the smaller k.
* **k = 1.** k-means finds "groups" in anything, and discrete votes projected with the
  sparsity scaling give silhouettes of 0.3-0.5 even without any opinion structure, so a fixed
  threshold does not work. Instead we compare with a permutation reference: the same
  answers shuffled between respondents item by item (each item keeps its answer mix and its
  missing cells, but no one's answers hang together any more) go through the same PCA,
  scaling and k-means, ``NULL_REPEATS`` (3) times; when the data's best silhouette is not at
  least ``NULL_MARGIN`` (0.05) above the best reference silhouette, we report one group
  (k = 1, silhouette None). ``allow_one_group=False`` switches this off and always picks the
  best k >= 2, as Pol.is does. Passing ``k`` skips the choice. Note: on the five real Pol.is
  conversations in the tests the reference is as good as the data (their groups are cuts
  through a continuum, not separate clouds), so the default reports one group for them.
* **Labels.** Groups are numbered by size, largest first (0, 1, ...). ``centroids`` are the
  group means in the 2-D ``coords`` space (what a map shows); ``item_means`` holds each group's
  mean answer per item (NaN when nobody in the group answered the item).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import silhouette_score
from threadpoolctl import threadpool_limits

from analysis.errors import AnalysisInputError
from analysis.pca import CHUNK_ROWS, PCAResult, centred_rows, polis_pca, project
from analysis.validation import as_score_matrix

__all__ = ["OpinionClusters", "cluster_opinions"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
Space = Literal["pca", "map", "full"]

NULL_MARGIN = 0.05
SIGNAL_FACTOR = 1.2
NULL_REPEATS = 3
N_INIT = 4


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
    allow_one_group: bool = True,
    progress: Callable[[str], None] | None = None,
) -> OpinionClusters:
    """Group respondents by their answers (respondents x items, scores in [-1, 1], NaN = none).

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

    say(f"map: PCA of {n_rows} respondents x {n_items} items")
    wide = polis_pca(x, exclude=exclude, n_components=max(2, max_k - 1))
    pca = replace(
        wide, components=wide.components[:2], explained_variance=wide.explained_variance[:2]
    )
    if int(np.sum(pca.n_answered)) == 0:
        raise AnalysisInputError("the matrix holds no answers at all (every cell is empty)")
    needed = min(min_answers, n_items)
    clustered = pca.n_answered >= needed
    n_clustered = int(clustered.sum())
    if n_clustered < 2:
        raise AnalysisInputError(
            f"need at least 2 respondents with {needed} or more answers to form groups, "
            f"got {n_clustered}"
        )
    if k is not None and not 1 <= k <= n_clustered:
        raise AnalysisInputError(
            f"k must lie between 1 and the number of clustered respondents ({n_clustered}), "
            f"got {k}"
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
    fit_feats = _features(x, rows=fit_rows, coords=coords, pca=wide, space=space)
    sil_local = _sample(np.arange(fit_rows.size), silhouette_sample, rng)

    silhouettes: dict[int, float] = {}
    if k is None:
        k_max = min(max_k, 2 + n_clustered // 12, _n_distinct(fit_feats))
        say(f"choosing k in 2..{k_max}")
        silhouettes = _silhouettes(fit_feats, sil_local, range(2, k_max + 1), random_state)
        chosen = 1
        if silhouettes:
            best_k = max(silhouettes, key=lambda kk: (silhouettes[kk], -kk))
            null_best = _null_silhouette(
                x[fit_rows[sil_local]],
                space=space,
                dims=dims,
                exclude=exclude,
                ks=range(2, k_max + 1),
                random_state=random_state,
            )
            if not allow_one_group or silhouettes[best_k] >= null_best + NULL_MARGIN:
                chosen = best_k
        k = chosen

    labels = np.full(n_rows, -1, dtype=np.int64)
    silhouette: float | None = None
    if k == 1:
        labels[rows] = 0
    else:
        say(f"fitting k-means with k={k} on {fit_rows.size} respondents")
        model = _kmeans(fit_feats, k, random_state)
        say(f"assigning {rows.size} respondents to groups")
        with threadpool_limits(limits=1):
            for start in range(0, rows.size, CHUNK_ROWS):
                part = rows[start : start + CHUNK_ROWS]
                feats = _features(x, rows=part, coords=coords, pca=wide, space=space)
                labels[part] = model.predict(feats)
        labels = _relabel_by_size(labels, k)
        if k in silhouettes:
            silhouette = silhouettes[k]
        else:
            fit_labels = labels[fit_rows][sil_local]
            silhouette = _safe_silhouette(fit_feats[sil_local], fit_labels)
    sizes = np.bincount(labels[rows], minlength=k).astype(np.int64)
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
        silhouette=silhouette,
        clustered=clustered,
        silhouettes=silhouettes,
        space=space,
        dims=dims,
    )


def _exclude_mask(exclude_items: ArrayLike | None, n_items: int) -> NDArray[np.bool_] | None:
    if exclude_items is None:
        return None
    mask = np.asarray(exclude_items, dtype=bool)
    if mask.shape != (n_items,):
        raise AnalysisInputError(
            f"exclude_items must be a boolean mask of length {n_items}, got shape {mask.shape}"
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
        return project(x[rows], replace(pca, n_answered=pca.n_answered[rows]))
    block = centred_rows(x, rows, pca)
    scale = np.sqrt(x.shape[1] / np.maximum(pca.n_answered[rows], 1))
    return block * scale[:, None]


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


def _n_distinct(feats: FloatArray, cap: int = 64) -> int:
    rounded = np.round(feats[: 5 * cap + 1000], 9)
    return int(min(cap, np.unique(rounded, axis=0).shape[0]))


def _kmeans(feats: FloatArray, k: int, random_state: int) -> KMeans:
    model = KMeans(n_clusters=k, n_init=N_INIT, random_state=random_state)
    # Fits run on samples of at most ``fit_sample`` rows, where OpenMP / BLAS threads cost more
    # than they gain (measured 30x slower on a busy 2-core machine); one thread is predictable.
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(feats)
    return model


def _safe_silhouette(feats: FloatArray, labels: NDArray[np.int64]) -> float | None:
    n_labels = np.unique(labels).size
    if n_labels < 2 or n_labels >= feats.shape[0]:
        return None
    with threadpool_limits(limits=1):
        return float(silhouette_score(feats, labels))


def _silhouettes(
    feats: FloatArray, sil_local: NDArray[np.int64], ks: range, random_state: int
) -> dict[int, float]:
    out: dict[int, float] = {}
    for kk in ks:
        if kk >= feats.shape[0]:
            break
        model = _kmeans(feats, kk, random_state)
        value = _safe_silhouette(feats[sil_local], model.labels_[sil_local])
        if value is not None:
            out[kk] = value
    return out


def _null_silhouette(
    sample: FloatArray,
    *,
    space: Space,
    dims: int,
    exclude: NDArray[np.bool_] | None,
    ks: range,
    random_state: int,
) -> float:
    """Best silhouette on the same answers shuffled between respondents, item by item.

    Shuffling each column keeps every item's answer distribution and missingness but breaks
    any link between a person's answers: opinion groups cannot exist in it. The shuffled
    sample goes through the same PCA, scaling and k-means as the real data.
    """
    if sample.shape[0] < 3:
        return -1.0
    rng = np.random.default_rng(random_state + 7919)
    best = -1.0
    for _ in range(NULL_REPEATS):
        shuffled = np.column_stack([rng.permutation(col) for col in sample.T])
        pca = polis_pca(shuffled, exclude=exclude, n_components=max(2, dims))
        if space != "full":
            pca = replace(pca, components=pca.components[:dims])
        rows = np.arange(shuffled.shape[0])
        coords = project(shuffled, pca) if space == "map" else np.empty((0, 2))
        feats = _features(shuffled, rows=rows, coords=coords, pca=pca, space=space)
        values = _silhouettes(feats, rows, ks, random_state)
        best = max(best, *values.values())
    return best


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
