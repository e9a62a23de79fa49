"""Guided coding: propose codes for uncoded answers from the answers officials coded.

Officials code a few answers by hand against a codebook (for example the ethical principles
plus "other"); the rest get a proposed code with a confidence. In plain words:

1. **Features** (made once per set of answers, reused while only the codes change):
   TF-IDF of stems and bigrams without stop and filler words (:mod:`analysis.text_features`)
   joined with TF-IDF of character 3- to 5-grams inside words of the lower-cased text
   (sub-linear counts), which carry Dutch compounds, inflections and misspellings
   ("etikettering", "etiketering") that stems miss. Each half is scaled to length
   1/sqrt(2), so a row has length 1. A code's own words (its name and description,
   ``examples``) may be added as extra coded texts.
2. **Neighbours** (up to `GRAPH_LIMIT` texts): each text is linked to its `NEIGHBOURS` most
   similar texts (cosine), coded or not, so that what the classifier learns from coded
   answers also reaches uncoded answers written in other words but close to an uncoded
   answer it does recognise (label spreading, Zhou et al. 2004).
3. **Classifier**: a linear support vector machine (classes weighted by their size) gives a
   score per code; the scores are smoothed over the neighbours,
   ``F = alpha * W F + (1 - alpha) * F0`` (W the symmetrically normalised neighbour graph).
4. **Settings chosen by cross-validation on the coded answers only**: the SVM's C and the
   smoothing alpha (0 = none) are picked from small grids by stratified k-fold
   cross-validation (k = min(5, the smallest code's count); none below 2 per code).
   ``cv_accuracy`` is that cross-validated accuracy of the chosen setting (slightly
   optimistic, since the setting was picked on it).
5. **Confidence**: the scores become probabilities by a softmax whose temperature is
   fitted on the cross-validated (held-out) scores (temperature scaling), so 0.8 means
   about 8 in 10 such proposals were right in the cross-validation.

Pure: texts and codes in, suggestions out. A code is any string; None means "not coded".
"""

from __future__ import annotations

import hashlib
import itertools
import warnings
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from analysis.errors import AnalysisInputError
from analysis.text_features import clean_texts, text_features

__all__ = ["CodeSuggestions", "CodingFeatures", "coding_features", "codes_fingerprint",
           "suggest_codes"]

MAX_FOLDS = 5
C_GRID = (0.1, 0.3, 1.0)
ALPHA_GRID = (0.5, 0.8)
TEMPERATURES = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0)
SPREAD_STEPS = 20
NEIGHBOURS = 10
#: Above this many texts no neighbour graph is made (it grows with the square of the texts).
GRAPH_LIMIT = 2_500
_CHUNK = 500


@dataclass(frozen=True)
class CodeSuggestions:
    """Per text: the proposed code (None when none can be made) and its probability."""

    suggested: list[str | None]
    confidence: NDArray[np.float64]
    cv_accuracy: float | None
    n_folds: int
    n_coded: int
    codes: list[str]
    c: float | None = None
    alpha: float | None = None


@dataclass(frozen=True)
class CodingFeatures:
    """What `suggest_codes` reads: one row per text (then per example), which texts have
    a usable word, and the neighbour graph of the texts (None above `GRAPH_LIMIT`)."""

    matrix: sparse.csr_matrix
    has_words: NDArray[np.bool_]
    graph: sparse.csr_matrix | None


