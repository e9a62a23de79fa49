"""Guided coding: propose codes for uncoded answers from the answers officials coded.

Officials code a few answers by hand against a codebook (for example the ethical principles
plus "other"). A linear classifier (logistic regression, classes weighted by their size)
learns from the coded answers and proposes a code with a confidence (its probability) for
every other answer. Its features are the topics' TF-IDF of stems and bigrams
(:mod:`analysis.text_features`) joined with TF-IDF of character 3- to 5-grams of the kept
words, which carry misspelled and compound words ("etikettering", "etiketering") that
stems miss; each half is scaled to length 1/sqrt(2) so the row has length 1. A code's own
words (its name and description, ``examples``) may be added as extra coded texts. Its
accuracy is estimated by stratified k-fold cross-validation on the coded answers
(k = min(5, the smallest code's count); none below 2 per code).

Pure: texts and codes in, suggestions out. A code is any string; None means "not coded".
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score

from analysis.errors import AnalysisInputError
from analysis.text_features import Tokenizer, clean_texts, text_features

__all__ = ["CodeSuggestions", "suggest_codes"]

MAX_FOLDS = 5


@dataclass(frozen=True)
class CodeSuggestions:
    """Per text: the proposed code (None when none can be made) and its probability."""

    suggested: list[str | None]
    confidence: NDArray[np.float64]
    cv_accuracy: float | None
    n_folds: int
    n_coded: int
    codes: list[str]


def _classifier(random_state: int) -> LogisticRegression:
    return LogisticRegression(C=10.0, class_weight="balanced", max_iter=1_000,
                              random_state=random_state)


def coding_features(docs: list[str], language: str) -> tuple[sparse.csr_matrix,
                                                             NDArray[np.bool_]]:
    """The rows the classifier reads, and which texts have any usable word."""
    n = len(docs)
    words = text_features(docs, language=language, min_df=1)
    if words is None:
        return sparse.csr_matrix((n, 0)), np.zeros(n, dtype=bool)
    tokenizer = Tokenizer(language, bigrams=False)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
                            preprocessor=lambda t: " ".join(tokenizer.words(t)),
                            max_features=100_000, dtype=np.float64).fit_transform(docs)
    has_words = np.zeros(n, dtype=bool)
    has_words[words.used] = True
    half = 1 / np.sqrt(2)
    return sparse.hstack([words.matrix * half, chars * half]).tocsr(), has_words


def suggest_codes(
    texts: Sequence[str | None],
    codes: Sequence[str | None],
    *,
    language: str,
    random_state: int = 0,
    examples: Mapping[str, Sequence[str]] | None = None,
    features: tuple[sparse.csr_matrix, NDArray[np.bool_]] | None = None,
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
    matrix, has_words = features or coding_features(docs + [t for _, t in extra], language)
    has_words, extra_rows = has_words[:n], np.arange(n, n + len(extra))
    labels = np.concatenate([labels, np.array([c for c, _ in extra], dtype=object)])
    train = np.flatnonzero(coded & has_words)
    train_counts = Counter(labels[train])
    if len(train_counts) < 2:
        return none
    y_all = labels.astype(str)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        fit_rows = np.concatenate([train, extra_rows])
        model = _classifier(random_state).fit(matrix[fit_rows], y_all[fit_rows])
        folds = min(MAX_FOLDS, min(train_counts.values()))
        accuracy = None
        if folds >= 2:
            splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=random_state)
            accuracy = float(np.mean(cross_val_score(
                _classifier(random_state), matrix[train], y_all[train], cv=splitter,
                scoring="accuracy")))
    probabilities = model.predict_proba(matrix[:n])
    best = probabilities.argmax(axis=1)
    classes = [str(c) for c in model.classes_]
    suggested: list[str | None] = [classes[b] if has_words[i] else None
                                   for i, b in enumerate(best)]
    confidence = np.where(has_words, probabilities.max(axis=1), 0.0)
    return CodeSuggestions(suggested, confidence, accuracy, folds if accuracy else 0,
                           int(coded.sum()), classes)
