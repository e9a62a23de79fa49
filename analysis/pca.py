"""Pol.is-style principal component analysis of a vote matrix.

The maths, in plain words (following Pol.is ``math/src/polismath/math/pca.clj`` and
``conversation.clj``):

1. Every item's *center* is the mean of the answers it received, over all respondents (not
   only the clustered ones: Pol.is's PCA uses every row of its rating matrix, and the
   reference fixtures confirm this). Unanswered cells are filled with that mean
   ("column-mean imputation"), so after centring they are exactly 0.
2. Excluded items (moderated out / meta statements) and items nobody answered get center 0
   and a 0 weight in every component: they cannot move anyone.
3. The components are the two leading eigenvectors of ``Yᵀ Y`` where ``Y`` is the centred,
   imputed matrix. Pol.is finds them by power iteration; we take them from the item x item
   scatter matrix with a symmetric eigensolver, which gives the same vectors (up to sign) and
   costs one pass over the rows, so a million respondents are processed in chunks with
   little memory. Signs are fixed so that each component's largest entry is positive.
4. A respondent's 2-D position is the dot product of their centred answers with each
   component, scaled by ``sqrt(n_items / n_answered)`` (Pol.is's "sparsity-aware"
   projection), which pushes people who answered little away from the centre instead of
   leaving them piled up at the origin. Like Pol.is, which sets excluded (moderated-out)
   columns to 0 for everyone, every excluded item counts as answered in ``n_answered`` here;
   with that, our positions equal Pol.is's base-cluster positions on the reference fixtures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["PCAResult", "centred_rows", "polis_pca", "project", "sparsity_scale"]

FloatArray = NDArray[np.float64]
CHUNK_ROWS = 65_536


@dataclass(frozen=True)
class PCAResult:
    """Center (per item) and components (``n_components x items``) of the vote matrix."""

    center: FloatArray
    components: FloatArray
    explained_variance: FloatArray
    n_answered: NDArray[np.int64]
    used: NDArray[np.bool_]
    n_excluded: int = 0


def _chunks(n_rows: int, chunk: int = CHUNK_ROWS) -> range:
    return range(0, n_rows, chunk)


def polis_pca(
    matrix: FloatArray,
    *,
    n_components: int = 2,
    exclude: NDArray[np.bool_] | None = None,
    progress: Callable[[int], None] | None = None,
) -> PCAResult:
    """Compute the Pol.is PCA of ``matrix`` (respondents x items, NaN = unanswered).

    ``exclude`` is a boolean mask over items that must not take part (given center 0 and
    component weight 0). ``progress`` is called with the number of rows done per chunk.
    """
    n_rows, n_items = matrix.shape
    sums = np.zeros(n_items)
    counts = np.zeros(n_items, dtype=np.int64)
    n_answered = np.empty(n_rows, dtype=np.int64)
    for start in _chunks(n_rows):
        block = matrix[start : start + CHUNK_ROWS]
        seen = ~np.isnan(block)
        counts += seen.sum(axis=0)
        n_answered[start : start + CHUNK_ROWS] = seen.sum(axis=1)
        sums += np.where(seen, block, 0.0).sum(axis=0)
    use = counts > 0
    if exclude is not None:
        use &= ~exclude
    center = np.zeros(n_items)
    center[use] = sums[use] / counts[use]

    scatter = np.zeros((n_items, n_items))
    for start in _chunks(n_rows):
        centred = _centre_block(matrix[start : start + CHUNK_ROWS], center, use)
        scatter += centred.T @ centred
        if progress is not None:
            progress(min(CHUNK_ROWS, n_rows - start))
    eigvals, eigvecs = np.linalg.eigh(scatter)
    order = np.argsort(eigvals)[::-1]
    n_keep = min(n_components, n_items, n_rows)
    components = np.zeros((n_components, n_items))
    variance = np.zeros(n_components)
    for i in range(n_keep):
        value = float(eigvals[order[i]])
        if value <= 1e-12 * max(1.0, float(eigvals[order[0]])):
            break  # no variance left: keep a zero component, like Pol.is's factor-matrix
        vec = eigvecs[:, order[i]].copy()
        vec[~use] = 0.0  # exact zeros where the solver leaves round-off
        if vec[np.argmax(np.abs(vec))] < 0:
            vec = -vec
        components[i] = vec
        variance[i] = value / max(n_rows - 1, 1)
    n_excluded = 0 if exclude is None else int(np.sum(exclude))
    return PCAResult(center, components, variance, n_answered, use, n_excluded)


def centred_rows(matrix: FloatArray, rows: NDArray[np.int64], pca: PCAResult) -> FloatArray:
    """Centred, mean-imputed copy of the given rows (excluded items set to 0)."""
    return _centre_block(matrix[rows], pca.center, pca.used)


def _centre_block(block: FloatArray, center: FloatArray, use: NDArray[np.bool_]) -> FloatArray:
    centred = block - center
    centred[np.isnan(centred)] = 0.0
    centred[:, ~use] = 0.0
    return centred


def project(matrix: FloatArray, pca: PCAResult) -> FloatArray:
    """Sparsity-aware projection of every row onto the components (``rows x n_components``)."""
    n_rows, n_items = matrix.shape
    coords = np.empty((n_rows, pca.components.shape[0]))
    for start in _chunks(n_rows):
        block = matrix[start : start + CHUNK_ROWS]
        centred = _centre_block(block, pca.center, pca.used)
        scale = sparsity_scale(block, pca)
        coords[start : start + CHUNK_ROWS] = (centred @ pca.components.T) * scale[:, None]
    return coords


def sparsity_scale(block: FloatArray, pca: PCAResult) -> FloatArray:
    """Pol.is's ``sqrt(n_items / n_votes)`` per row; excluded items count as votes (see 4.)."""
    n_votes = np.sum(~np.isnan(block[:, pca.used]), axis=1) + pca.n_excluded
    return np.sqrt(block.shape[1] / np.maximum(n_votes, 1))