def _neighbour_graph(matrix: sparse.csr_matrix, usable: NDArray[np.bool_]
                     ) -> sparse.csr_matrix | None:
    n = matrix.shape[0]
    k = min(NEIGHBOURS, int(usable.sum()) - 1)
    if n > GRAPH_LIMIT or k < 1:
        return None
    rows, cols, values = [], [], []
    for start in range(0, n, _CHUNK):
        block = (matrix[start:start + _CHUNK] @ matrix.T).toarray()
        block[:, ~usable] = 0
        block[np.arange(block.shape[0]), np.arange(start, start + block.shape[0])] = 0
        top = np.argpartition(-block, k - 1, axis=1)[:, :k]
        rows.append(np.repeat(np.arange(start, start + block.shape[0]), k))
        cols.append(top.ravel())
        values.append(np.take_along_axis(block, top, axis=1).ravel())
    graph = sparse.csr_matrix((np.concatenate(values), (np.concatenate(rows),
                                                        np.concatenate(cols))), shape=(n, n))
    graph = graph.maximum(graph.T).tocsr()
    degree = np.asarray(graph.sum(axis=1)).ravel()
    scale = np.where(degree > 0, 1 / np.sqrt(np.where(degree > 0, degree, 1)), 0.0)
    return sparse.csr_matrix(sparse.diags(scale) @ graph @ sparse.diags(scale))


def coding_features(docs: Sequence[str | None], language: str, *,
                    n_texts: int | None = None) -> CodingFeatures:
    """The rows the classifier reads. ``n_texts``: how many of ``docs`` are answers (the
    rest are a code's examples, which stay out of the neighbour graph); default all."""
    texts = clean_texts(docs)
    n = len(texts)
    words = text_features(texts, language=language, min_df=1)
    if words is None:
        return CodingFeatures(sparse.csr_matrix((n, 0)), np.zeros(n, dtype=bool), None)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
                            lowercase=True, max_features=100_000,
                            dtype=np.float64).fit_transform(texts)
    has_words = np.zeros(n, dtype=bool)
    has_words[words.used] = True
    half = 1 / np.sqrt(2)
    matrix = sparse.hstack([words.matrix * half, chars * half]).tocsr()
    answers = n if n_texts is None else n_texts
    graph = _neighbour_graph(matrix[:answers], has_words[:answers])
    return CodingFeatures(matrix, has_words, graph)


def codes_fingerprint(keys: Sequence[object], codes: Sequence[str | None], *,
                      context: Sequence[str] = ()) -> str:
    """A digest of which text (named by ``keys``, in order) has which code (None and ""
    mean none) and of any ``context`` (a codebook's words): suggestions trained on the
    same fingerprint are the same, so stored ones can be shown while it matches."""
    if len(keys) != len(codes):
        raise AnalysisInputError(f"codes must have one entry per key ({len(keys)}), "
                                 f"got {len(codes)}")
    digest = hashlib.sha256()
    for key, code in zip(keys, codes, strict=True):
        digest.update(f"{key}\x1f{code or ''}\x1e".encode())
    for part in context:
        digest.update(f"{part}\x1d".encode())
    return digest.hexdigest()[:32]


def _scores(matrix: sparse.csr_matrix, graph: sparse.csr_matrix | None, labels: NDArray,
            rows: NDArray[np.int64], wanted: NDArray[np.int64], n: int, c: float,
            alpha: float) -> tuple[NDArray[np.float64], list[str]]:
    """Fit on ``rows``; the (smoothed) score per class of each row in ``wanted``."""
    model = LinearSVC(C=c, class_weight="balanced", max_iter=5_000)
    model.fit(matrix[rows], labels[rows])
    classes = [str(x) for x in model.classes_]
    smooth = graph is not None and alpha > 0
    scores = np.asarray(model.decision_function(matrix[:n] if smooth else matrix[wanted]),
                        dtype=np.float64)
    if scores.ndim == 1:  # two codes: one column for the second class
        scores = np.column_stack([-scores, scores])
    if graph is not None and smooth:
        start = scores
        for _ in range(SPREAD_STEPS):
            scores = alpha * (graph @ scores) + (1 - alpha) * start
        scores = scores[wanted]
    return scores, classes


def _softmax(scores: NDArray[np.float64], temperature: float) -> NDArray[np.float64]:
    z = scores * temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True), dtype=np.float64)


