"""Our statistics equal Pol.is's own output on five real conversations.

Fixtures: red-dwarf tests/fixtures v0.4.0 (MPL-2.0); see fixtures/polis/README.md.
``50ptpt-3gp-strict-no-meta`` misses some votes (one participant Pol.is counted has none in the
export), which moves its PCA a little (we measured 0.023 on the components and 0.037 on the
center), so there the PCA check uses an absolute tolerance of 0.05. Its repness, consensus and
group-aware consensus still equal Pol.is's exactly, because those only count the votes of
grouped participants, and all of theirs are present.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from analysis import cluster_opinions
from analysis.grouping import GroupingState, KSmoothing, polis_kmeans
from analysis.pca import polis_pca
from analysis.repness import consensus_items, representative_items
from tests.analysis.polis import POLIS_NAMES, load_polis

if TYPE_CHECKING:
    from tests.analysis.polis import PolisConversation

# Pol.is prints repness-test in single precision.
FLOAT32_RTOL = 2e-7


def test_excluded_items_match_polis_mod_out(polis: PolisConversation) -> None:
    ours = {t for t, out in zip(polis.items, polis.exclude, strict=True) if out}
    assert ours == set(polis.math["mod-out"]) & set(polis.items)


def test_pca_components_equal_polis_up_to_sign(polis: PolisConversation) -> None:
    # Pol.is stores agree as -1; flipping the votes flips the center, not the axes.
    result = polis_pca(-polis.votes, exclude=polis.exclude)
    theirs = np.asarray(polis.math["pca"]["comps"])
    atol = 0.05 if polis.incomplete else 1e-12
    for ours, ref in zip(result.components, theirs, strict=True):
        sign = np.sign(ours @ ref)
        np.testing.assert_allclose(sign * ours, ref, atol=atol)
    np.testing.assert_allclose(result.center, polis.math["pca"]["center"], atol=atol)


def _as_polis(item: object) -> dict[str, object]:
    d = dict(item.__dict__)
    out = {
        "tid": d["item"],
        "n-success": d["n_success"],
        "n-trials": d["n_trials"],
        "p-success": d["p_success"],
        "p-test": d["p_test"],
    }
    if "repful_for" in d:
        out.update(
            {
                "repness": d["repness"],
                "repness-test": d["repness_test"],
                "repful-for": d["repful_for"],
            }
        )
        if d["best_agree"]:
            out.update({"best-agree": True, "n-agree": d["n_agree"]})
    return out


def _assert_same(ours: dict[str, object], theirs: dict[str, object]) -> None:
    assert set(ours) == set(theirs)
    for key, want in theirs.items():
        got = ours[key]
        if isinstance(want, float) or key in ("p-success", "p-test", "repness", "repness-test"):
            rtol = FLOAT32_RTOL if key == "repness-test" else 1e-12
            assert got == pytest.approx(want, rel=rtol, abs=1e-12), key
        else:
            assert got == want, key


def test_representative_items_equal_polis(polis: PolisConversation) -> None:
    result = representative_items(
        polis.votes, polis.labels, item_ids=polis.items, exclude_items=polis.exclude
    )
    expected = polis.math["repness"]
    assert sorted(result) == sorted(int(g) for g in expected)
    for gid, items in result.items():
        theirs = expected[str(gid)]
        assert [r.item for r in items] == [r["tid"] for r in theirs]
        for ours, ref in zip(items, theirs, strict=True):
            _assert_same(_as_polis(ours), ref)


def test_consensus_equal_polis(polis: PolisConversation) -> None:
    result = consensus_items(
        polis.votes, polis.labels, item_ids=polis.items, exclude_items=polis.exclude
    )
    expected = polis.math["consensus"]
    for side in ("agree", "disagree"):
        ours = [_as_polis(c) for c in getattr(result, side)]
        theirs = expected[side]
        assert [c["tid"] for c in ours] == [c["tid"] for c in theirs]
        for a, b in zip(ours, theirs, strict=True):
            _assert_same(a, b)


def test_group_aware_consensus_equal_polis(polis: PolisConversation) -> None:
    result = consensus_items(polis.votes, polis.labels, item_ids=polis.items)
    expected = polis.math["group-aware-consensus"]
    ours = dict(zip(result.items, result.group_aware_consensus, strict=True))
    assert set(ours) >= {int(t) for t in expected}
    for tid, value in expected.items():
        assert ours[int(tid)] == pytest.approx(value, rel=1e-12), tid


def test_clustered_respondents_are_within_polis_in_conv(polis: PolisConversation) -> None:
    result = cluster_opinions(polis.votes, exclude_items=polis.exclude)
    in_conv = np.isin(polis.participants, polis.math["in-conv"])
    assert not (result.clustered & ~in_conv).any()
    assert result.clustered.sum() >= 0.8 * in_conv.sum()


def _polis_map_signs(polis: PolisConversation, coords: np.ndarray) -> np.ndarray:
    """Our map vs Pol.is's: the base clusters' mean positions, and the axis signs between."""
    at = {p: i for i, p in enumerate(polis.participants)}
    base = polis.math["base-clusters"]
    ours = np.array([coords[[at[m] for m in members]].mean(0) for members in base["members"]])
    theirs = np.column_stack([base["x"], base["y"]])
    return ours, theirs, np.sign(np.sum(ours * theirs, axis=0))


def test_positions_equal_polis_base_cluster_positions(polis: PolisConversation) -> None:
    result = cluster_opinions(polis.votes, exclude_items=polis.exclude)
    ours, theirs, signs = _polis_map_signs(polis, result.coords)
    atol = 0.1 if polis.incomplete else 1e-9
    np.testing.assert_allclose(ours * signs, theirs, atol=atol)


def test_group_step_gives_polis_groups_on_its_base_clusters(polis: PolisConversation) -> None:
    base = polis.math["base-clusters"]
    order = np.argsort(base["id"])
    centres = np.column_stack([base["x"], base["y"]])[order]
    sizes = np.array([len(m) for m in base["members"]])[order]
    group_of = {b: g["id"] for g in polis.math["group-clusters"] for b in g["members"]}
    theirs = np.array([group_of[base["id"][i]] for i in order])
    k = len(polis.math["group-clusters"])
    _, ours = polis_kmeans(centres, sizes.astype(float), k)
    assert adjusted_rand_score(theirs, ours) == 1.0


def _refresh_from_polis_state(polis: PolisConversation) -> float:
    """ARI with Pol.is's groups of a refresh that continues from Pol.is's own state."""
    cold = cluster_opinions(polis.votes, exclude_items=polis.exclude)
    _, _, signs = _polis_map_signs(polis, cold.coords)
    k = len(polis.math["group-clusters"])
    centres = np.array([g["center"] for g in polis.math["group-clusters"]]) * signs
    state = GroupingState(k=KSmoothing(last_k=k, last_k_count=1, smoothed_k=k),
                          centres={k: centres})
    in_conv = np.isin(polis.participants, polis.math["in-conv"])
    result = cluster_opinions(polis.votes, exclude_items=polis.exclude, previous=state,
                              keep_in=in_conv)
    assert result.k == k and result.dims == 2  # the Pol.is map is the clustering space here
    both = (polis.labels >= 0) & result.clustered
    return float(adjusted_rand_score(polis.labels[both], result.labels[both]))


def test_a_refresh_from_polis_state_gives_polis_groups() -> None:
    # Pol.is's groups depend on its history: who joined early stays in, and each update
    # starts k-means from the last groups. Given that state, as the next Pol.is update
    # would be, our refresh reproduces its groups.
    scores = [_refresh_from_polis_state(load_polis(name)) for name in POLIS_NAMES]
    assert min(scores) >= 0.8, scores
    assert float(np.mean(scores)) >= 0.9, scores


def test_a_first_run_finds_2_to_5_groups(polis: PolisConversation) -> None:
    # The conversation is never reported as one group, and 2-5 groups are always offered.
    result = cluster_opinions(polis.votes, exclude_items=polis.exclude)
    assert 2 <= result.k <= 5 and result.silhouette is not None
    assert set(result.silhouettes) >= {2, 3}


def _first_run_scores(random_state: int = 0) -> tuple[list[float], list[int]]:
    """ARI with Pol.is's groups, and our k, of a first run (no history) on each conversation."""
    scores, ks = [], []
    for name in POLIS_NAMES:
        polis = load_polis(name)
        result = cluster_opinions(polis.votes, exclude_items=polis.exclude,
                                  random_state=random_state, check_strength=False)
        both = (polis.labels >= 0) & result.clustered
        scores.append(float(adjusted_rand_score(polis.labels[both], result.labels[both])))
        ks.append(result.k)
    return scores, ks


