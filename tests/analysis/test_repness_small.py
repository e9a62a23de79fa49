"""Repness and consensus on small hand-made examples (complements the Pol.is parity tests)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from analysis import consensus_items, representative_items
from analysis.repness import group_item_stats, prop_test, two_prop_test


def test_formulas_by_hand() -> None:
    assert prop_test(3, 4) == pytest.approx(2 * math.sqrt(5) * (4 / 5 - 0.5))
    s1, s2, n1, n2 = 4, 2, 5, 9
    pooled = (s1 + s2) / (n1 + n2)
    expected = (s1 / n1 - s2 / n2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    assert two_prop_test(3, 1, 4, 8) == pytest.approx(expected)
    assert two_prop_test(4, 4, 4, 4) == 0.0  # pooled share 1: Pol.is returns 0


def test_group_stats_and_selection() -> None:
    # Group 0 agrees with item 0, group 1 disagrees; item 1 is split evenly; item 2 unseen.
    votes = np.array(
        [[1, 1, np.nan]] * 6 + [[-1, -1, np.nan]] * 6 + [[1, 0, np.nan]] * 2, dtype=float
    )
    labels = np.array([0] * 6 + [1] * 6 + [-1] * 2)
    stats = group_item_stats(votes, labels)
    assert stats.na[0, 0] == 6 and stats.nd[1, 0] == 6 and stats.ns[0, 2] == 0
    assert stats.pa[0, 0] == pytest.approx(7 / 8)
    assert stats.ra[0, 0] == pytest.approx((7 / 8) / (1 / 8))
    result = representative_items(votes, labels, item_ids=["q0", "q1", "q2"])
    assert result[0][0].item == "q0" and result[0][0].repful_for == "agree"
    assert result[0][0].best_agree and result[0][0].n_agree == 6
    assert result[1][0].item == "q0" and result[1][0].repful_for == "disagree"
    assert all(r.item != "q2" for items in result.values() for r in items)
    excluded = representative_items(votes, labels, exclude_items=[True, False, False])
    assert all(r.item != 0 for items in excluded.values() for r in items)


def test_consensus_uses_everyone_and_group_aware_product() -> None:
    votes = np.array([[1, -1]] * 8 + [[1, 1]] * 2 + [[np.nan, -1]] * 3, dtype=float)
    labels = np.array([0] * 5 + [1] * 5 + [-1] * 3)
    result = consensus_items(votes, labels)
    assert [c.item for c in result.agree] == [0]
    assert result.agree[0].n_trials == 10
    assert [c.item for c in result.disagree] == [1] and result.disagree[0].n_trials == 13
    gac0 = (1 + 5) / (2 + 5) * (1 + 5) / (2 + 5)
    assert result.group_aware_consensus[0] == pytest.approx(gac0)
    alone = consensus_items(votes)
    assert alone.group_aware_consensus[0] == pytest.approx((1 + 10) / (2 + 13 - 3))