def _temperature(scores: NDArray[np.float64], truth: NDArray[np.int64]) -> float:
    losses = [-np.mean(np.log(_softmax(scores, t)[np.arange(truth.size), truth] + 1e-12))
              for t in TEMPERATURES]
    return TEMPERATURES[int(np.argmin(losses))]


def suggest_codes(
    texts: Sequence[str | None],
    codes: Sequence[str | None],
    *,
    language: str,
    random_state: int = 0,
    examples: Mapping[str, Sequence[str]] | None = None,
    features: CodingFeatures | None = None,
) -> CodeSuggestions:
    """Train on the texts that have a code; propose one for every text (coded ones too).

    ``examples`` maps a code to extra texts that speak to it (its name and description);
    they count as coded texts for training only when the code has coded answers, and never
    for the cross-validated accuracy. ``features``: the `coding_features` of ``texts`` plus
    the examples' texts, made once and reused while only the codes change (a retrain).
    """
    docs = clean_texts(texts)
    if len(codes) != len(docs):
        raise AnalysisInputError(f"codes must have one entry per text ({len(docs)}), "
                                 f"got {len(codes)}")
    n = len(docs)
    coded = np.array([c is not None and c != "" for c in codes], dtype=bool)
    labels = np.array([str(c) if c else "" for c in codes], dtype=object)
    counts = Counter(labels[coded])
    none = CodeSuggestions([None] * n, np.zeros(n), None, 0, int(coded.sum()), sorted(counts))
    if len(counts) < 2:
        return none
    extra = [(code, text) for code, many in (examples or {}).items() if code in counts
             for text in many if text.strip()]
    made = features or coding_features(docs + [t for _, t in extra], language, n_texts=n)
    if made.matrix.shape[0] != n + len(extra):
        raise AnalysisInputError(f"features must have one row per text and example "
                                 f"({n + len(extra)}), got {made.matrix.shape[0]}")
    matrix, graph = made.matrix, made.graph
    has_words, extra_rows = made.has_words[:n], np.arange(n, n + len(extra))
    y = np.concatenate([labels, np.array([c for c, _ in extra], dtype=object)]).astype(str)
    train = np.flatnonzero(coded & has_words)
    train_counts = Counter(y[train])
    if len(train_counts) < 2:
        return none
    folds = min(MAX_FOLDS, min(train_counts.values()))
    setting, accuracy, temperature = (1.0, 0.0), None, 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        if folds >= 2 and len(train_counts) == len(counts):
            splits = list(StratifiedKFold(n_splits=folds, shuffle=True,
                                          random_state=random_state).split(train, y[train]))
            grid = itertools.product(C_GRID, ALPHA_GRID if graph is not None else (0.0,))
            best: tuple[float, tuple[float, float], NDArray[np.float64], NDArray] | None = None
            for c, alpha in grid:
                held = np.zeros((train.size, len(train_counts)))
                for fit, test in splits:
                    held[test], _ = _scores(matrix, graph, y, np.concatenate(
                        [train[fit], extra_rows]), train[test], n, c, alpha)
                right = float(np.mean(held.argmax(axis=1) == np.searchsorted(
                    sorted(train_counts), y[train])))
                if best is None or right > best[0] + 1e-9:
                    best = (right, (c, alpha), held, y[train])
            assert best is not None
            accuracy, setting = best[0], best[1]
            temperature = _temperature(best[2], np.searchsorted(sorted(train_counts), best[3]))
        scores, classes = _scores(matrix, graph, y, np.concatenate([train, extra_rows]),
                                  np.arange(n), n, *setting)
    probabilities = _softmax(scores, temperature)
    best_class = probabilities.argmax(axis=1)
    suggested: list[str | None] = [classes[b] if has_words[i] else None
                                   for i, b in enumerate(best_class)]
    confidence = np.where(has_words, probabilities.max(axis=1), 0.0)
    return CodeSuggestions(suggested, confidence, accuracy, folds if accuracy is not None
                           else 0, int(coded.sum()), classes, setting[0], setting[1])
