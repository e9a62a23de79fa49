"""The planted-opinions generator used by tests, benchmarks and demo data."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import AnalysisInputError
from analysis.synthetic import planted_opinions, planted_texts


def test_shape_values_missing_and_determinism() -> None:
    matrix, labels = planted_opinions(1000, 20, 3, noise=0.5, missing=0.3, random_state=7)
    assert matrix.shape == (1000, 20) and labels.shape == (1000,)
    assert set(np.unique(matrix[~np.isnan(matrix)])) <= {-1.0, 0.0, 1.0}
    assert 0.27 < np.isnan(matrix).mean() < 0.33
    assert sorted(np.bincount(labels)) == [333, 333, 334]
    again, labels_again = planted_opinions(1000, 20, 3, noise=0.5, missing=0.3, random_state=7)
    np.testing.assert_array_equal(matrix, again)
    np.testing.assert_array_equal(labels, labels_again)


def test_groups_differ() -> None:
    matrix, labels = planted_opinions(600, 30, 2, noise=0.3, missing=0.0, random_state=1)
    means = [matrix[labels == g].mean(axis=0) for g in range(2)]
    assert np.abs(means[0] - means[1]).max() > 1.0


def test_bad_arguments() -> None:
    with pytest.raises(AnalysisInputError, match="cannot plant 5 groups among 3"):
        planted_opinions(3, 4, 5)
    with pytest.raises(AnalysisInputError, match="missing must be a fraction"):
        planted_opinions(10, 4, 2, missing=1.0)
    with pytest.raises(AnalysisInputError, match="n_themes"):
        planted_texts(10, n_themes=9)