def test_a_first_run_agrees_with_polis_groups() -> None:
    # Measured with the default random state: ARI 0.41 / 0.85 / 0.90 / 1.00 / 0.93 (mean 0.82)
    # on POLIS_NAMES in order, k 3 / 5 / 3 / 3 / 3 where Pol.is shows 3 / 4 / 3 / 3 / 3. Before
    # the typical-clustering rule (best of 8 starts by cost): 0.41 / 0.43 / 0.63 / 1.00 / 0.98.
    scores, _ = _first_run_scores()
    assert min(scores) >= 0.4, scores
    assert sorted(scores)[1] >= 0.8, scores  # all but one conversation
    assert float(np.mean(scores)) >= 0.8, scores


def test_a_first_run_chooses_the_same_k_whatever_the_random_state() -> None:
    # The typical clustering of many starts is a property of the data, not of the draw.
    _, first = _first_run_scores(0)
    for seed in (1, 2):
        assert _first_run_scores(seed)[1] == first


@pytest.mark.xfail(strict=True, reason=(
    "goal not met: a first run's ARI with Pol.is's groups is 0.41 / 0.85 / 0.90 / 1.00 / 0.93 "
    "(mean 0.82; over random states 0-7 the mean is 0.77-0.82). below-100-ptpts stays at "
    "0.41: Pol.is's 3 groups there (sizes 11 / 3 / 9) are a poor k-means optimum (within-group "
    "sum of squares 63 against 44 for the best 3-group split of the same positions), reached "
    "from Pol.is's history; above-100-ptpts gets k 5 where Pol.is keeps 4 (0.85; with k 4 "
    "forced, 0.67)"))
def test_a_first_run_meets_the_polis_goal() -> None:
    # Issue 10's goal: ARI >= 0.8 on every conversation and >= 0.9 on average.
    scores, _ = _first_run_scores()
    assert min(scores) >= 0.8, scores
    assert float(np.mean(scores)) >= 0.9, scores
