"""Opinion groups on synthetic data with planted groups (behaviour, never timing)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from analysis import cluster_opinions
from analysis.grouping import GroupingState, KSmoothing
from analysis.synthetic import planted_opinions


def _ari_on_clustered(labels_true: np.ndarray, result: object) -> float:
    mask = result.clustered  # type: ignore[attr-defined]
    return float(adjusted_rand_score(labels_true[mask], result.labels[mask]))  # type: ignore[attr-defined]


@pytest.mark.parametrize("k", [2, 3, 4, 5])
@pytest.mark.parametrize("missing", [0.2, 0.5])
def test_recovers_planted_groups(k: int, missing: float) -> None:
    matrix, truth = planted_opinions(600, 30, k, noise=0.6, missing=missing, random_state=3)
    result = cluster_opinions(matrix, random_state=0)
    assert result.k == k
    assert _ari_on_clustered(truth, result) >= 0.9


@pytest.mark.parametrize("k", [2, 3, 4])
def test_planted_k_is_chosen_in_most_seeds(k: int) -> None:
    hits = 0
    for seed in range(10):
        matrix, _ = planted_opinions(500, 30, k, noise=0.6, missing=0.3, random_state=seed)
        hits += cluster_opinions(matrix, random_state=seed).k == k
    assert hits >= 8


def test_one_group_only_when_asked() -> None:
    matrix, _ = planted_opinions(400, 30, 1, noise=0.6, missing=0.2, random_state=0)
    default = cluster_opinions(matrix, random_state=0)
    assert 2 <= default.k <= 5 and default.silhouette is not None  # never hidden
    one = cluster_opinions(matrix, random_state=0, k=1)
    assert one.k == 1 and one.silhouette is None
    assert set(np.unique(one.labels)) <= {-1, 0}
    assert set(one.silhouettes) == set(default.silhouettes)  # each k's score still shown


def test_labels_stable_across_subsamples() -> None:
    matrix, _ = planted_opinions(1000, 30, 3, noise=0.6, missing=0.3, random_state=11)
    full = cluster_opinions(matrix, random_state=0)
    rng = np.random.default_rng(0)
    for _ in range(5):
        rows = np.sort(rng.choice(matrix.shape[0], size=900, replace=False))
        sub = cluster_opinions(matrix[rows], random_state=1)
        both = full.clustered[rows] & sub.clustered
        assert adjusted_rand_score(full.labels[rows][both], sub.labels[both]) >= 0.8


def test_deterministic_for_a_random_state() -> None:
    matrix, _ = planted_opinions(800, 25, 3, noise=0.7, missing=0.4, random_state=5)
    a = cluster_opinions(matrix, random_state=42)
    b = cluster_opinions(matrix, random_state=42)
    np.testing.assert_array_equal(a.labels, b.labels)
    np.testing.assert_array_equal(a.coords, b.coords)
    assert a.silhouette == b.silhouette and a.silhouettes == b.silhouettes


def test_result_shapes_and_meaning() -> None:
    matrix, _ = planted_opinions(300, 20, 3, noise=0.5, missing=0.3, random_state=2)
    matrix[:5, 3:] = np.nan  # five sparse respondents with 3 answers
    result = cluster_opinions(matrix, random_state=0)
    n, m = matrix.shape
    assert result.labels.shape == (n,) and result.labels.dtype.kind == "i"
    assert result.coords.shape == (n, 2) and np.isfinite(result.coords).all()
    assert result.components.shape == (2, m) and result.center.shape == (m,)
    assert result.centroids.shape == (result.k, 2)
    assert result.item_means.shape == (result.k, m)
    assert not result.clustered[:5].any() and result.clustered[5:].all()
    assert (result.labels[:5] == -1).all()
    assert result.sizes.sum() == result.clustered.sum()
    assert list(result.sizes) == sorted(result.sizes, reverse=True)  # largest group first
    assert result.silhouette is not None and -1 <= result.silhouette <= 1
    np.testing.assert_allclose(np.linalg.norm(result.components, axis=1), 1.0)
    for g in range(result.k):
        np.testing.assert_allclose(result.centroids[g], result.coords[result.labels == g].mean(0))


def test_greedy_rule_takes_the_15_most_active_in_a_small_conversation() -> None:
    matrix, _ = planted_opinions(20, 10, 2, noise=0.3, missing=0.0, random_state=1)
    matrix[:, 3:] = np.nan  # everybody answered 3 of 10 items, below the 7 needed
    matrix[:5, 2] = np.nan  # five answered only 2
    result = cluster_opinions(matrix, random_state=0)
    assert result.clustered.sum() == 15 and result.clustered[5:].all()


def test_keep_in_keeps_earlier_respondents_grouped() -> None:
    matrix, _ = planted_opinions(100, 20, 2, noise=0.3, missing=0.0, random_state=1)
    matrix[:3, 2:] = np.nan
    assert not cluster_opinions(matrix).clustered[:3].any()
    keep = np.zeros(100, dtype=bool)
    keep[:3] = True
    assert cluster_opinions(matrix, keep_in=keep).clustered[:3].all()


def test_sparse_voters_are_scaled_out_like_polis() -> None:
    matrix, _ = planted_opinions(200, 20, 2, noise=0.3, missing=0.0, random_state=1)
    sparse = matrix.copy()
    sparse[0, 10:] = np.nan
    a = cluster_opinions(matrix, random_state=0, min_answers=1)
    b = cluster_opinions(sparse, random_state=0, min_answers=1)
    centred = np.nan_to_num(sparse[0] - b.center)
    expected = centred @ b.components.T * np.sqrt(20 / 10)
    np.testing.assert_allclose(b.coords[0], expected)
    assert a.coords.shape == b.coords.shape


def test_explicit_k_and_spaces() -> None:
    matrix, truth = planted_opinions(400, 30, 3, noise=0.6, missing=0.3, random_state=4)
    for space in ("pca", "map", "full"):
        result = cluster_opinions(matrix, k=3, random_state=0, space=space)
        assert result.k == 3 and result.space == space
        assert _ari_on_clustered(truth, result) >= 0.9
    one = cluster_opinions(matrix, k=1)
    assert one.k == 1 and one.silhouette is None and (one.labels[one.clustered] == 0).all()


def test_large_n_path_fits_on_a_sample() -> None:
    matrix, truth = planted_opinions(5000, 30, 4, noise=0.6, missing=0.3, random_state=8)
    result = cluster_opinions(matrix, random_state=0, fit_sample=800, silhouette_sample=400)
    assert result.k == 4
    assert _ari_on_clustered(truth, result) >= 0.9


def test_excluded_items_do_not_move_anyone() -> None:
    matrix, _ = planted_opinions(300, 12, 2, noise=0.5, missing=0.2, random_state=6)
    exclude = np.zeros(12, dtype=bool)
    exclude[[0, 5]] = True
    changed = matrix.copy()
    seen = ~np.isnan(changed[:, [0, 5]])
    flipped = -changed[:, [0, 5]]
    changed[:, [0, 5]] = np.where(seen, flipped, np.nan)  # same cells answered, other answers
    a = cluster_opinions(matrix, exclude_items=exclude, random_state=0)
    b = cluster_opinions(changed, exclude_items=exclude, random_state=0)
    assert (a.components[:, exclude] == 0).all()
    np.testing.assert_array_equal(a.labels, b.labels)


def test_constant_and_empty_columns_are_harmless() -> None:
    matrix, truth = planted_opinions(300, 15, 2, noise=0.5, missing=0.2, random_state=9)
    matrix[:, 0] = 1.0
    matrix[:, 1] = np.nan
    result = cluster_opinions(matrix, random_state=0)
    assert result.k == 2
    assert result.center[1] == 0 and (result.components[:, 1] == 0).all()
    assert (result.components[:, 0] == 0).all()
    assert _ari_on_clustered(truth, result) >= 0.9


def test_all_identical_answers_give_one_group() -> None:
    matrix = np.ones((50, 10))
    result = cluster_opinions(matrix)
    assert result.k == 1 and (result.labels == 0).all()
    assert (result.components == 0).all()


def test_two_respondents() -> None:
    matrix = np.array([[1.0] * 8, [-1.0] * 8])
    result = cluster_opinions(matrix)
    assert result.k == 2 and sorted(result.labels) == [0, 1]  # as Pol.is: 2 base clusters
    assert cluster_opinions(matrix, k=1).k == 1


def test_k_is_smoothed_between_refreshes() -> None:
    four, _ = planted_opinions(600, 30, 4, noise=0.6, missing=0.3, random_state=2)
    assert cluster_opinions(four, random_state=0).k == 4
    state = GroupingState(k=KSmoothing(last_k=3, last_k_count=6, smoothed_k=3))
    shown = []
    for _ in range(4):  # the data now favour 4: shown only after 4 wins in a row
        result = cluster_opinions(four, random_state=0, previous=state.as_dict())
        state = result.state
        shown.append(result.k)
    assert shown == [3, 3, 3, 4]
    assert result.state.k.last_k == 4 and result.state.k.last_k_count == 4


def test_a_refresh_starts_from_the_last_groups() -> None:
    matrix, truth = planted_opinions(500, 30, 3, noise=0.7, missing=0.3, random_state=4)
    first = cluster_opinions(matrix[:400], random_state=0)
    grown = cluster_opinions(matrix, random_state=5, previous=first.state)
    assert grown.k == 3
    assert adjusted_rand_score(first.labels, grown.labels[:400]) >= 0.95


def test_dims_follow_the_signal() -> None:
    matrix, _ = planted_opinions(600, 30, 4, noise=0.6, missing=0.3, random_state=1)
    assert cluster_opinions(matrix, random_state=0).dims == 3
    assert cluster_opinions(matrix, random_state=0, space="map").dims == 2
    two, _ = planted_opinions(600, 30, 2, noise=0.6, missing=0.3, random_state=1)
    assert cluster_opinions(two, random_state=0).dims == 2
