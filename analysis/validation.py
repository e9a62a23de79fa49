"""Checks and conversions shared by the analysis functions.

A vote or opinion matrix has one row per respondent and one column per item. Cells hold a
score in [-1, 1] (agree +1, disagree -1, pass 0; a 5-point rating r becomes (r - 3) / 2) or
NaN where the respondent did not answer. Anything else is rejected with
:class:`~analysis.errors.AnalysisInputError`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from analysis.errors import AnalysisInputError

__all__ = ["as_score_matrix", "rating_to_score"]

FloatArray = NDArray[np.float64]


def rating_to_score(rating: ArrayLike, *, scale: int = 5) -> Any:
    """Map a rating on a 1..scale scale to a score in [-1, 1] (the middle maps to 0).

    For the usual 5-point scale this is ``(r - 3) / 2``. NaN stays NaN. Ratings outside
    1..scale raise :class:`AnalysisInputError`.
    """
    if scale < 2:
        raise AnalysisInputError(f"a rating scale needs at least 2 points, got {scale}")
    arr = np.asarray(rating, dtype=np.float64)
    bad = ~np.isnan(arr) & ((arr < 1) | (arr > scale))
    if np.any(bad):
        raise AnalysisInputError(f"ratings must lie between 1 and {scale} (or be missing)")
    mid = (scale + 1) / 2.0
    out = (arr - mid) / (mid - 1.0)
    return float(out) if out.ndim == 0 else out


def as_score_matrix(matrix: ArrayLike, *, name: str = "matrix") -> FloatArray:
    """Return ``matrix`` as a 2-D float64 array after checking shape and value range.

    Does not copy when the input already is a float64 array.
    """
    try:
        arr = np.asarray(matrix, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise AnalysisInputError(f"{name} must hold numbers or NaN: {exc}") from None
    if arr.ndim != 2:
        raise AnalysisInputError(
            f"{name} must be 2-dimensional (respondents x items), got {arr.ndim} dimension(s)"
        )
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise AnalysisInputError(
            f"{name} is empty ({arr.shape[0]} respondents x {arr.shape[1]} items)"
        )
    # Chunked range check keeps the temporary boolean arrays small for very large inputs.
    step = max(1, 2_000_000 // arr.shape[1])
    for start in range(0, arr.shape[0], step):
        block = arr[start : start + step]
        if np.isinf(block).any():
            raise AnalysisInputError(f"{name} contains infinite values")
        with np.errstate(invalid="ignore"):
            outside = (block < -1.0) | (block > 1.0)
        if outside.any():
            row, col = np.argwhere(outside)[0]
            raise AnalysisInputError(
                f"{name} values must lie in [-1, 1] or be NaN; row {start + row}, "
                f"column {col} holds {block[row, col]!r}"
            )
    return arr
