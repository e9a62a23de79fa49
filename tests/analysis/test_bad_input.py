"""Every bad input gets AnalysisInputError with a clear message, or a documented fallback."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import (
    AnalysisInputError,
    cluster_opinions,
    consensus_items,
    opinion_shift,
    rating_to_score,
    representative_items,
    text_topics,
)


def test_error_is_a_value_error() -> None:
    assert issubclass(AnalysisInputError, ValueError)


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        (np.empty((0, 5)), r"matrix is empty \(0 respondents x 5 items\)"),
        (np.empty((3, 0)), r"matrix is empty \(3 respondents x 0 items\)"),
        ([], r"must be 2-dimensional .* got 1 dimension"),
        (np.zeros(5), r"must be 2-dimensional .* got 1 dimension"),
        (np.zeros((2, 2, 2)), r"must be 2-dimensional .* got 3 dimension"),
        (np.array([[1.0, 2.0], [0.0, 1.0]]), r"values must lie in \[-1, 1\].*row 0, column 1"),
        (np.array([[1.0, -1.5]] * 3), r"values must lie in \[-1, 1\]"),
        (np.array([[1.0, np.inf]] * 3), r"infinite"),
        ([["a", "b"], ["c", "d"]], r"must hold numbers or NaN"),
        (np.full((4, 3), np.nan), r"holds no answers at all"),
        (np.ones((1, 8)), r"need at least 2 respondents with answers .* got 1"),
    ],
)
def test_cluster_bad_matrix(matrix: object, message: str) -> None:
    with pytest.raises(AnalysisInputError, match=message):
        cluster_opinions(matrix)  # type: ignore[arg-type]


def test_cluster_too_few_answers() -> None:
    matrix = np.full((10, 10), np.nan)
    matrix[0] = 1.0  # one respondent answered; nobody else answered anything
    with pytest.raises(AnalysisInputError, match=r"2 respondents with answers to form .*, got 1"):
        cluster_opinions(matrix)


def test_cluster_k_above_respondents() -> None:
    matrix = np.random.default_rng(0).choice([-1.0, 1.0], size=(4, 8))
    with pytest.raises(AnalysisInputError, match=r"k must lie between 1 and 4 .* the 4 grouped"):
        cluster_opinions(matrix, k=5)
    with pytest.raises(AnalysisInputError, match=r"k must lie between 1 and 5 .*, got 7"):
        cluster_opinions(np.vstack([matrix, matrix]), k=7)
    with pytest.raises(AnalysisInputError, match=r"got 0"):
        cluster_opinions(matrix, k=0)


def test_cluster_bad_options() -> None:
    matrix = np.ones((5, 8))
    with pytest.raises(AnalysisInputError, match="space must be"):
        cluster_opinions(matrix, space="tsne")  # type: ignore[arg-type]
    with pytest.raises(AnalysisInputError, match="min_answers"):
        cluster_opinions(matrix, min_answers=0)
    with pytest.raises(AnalysisInputError, match="max_k"):
        cluster_opinions(matrix, max_k=0)
    with pytest.raises(
        AnalysisInputError, match="exclude_items must be a boolean mask of length 8"
    ):
        cluster_opinions(matrix, exclude_items=[True])


def test_constant_or_empty_column_is_a_documented_fallback() -> None:
    rng = np.random.default_rng(1)
    matrix = rng.choice([-1.0, 0.0, 1.0], size=(40, 9))
    matrix[:, 0] = 0.0
    matrix[:, 1] = np.nan
    result = cluster_opinions(matrix)
    assert (result.components[:, :2] == 0).all()


def test_repness_bad_input() -> None:
    votes = np.array([[1.0, -1.0], [1.0, 0.0], [-1.0, np.nan]])
    with pytest.raises(
        AnalysisInputError, match=r"labels must be one integer per respondent \(3\)"
    ):
        representative_items(votes, [0, 1])
    with pytest.raises(AnalysisInputError, match="labels must be integers"):
        representative_items(votes, [0.5, 1, 1])
    with pytest.raises(AnalysisInputError, match="labels put nobody in a group"):
        representative_items(votes, [-1, -1, -1])
    with pytest.raises(AnalysisInputError, match=r"item_ids must have one id per item \(2\)"):
        representative_items(votes, [0, 1, 1], item_ids=["a"])
    with pytest.raises(AnalysisInputError, match=r"votes values must lie in \[-1, 1\]"):
        consensus_items(votes * 3)
    with pytest.raises(AnalysisInputError, match="votes must be 2-dimensional"):
        consensus_items(np.ones(3))


def test_topics_bad_input() -> None:
    with pytest.raises(AnalysisInputError, match="language must be 'nl' or 'en', got 'de'"):
        text_topics(["hallo"], language="de")
    with pytest.raises(AnalysisInputError, match="not a single string"):
        text_topics("een tekst", language="nl")
    with pytest.raises(AnalysisInputError, match="text 1 is a int, not a string"):
        text_topics(["een", 5], language="nl")  # type: ignore[list-item]
    with pytest.raises(AnalysisInputError, match="n_topics must be at least 1"):
        text_topics(["een"], language="nl", n_topics=0)


def test_shift_bad_input() -> None:
    with pytest.raises(AnalysisInputError, match=r"same shape .* got \(2, 2\) and \(3, 2\)"):
        opinion_shift(np.zeros((2, 2)), np.zeros((3, 2)))
    with pytest.raises(AnalysisInputError, match="after values must lie in"):
        opinion_shift(np.zeros((2, 2)), np.full((2, 2), 4.0))
    with pytest.raises(AnalysisInputError, match=r"item column indexes 0..1, got 7"):
        opinion_shift(np.zeros((2, 2)), np.zeros((2, 2)), item_principles={7: "A"})


def test_rating_to_score() -> None:
    assert rating_to_score(1) == -1.0 and rating_to_score(3) == 0.0 and rating_to_score(5) == 1.0
    assert rating_to_score(4) == 0.5
    np.testing.assert_allclose(rating_to_score([1, 2, np.nan]), [-1.0, -0.5, np.nan])
    assert rating_to_score(7, scale=7) == 1.0
    with pytest.raises(AnalysisInputError, match="between 1 and 5"):
        rating_to_score(6)
    with pytest.raises(AnalysisInputError, match="at least 2 points"):
        rating_to_score(1, scale=1)
