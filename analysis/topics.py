"""Topics in free-text answers: TF-IDF + non-negative matrix factorisation (NMF).

In plain words:

1. Texts are lower-cased and split into words of two or more letters (digits are dropped).
   Stop words come from the ``stop-words`` package (``get_stop_words("dutch")`` or
   ``("english")``; for English joined with scikit-learn's list) and are removed.
2. Each text becomes a TF-IDF vector (sub-linear term counts, words in at least 2 texts when
   there are 20 or more texts, at most ``max_terms`` words).
3. NMF splits the text x word matrix into ``n_topics`` non-negative parts: each topic is a
   weighting of words (its top terms), each text a mix of topics. A text belongs to the topic
   with the largest weight; the most representative texts of a topic are those with the
   largest weight for it.
4. **Choosing the number of topics** when ``n_topics`` is None: for k = 2 .. min(10, texts - 1,
   words - 1) we fit NMF on a sample of at most 3,000 texts and score the split with the mean
   cosine silhouette of the texts (each text's TF-IDF vector, labelled by its topic). The k
   with the highest silhouette wins (ties: the smaller k). This favours topics whose texts
   share words with each other and not with the other topics.

Fallbacks (never a traceback): no texts, or no text with a usable word: no topics and every
assignment -1. One usable text (or only one distinct usable word): one topic made of that
text's words. Texts without usable words always get assignment -1. Asking for more topics
than there are texts or words gives as many as possible.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.metrics import silhouette_score
from stop_words import get_stop_words

from analysis.errors import AnalysisInputError

__all__ = ["Topic", "TopicResult", "stop_words_for", "text_topics"]

LANGUAGES = {"nl": "dutch", "en": "english"}
TOKEN_PATTERN = r"(?u)\b[^\W\d_]{2,}\b"  # noqa: S105 - a regex, not a password
SELECTION_SAMPLE = 3_000
MAX_AUTO_TOPICS = 10


@dataclass(frozen=True)
class Topic:
    """One topic: its top terms (with NMF weights) and its most representative texts."""

    terms: list[str]
    weights: list[float]
    text_indices: list[int]
    texts: list[str]
    size: int


@dataclass(frozen=True)
class TopicResult:
    """Topics (largest first), the topic of each text (-1 = none) and how they were found."""

    topics: list[Topic]
    assignments: NDArray[np.int64]
    n_topics: int
    language: str
    method: str


def stop_words_for(language: str) -> frozenset[str]:
    """Stop words for ``"nl"`` or ``"en"`` from the ``stop-words`` package."""
    if language not in LANGUAGES:
        raise AnalysisInputError(f"language must be 'nl' or 'en', got {language!r}")
    words = {w.lower() for w in get_stop_words(LANGUAGES[language])}
    if language == "en":
        words |= set(ENGLISH_STOP_WORDS)
    # Also drop the pieces the tokenizer cuts contractions into ("mustn't" -> "mustn").
    pieces = {piece for w in words for piece in re.findall(TOKEN_PATTERN, w)}
    return frozenset(words | pieces)


def _clean_texts(texts: Sequence[str | None]) -> list[str]:
    if isinstance(texts, str):
        raise AnalysisInputError("texts must be a list of strings, not a single string")
    out = []
    for i, text in enumerate(texts):
        if text is None:
            out.append("")
        elif isinstance(text, str):
            out.append(text)
        else:
            raise AnalysisInputError(f"text {i} is a {type(text).__name__}, not a string")
    return out


def text_topics(
    texts: Sequence[str | None],
    *,
    language: str,
    n_topics: int | None = None,
    random_state: int = 0,
    n_terms: int = 10,
    n_texts: int = 3,
    max_terms: int = 20_000,
) -> TopicResult:
    """Find topics in ``texts`` (``language`` "nl" or "en"); see the module docstring."""
    stop = stop_words_for(language)
    docs = _clean_texts(texts)
    if n_topics is not None and n_topics < 1:
        raise AnalysisInputError(f"n_topics must be at least 1, got {n_topics}")
    assignments = np.full(len(docs), -1, dtype=np.int64)
    empty = TopicResult([], assignments, 0, language, "none")
    if not docs:
        return empty
    vectorizer = TfidfVectorizer(
        lowercase=True,
        token_pattern=TOKEN_PATTERN,
        stop_words=sorted(stop),
        min_df=2 if len(docs) >= 20 else 1,
        max_features=max_terms,
        sublinear_tf=True,
        dtype=np.float64,
    )
    try:
        tfidf = sparse.csr_matrix(vectorizer.fit_transform(docs))
    except ValueError:  # empty vocabulary: only stop words, digits or nothing
        return empty
    vocab = np.asarray(vectorizer.get_feature_names_out())
    used = np.flatnonzero(tfidf.getnnz(axis=1) > 0)
    if used.size == 0:
        return empty
    x = tfidf[used]
    limit = min(used.size, vocab.size)
    if used.size == 1 or vocab.size == 1 or n_topics == 1:
        return _single_topic(docs, used, x, vocab, language, n_terms, n_texts, assignments)
    if n_topics is None:
        k = _choose_k(x, min(MAX_AUTO_TOPICS, used.size - 1, vocab.size - 1), random_state)
        if k == 1:
            return _single_topic(docs, used, x, vocab, language, n_terms, n_texts, assignments)
    else:
        k = min(n_topics, limit)
    weights, components = _nmf(x, k, random_state)
    dominant = np.where(weights.max(axis=1) > 0, weights.argmax(axis=1), -1)
    sizes = np.bincount(dominant[dominant >= 0], minlength=k)
    order = np.argsort(-sizes, kind="stable")
    rank = np.empty(k, dtype=np.int64)
    rank[order] = np.arange(k)
    assignments[used] = np.where(dominant >= 0, rank[np.maximum(dominant, 0)], -1)
    topics = []
    for t in order:
        top_terms = np.argsort(-components[t], kind="stable")[:n_terms]
        top_terms = top_terms[components[t, top_terms] > 0]
        members = np.flatnonzero(dominant == t)
        best = members[np.argsort(-weights[members, t], kind="stable")[:n_texts]]
        topics.append(
            Topic(
                terms=[str(w) for w in vocab[top_terms]],
                weights=[float(v) for v in components[t, top_terms]],
                text_indices=[int(used[i]) for i in best],
                texts=[docs[int(used[i])] for i in best],
                size=int(sizes[t]),
            )
        )
    return TopicResult(topics, assignments, k, language, "nmf")


def _single_topic(
    docs: list[str],
    used: NDArray[np.int64],
    x: sparse.csr_matrix,
    vocab: NDArray[np.str_],
    language: str,
    n_terms: int,
    n_texts: int,
    assignments: NDArray[np.int64],
) -> TopicResult:
    totals = np.asarray(x.sum(axis=0)).ravel()
    top = np.argsort(-totals, kind="stable")[:n_terms]
    strength = np.asarray(x.sum(axis=1)).ravel()
    best = np.argsort(-strength, kind="stable")[:n_texts]
    assignments[used] = 0
    topic = Topic(
        terms=[str(w) for w in vocab[top]],
        weights=[float(v) for v in totals[top]],
        text_indices=[int(used[i]) for i in best],
        texts=[docs[int(used[i])] for i in best],
        size=int(used.size),
    )
    return TopicResult([topic], assignments, 1, language, "single")


def _nmf(
    x: sparse.csr_matrix, k: int, random_state: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    model = NMF(n_components=k, init="nndsvda", random_state=random_state, max_iter=300)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)  # round-off when k is close to n
        weights = model.fit_transform(x)
    return np.asarray(weights), np.asarray(model.components_)


def _choose_k(x: sparse.csr_matrix, k_max: int, random_state: int) -> int:
    if k_max < 2:
        return 1
    rng = np.random.default_rng(random_state)
    rows = np.arange(x.shape[0])
    if rows.size > SELECTION_SAMPLE:
        rows = np.sort(rng.choice(rows, size=SELECTION_SAMPLE, replace=False))
    sample = x[rows]
    best_k, best_score = 1, -np.inf
    for k in range(2, k_max + 1):
        weights, _ = _nmf(sample, k, random_state)
        labels = weights.argmax(axis=1)
        n_labels = np.unique(labels).size
        if n_labels < 2 or n_labels >= sample.shape[0]:
            continue
        score = float(silhouette_score(sample, labels, metric="cosine"))
        if score > best_score + 1e-12:
            best_k, best_score = k, score
    return best_k if best_k > 1 else 2
