"""Topics in free-text answers: stems and bigrams, TF-IDF, non-negative matrix factorisation.

In plain words:

1. Texts become TF-IDF rows over Snowball stems and bigrams, without stop words and survey
   filler words (:mod:`analysis.text_features`).
2. NMF splits the text x feature matrix into ``k`` non-negative parts: each topic is a
   weighting of features, each text a mix of topics. A text belongs to the topic with the
   largest weight; the most representative texts of a topic are those with the largest
   weight for it.
3. Each topic is labelled by the surface words people wrote (the most frequent form behind
   each of its top stems: "dieren", not "dier"), and gets its share of the texts and up to
   ``n_quotes`` representative texts whose authors allowed quoting (``quotable``).
4. **Choosing k** when ``n_topics`` is None: stability. On a sample of at most 1,500 texts
   (its unused words left out),
   for each k = 2 .. min(``max_topics``, texts - 1, features - 1) we fit NMF on the sample
   and on ``STABILITY_ROUNDS`` random subsamples of 80 % of it, and compare each
   subsample's topic assignment with the whole sample's on the texts they share, by the
   adjusted Rand index (chance-corrected, so it does not rise just because k does). The k
   whose topics come back most alike wins; when several are as stable (within 0.01, as on
   clean themes where both 2 and the true number come back perfectly), the largest of
   them. The cap is only a limit.
   A score for every k is kept in ``TopicResult.scores``. For speed, the selection's NMF
   fits stop earlier (100 iterations, tolerance 1e-3), and each (sub)sample's singular
   value decomposition is made once and shared by every k as the NNDSVD starting point.

Fallbacks (never a traceback): no texts, or no text with a usable word: no topics and every
assignment -1. One usable text (or only one distinct usable word): one topic made of that
text's words. Texts without usable words always get assignment -1. Asking for more topics
than there are texts or words gives as many as possible.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import adjusted_rand_score
from sklearn.utils.extmath import randomized_svd

from analysis.errors import AnalysisInputError
from analysis.text_features import TOKEN_PATTERN, TextFeatures, stop_words_for, text_features

__all__ = ["TOKEN_PATTERN", "Topic", "TopicResult", "stop_words_for", "text_topics"]

SELECTION_SAMPLE = 1_500
SELECTION_ITERATIONS = 100
SELECTION_TOLERANCE = 1e-3
MAX_AUTO_TOPICS = 10
STABILITY_ROUNDS = 4
SUBSAMPLE = 0.8
STABILITY_TOLERANCE = 0.01
LABEL_WORDS = 3


@dataclass(frozen=True)
class Topic:
    """One topic: a label of surface words, its top terms, size, share and example texts."""

    label: str
    terms: list[str]
    weights: list[float]
    document_counts: list[int]
    text_indices: list[int]
    texts: list[str]
    size: int
    share: float
    quote_indices: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class TopicResult:
    """Topics (largest first), the topic of each text (-1 = none) and how they were found."""

    topics: list[Topic]
    assignments: NDArray[np.int64]
    n_topics: int
    language: str
    method: str
    scores: dict[int, float] = field(default_factory=dict)


def _quotable_flags(quotable: Sequence[bool] | None, n: int) -> NDArray[np.bool_]:
    if quotable is None:
        return np.ones(n, dtype=bool)
    flags = np.asarray(list(quotable), dtype=bool)
    if flags.shape != (n,):
        raise AnalysisInputError(f"quotable must have one flag per text ({n}), "
                                 f"got {flags.size}")
    return flags


def text_topics(
    texts: Sequence[str | None],
    *,
    language: str,
    n_topics: int | None = None,
    random_state: int = 0,
    n_terms: int = 10,
    n_texts: int = 3,
    n_quotes: int = 3,
    max_terms: int = 20_000,
    max_topics: int = MAX_AUTO_TOPICS,
    quotable: Sequence[bool] | None = None,
) -> TopicResult:
    """Find topics in ``texts`` (``language`` "nl" or "en"); see the module docstring."""
    stop_words_for(language)  # refuses an unknown language before anything else
    if n_topics is not None and n_topics < 1:
        raise AnalysisInputError(f"n_topics must be at least 1, got {n_topics}")
    features = text_features(texts, language=language, max_features=max_terms)
    n_docs = len(texts)
    flags = _quotable_flags(quotable, n_docs)
    assignments = np.full(n_docs, -1, dtype=np.int64)
    if features is None:
        return TopicResult([], assignments, 0, language, "none")
    docs = [t or "" for t in texts]
    used = features.used
    x = features.matrix[used]
    parts = _Parts(features, docs, flags, n_terms, n_texts, n_quotes)
    if used.size == 1 or features.n_features == 1 or n_topics == 1:
        return _single_topic(parts, x, assignments)
    scores: dict[int, float] = {}
    if n_topics is None:
        k_max = min(max_topics, used.size - 1, features.n_features - 1)
        k, scores = _choose_k(x, k_max, random_state)
    else:
        k = min(n_topics, used.size, features.n_features)
    weights, components = _nmf(x, k, random_state)
    dominant = np.where(weights.max(axis=1) > 0, weights.argmax(axis=1), -1)
    sizes = np.bincount(dominant[dominant >= 0], minlength=k)
    order = np.argsort(-sizes, kind="stable")
    rank = np.empty(k, dtype=np.int64)
    rank[order] = np.arange(k)
    assignments[used] = np.where(dominant >= 0, rank[np.maximum(dominant, 0)], -1)
    total = int((dominant >= 0).sum())
    topics = []
    for t in order:
        top = np.argsort(-components[t], kind="stable")[:n_terms]
        top = top[components[t, top] > 0]
        members = np.flatnonzero(dominant == t)
        ranked = members[np.argsort(-weights[members, t], kind="stable")]
        topics.append(parts.topic(top, components[t, top], ranked, int(sizes[t]), total))
    return TopicResult(topics, assignments, k, language, "nmf", scores)


class _Parts:
    """Builds a `Topic` from feature indices and ranked member rows."""

    def __init__(self, features: TextFeatures, docs: list[str], flags: NDArray[np.bool_],
                 n_terms: int, n_texts: int, n_quotes: int) -> None:
        self.features, self.docs, self.flags = features, docs, flags
        self.n_terms, self.n_texts, self.n_quotes = n_terms, n_texts, n_quotes

    def topic(self, top: NDArray[np.int64], weights: NDArray[np.float64],
              ranked_rows: NDArray[np.int64], size: int, total: int) -> Topic:
        terms: list[str] = []
        kept_weights: list[float] = []
        counts: list[int] = []
        for j, weight in zip(top, weights, strict=True):
            word = self.features.words[int(j)]
            if word in terms or any(word in t.split() for t in terms if " " in t):
                continue  # "dieren" after "grote dieren" says nothing new
            terms.append(word)
            kept_weights.append(float(weight))
            counts.append(int(self.features.document_counts[int(j)]))
        indices = [int(self.features.used[i]) for i in ranked_rows]
        quotes: list[int] = []
        seen: set[str] = set()
        for i in indices:
            key = " ".join(self.docs[i].lower().split())
            if self.flags[i] and key not in seen:
                seen.add(key)
                quotes.append(i)
                if len(quotes) == self.n_quotes:
                    break
        best = indices[: self.n_texts]
        return Topic(
            label=", ".join(terms[:LABEL_WORDS]), terms=terms, weights=kept_weights,
            document_counts=counts, text_indices=best, texts=[self.docs[i] for i in best],
            size=size, share=round(size / total, 4) if total else 0.0, quote_indices=quotes,
        )


def _single_topic(parts: _Parts, x: sparse.csr_matrix,
                  assignments: NDArray[np.int64]) -> TopicResult:
    totals = np.asarray(x.sum(axis=0)).ravel()
    top = np.argsort(-totals, kind="stable")[: parts.n_terms]
    strength = np.asarray(x.sum(axis=1)).ravel()
    ranked = np.argsort(-strength, kind="stable")
    assignments[parts.features.used] = 0
    size = int(parts.features.used.size)
    topic = parts.topic(top, totals[top], ranked, size, size)
    return TopicResult([topic], assignments, 1, parts.features.language, "single")


def _svd(x: sparse.csr_matrix, k: int, random_state: int
         ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """The top ``k`` singular triplets of ``x`` (made once, shared by every k up to it)."""
    u, s, vt = randomized_svd(x, k, n_iter=4, random_state=random_state)
    return u, s, vt


def _nndsvda(x: sparse.csr_matrix, k: int, svd: tuple[NDArray[np.float64], ...]
             ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """NNDSVD starting factors (Boutsidis & Gallopoulos 2008) from a shared SVD, zeros
    filled with the matrix's mean ("nndsvda"): for each singular pair keep the positive
    or the negative parts, whichever carries more."""
    u, s, vt = svd
    n, m = x.shape
    w, h = np.zeros((n, k)), np.zeros((k, m))
    w[:, 0] = np.sqrt(s[0]) * np.abs(u[:, 0])
    h[0] = np.sqrt(s[0]) * np.abs(vt[0])
    for j in range(1, k):
        a, b = u[:, j], vt[j]
        ap, an, bp, bn = np.maximum(a, 0), np.maximum(-a, 0), np.maximum(b, 0), np.maximum(-b, 0)
        pos = np.linalg.norm(ap) * np.linalg.norm(bp)
        neg = np.linalg.norm(an) * np.linalg.norm(bn)
        left, right, size = (ap, bp, pos) if pos >= neg else (an, bn, neg)
        if size > 0:
            scale = np.sqrt(s[j] * size)
            w[:, j] = scale * left / np.linalg.norm(left)
            h[j] = scale * right / np.linalg.norm(right)
    mean = float(x.sum()) / (n * m)
    w[w == 0], h[h == 0] = mean, mean
    return w, h


def _nmf(
    x: sparse.csr_matrix, k: int, random_state: int,
    svd: tuple[NDArray[np.float64], ...] | None = None, max_iter: int = 300,
    tol: float = 1e-4,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    start = _nndsvda(x, k, svd or _svd(x, k, random_state))
    model = NMF(n_components=k, init="custom", random_state=random_state, max_iter=max_iter,
                tol=tol)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)  # round-off when k is close to n
        weights = model.fit_transform(x, W=start[0], H=start[1])
    return np.asarray(weights), np.asarray(model.components_)


def _choose_k(x: sparse.csr_matrix, k_max: int,
              random_state: int) -> tuple[int, dict[int, float]]:
    """The k whose topics come back most alike on subsamples (see the module docstring)."""
    if k_max < 2:
        return max(k_max, 1), {}
    rng = np.random.default_rng(random_state)
    rows = np.arange(x.shape[0])
    if rows.size > SELECTION_SAMPLE:
        rows = np.sort(rng.choice(rows, size=SELECTION_SAMPLE, replace=False))
    sample = x[rows]
    sample = sample[:, np.flatnonzero(sample.getnnz(axis=0))]  # words the sample uses
    n = sample.shape[0]
    k_max = min(k_max, int(n * SUBSAMPLE))  # NMF needs k <= the subsample's rows
    if k_max < 2:
        return max(k_max, 1), {}
    subsets = [np.sort(rng.choice(n, size=max(2, int(n * SUBSAMPLE)), replace=False))
               for _ in range(STABILITY_ROUNDS)]
    scores: dict[int, float] = {}
    whole = _svd(sample, k_max, random_state)
    parts = [(sample[subset], _svd(sample[subset], k_max, random_state)) for subset in subsets]
    for k in range(2, k_max + 1):
        reference = _nmf(sample, k, random_state, whole, SELECTION_ITERATIONS,
                         SELECTION_TOLERANCE)[0].argmax(axis=1)
        agreement = []
        for subset, (part, svd) in zip(subsets, parts, strict=True):
            labels = _nmf(part, k, random_state, svd, SELECTION_ITERATIONS,
                          SELECTION_TOLERANCE)[0].argmax(axis=1)
            agreement.append(adjusted_rand_score(reference[subset], labels))
        scores[k] = round(float(np.mean(agreement)), 4)
    top = max(scores.values())
    # Clean themes are often all perfectly stable at several k (2 and the true number):
    # take the most detailed split that is as stable as the best one.
    best = max(kk for kk, score in scores.items() if score >= top - STABILITY_TOLERANCE)
    return best, scores
