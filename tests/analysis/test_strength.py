"""How clearly groups stand apart: calibrated against one cloud, never hiding the groups."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import cluster_opinions
from analysis.strength import group_strength
from analysis.synthetic import planted_opinions


@pytest.mark.parametrize("k", [2, 3, 5])
def test_planted_groups_are_strong(k: int) -> None:
    matrix, _ = planted_opinions(500, 30, k, noise=0.6, missing=0.3, random_state=0)
    result = cluster_opinions(matrix, random_state=0)
    assert result.strength is not None
    assert result.strength.level == "strong" and result.strength.p_value <= 0.01
    assert result.strength.stability >= 0.8
    assert result.strength.silhouette > result.strength.null_silhouette


def test_one_cloud_is_weak_yet_its_groups_are_shown() -> None:
    weak = 0
    for seed in range(10):
        matrix, _ = planted_opinions(500, 30, 1, noise=0.6, missing=0.3, random_state=seed)
        result = cluster_opinions(matrix, random_state=seed)
        assert 2 <= result.k <= 5 and result.strength is not None
        weak += result.strength.level == "weak"
    assert weak >= 8


def test_p_values_under_the_one_group_model_are_not_small() -> None:
    # Points drawn from one Gaussian: the test's own null. p <= 0.05 should be rare.
    small = 0
    for seed in range(10):
        rng = np.random.default_rng(seed)
        points = rng.multivariate_normal([0, 0], [[2.0, 0.8], [0.8, 1.0]], size=300)
        labels = (points[:, 0] > 0).astype(np.int64)
        strength = group_strength(points, labels, 2, random_state=seed)
        assert strength is not None and strength.draws == 99
        small += strength.p_value <= 0.05
    assert small <= 2


def test_two_separate_clouds_are_strong() -> None:
    rng = np.random.default_rng(0)
    points = np.vstack([rng.normal(-3, 1, size=(150, 2)), rng.normal(3, 1, size=(150, 2))])
    labels = np.repeat([0, 1], 150)
    strength = group_strength(points, labels, 2)
    assert strength is not None and strength.level == "strong"


def test_nothing_to_check() -> None:
    points = np.zeros((4, 2))
    assert group_strength(points, np.zeros(4, dtype=np.int64), 1) is None
    assert group_strength(points, np.array([0, 1, 0, 1]), 2) is None  # too few points
    matrix, _ = planted_opinions(100, 20, 2, random_state=0)
    assert cluster_opinions(matrix, k=1).strength is None
    assert cluster_opinions(matrix, check_strength=False).strength is None
