"""Guided coding: propose codes for uncoded answers from the answers officials coded.

Officials code a few answers by hand against a codebook (for example the ethical principles
plus "other"); the rest get a proposed code with a confidence. In plain words:

1. **Features** (made once per set of answers, reused while only the codes change), three
   TF-IDF views with sub-linear counts, each scaled to length 1/sqrt(3) so a row has
   length 1: stems and stem bigrams without stop and filler words
   (:mod:`analysis.text_features`); the written words and word pairs as they are, stop
   words included ("wie betaalt", "zelf kiezen": short function words carry meaning in
   short answers); and character 3- to 5-grams inside words of the lower-cased text, which
   carry Dutch compounds, inflections and misspellings ("etikettering", "etiketering")
   that stems miss. A code's own words (its name and description, ``examples``) may be
   added as extra coded texts.
2. **Classifier**: complement naive Bayes (Rennie et al. 2003), which suits short texts
   and few examples: per code, the feature weights are minus the log of the smoothed
   share of each feature in the texts of *all other* codes; a text's score for a code is
   its features times those weights.
3. **The uncoded answers teach too** (semi-supervised EM, Nigam et al. 2000): the
   classifier scores the uncoded answers, each then counts for every code in proportion
   to its probability, and the classifier is refitted on the coded and the so-weighted
   uncoded answers; `EM_ROUNDS` times. The uncoded answers together weigh ``weight``
   times the coded ones (0 = not used); above `EM_SAMPLE` uncoded answers a random sample
   of them takes part. Answers on one theme share words that no coded answer has, and
   this carries a code along them.
4. **Settings chosen by cross-validation on the coded answers only**: ``weight`` is picked
   from `WEIGHT_GRID` by stratified k-fold cross-validation (k = min(5, the smallest
   code's count); none below 2 per code); a held-out coded answer counts as uncoded in its
   fold. ``cv_accuracy`` is the cross-validated accuracy of the chosen setting (slightly
   optimistic, since the setting was picked on it).
5. **Confidence**: the scores become probabilities by a softmax whose temperature is
   fitted on the cross-validated (held-out) scores (temperature scaling), so 0.8 means
   about 8 in 10 such proposals were right in the cross-validation.

Pure: texts and codes in, suggestions out. A code is any string; None means "not coded".
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold

from analysis.errors import AnalysisInputError
from analysis.text_features import TOKEN_PATTERN, clean_texts, text_features

__all__ = ["CodeSuggestions", "CodingFeatures", "coding_features", "codes_fingerprint",
           "suggest_codes"]

MAX_FOLDS = 5
#: How much the uncoded answers weigh together, relative to the coded ones.
WEIGHT_GRID = (0.0, 1.0, 2.0, 4.0)
#: The weight used when there are too few coded answers to cross-validate.
DEFAULT_WEIGHT = 1.0
#: Additive smoothing of the complement counts.
SMOOTHING = 0.3
EM_ROUNDS = 5
#: At most this many uncoded answers (a random sample) take part in the EM rounds.
EM_SAMPLE = 1_000
TEMPERATURES = tuple(float(t) for t in np.geomspace(0.25, 256, 41))


@dataclass(frozen=True)
class CodeSuggestions:
    """Per text: the proposed code (None when none can be made) and its probability."""

    suggested: list[str | None]
    confidence: NDArray[np.float64]
    cv_accuracy: float | None
    n_folds: int
    n_coded: int
    codes: list[str]
    weight: float | None = None


@dataclass(frozen=True)
class CodingFeatures:
    """What `suggest_codes` reads: one row per text (then per example), and which texts
    have a usable word."""

    matrix: sparse.csr_matrix
    has_words: NDArray[np.bool_]


def coding_features(docs: Sequence[str | None], language: str) -> CodingFeatures:
    """The rows the classifier reads, one per text of ``docs`` (answers, then any code's
    examples)."""
    texts = clean_texts(docs)
    n = len(texts)
    words = text_features(texts, language=language, min_df=1)
    if words is None:
        return CodingFeatures(sparse.csr_matrix((n, 0)), np.zeros(n, dtype=bool))
    written = TfidfVectorizer(token_pattern=TOKEN_PATTERN, ngram_range=(1, 2),
                              sublinear_tf=True, max_features=100_000,
                              dtype=np.float64).fit_transform(texts)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
                            lowercase=True, max_features=100_000,
                            dtype=np.float64).fit_transform(texts)
    has_words = np.zeros(n, dtype=bool)
    has_words[words.used] = True
    third = 1 / np.sqrt(3)
    matrix = sparse.hstack([words.matrix * third, written * third, chars * third]).tocsr()
    return CodingFeatures(matrix, has_words)


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


def _softmax(scores: NDArray[np.float64], temperature: float) -> NDArray[np.float64]:
    z = scores * temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True), dtype=np.float64)


def _temperature(scores: NDArray[np.float64], truth: NDArray[np.int64]) -> float:
    losses = [-np.mean(np.log(_softmax(scores, t)[np.arange(truth.size), truth] + 1e-12))
              for t in TEMPERATURES]
    return TEMPERATURES[int(np.argmin(losses))]


def _complement_weights(counts: NDArray[np.float64]) -> NDArray[np.float64]:
    """Complement naive Bayes from ``counts`` (features x codes: each feature's weighted
    sum in the rows of each code): per code, minus the log of each feature's smoothed
    share in the rows of the other codes (codes x features)."""
    complement = counts.sum(axis=1, keepdims=True) - counts + SMOOTHING
    return np.asarray(-np.log(complement / complement.sum(axis=0, keepdims=True))).T


def _em_weights(matrix: sparse.csr_matrix, labelled: NDArray[np.int64],
                targets: NDArray[np.float64], unlabelled: NDArray[np.int64],
                each: float) -> NDArray[np.float64]:
    """Feature weights per code learnt from the ``labelled`` rows (one-hot ``targets``)
    and, when ``each`` > 0, from the ``unlabelled`` rows by EM, each of them weighing
    ``each`` (a labelled row weighs 1; module docstring)."""
    known = np.asarray(matrix[labelled].T @ targets)
    weights = _complement_weights(known)
    if each <= 0 or unlabelled.size == 0:
        return weights
    rest = matrix[unlabelled]
    rest_t = rest.T.tocsr()
    for _ in range(EM_ROUNDS):
        shares = _softmax(np.asarray(rest @ weights.T), 1.0) * each
        weights = _complement_weights(known + np.asarray(rest_t @ shares))
    return weights


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
    made = features or coding_features(docs + [t for _, t in extra], language)
    if made.matrix.shape[0] != n + len(extra):
        raise AnalysisInputError(f"features must have one row per text and example "
                                 f"({n + len(extra)}), got {made.matrix.shape[0]}")
    matrix = made.matrix
    has_words, extra_rows = made.has_words[:n], np.arange(n, n + len(extra))
    y = np.concatenate([labels, np.array([c for c, _ in extra], dtype=object)]).astype(str)
    train = np.flatnonzero(coded & has_words)
    train_counts = Counter(y[train])
    if len(train_counts) < 2:
        return none
    classes = sorted(train_counts)
    index = np.searchsorted(classes, y)
    onehot = np.eye(len(classes))
    uncoded = np.flatnonzero(~coded & has_words)
    if uncoded.size > EM_SAMPLE:
        rng = np.random.default_rng(random_state)
        uncoded = np.sort(rng.choice(uncoded, size=EM_SAMPLE, replace=False))
    known = np.concatenate([train, extra_rows])
    # One uncoded answer's weight for ``weight``; the same in the cross-validation, so that
    # its scores (and the temperature fitted on them) are as sharp as the final ones.
    per_answer = (known.size / uncoded.size) if uncoded.size else 0.0
    folds = min(MAX_FOLDS, min(train_counts.values()))
    weight, accuracy, temperature = DEFAULT_WEIGHT, None, 1.0
    if folds >= 2 and len(train_counts) == len(counts):
        splits = list(StratifiedKFold(n_splits=folds, shuffle=True,
                                      random_state=random_state).split(train, y[train]))
        best: tuple[float, float, NDArray[np.float64]] | None = None
        for option in WEIGHT_GRID:
            held = np.zeros((train.size, len(classes)))
            for fit, test in splits:
                taught = np.concatenate([train[fit], extra_rows])
                learnt = _em_weights(matrix, taught, onehot[index[taught]],
                                     np.concatenate([uncoded, train[test]]),
                                     option * per_answer)
                held[test] = np.asarray(matrix[train[test]] @ learnt.T)
            right = float(np.mean(held.argmax(axis=1) == index[train]))
            if best is None or right > best[0] + 1e-9:
                best = (right, option, held)
        assert best is not None
        accuracy, weight = best[0], best[1]
        temperature = _temperature(best[2], index[train])
    learnt = _em_weights(matrix, known, onehot[index[known]], uncoded, weight * per_answer)
    scores = np.asarray(matrix[:n] @ learnt.T)
    probabilities = _softmax(scores, temperature)
    best_class = probabilities.argmax(axis=1)
    suggested: list[str | None] = [classes[b] if has_words[i] else None
                                   for i, b in enumerate(best_class)]
    confidence = np.where(has_words, probabilities.max(axis=1), 0.0)
    return CodeSuggestions(suggested, confidence, accuracy, folds if accuracy is not None
                           else 0, int(coded.sum()), classes, weight)
