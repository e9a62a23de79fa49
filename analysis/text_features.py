"""Words of free-text answers as features: stop and filler words out, Snowball stems, bigrams.

In plain words:

1. A text is lower-cased and split into words of two or more letters (digits are dropped).
2. Stop words (the ``stop-words`` package, for English joined with scikit-learn's list) and
   the survey filler words (:mod:`analysis.fillers`) are removed.
3. Each remaining word is reduced to its Snowball stem (the ``snowballstemmer`` package:
   "dutch" or "english"), so dier/dieren and eet/eten count as one word.
4. Each pair of neighbouring remaining words becomes a bigram ("grot bedrijf").
5. TF-IDF over stems and bigrams (sub-linear counts; features in at least 2 texts once there
   are 20 or more texts).

People read words, not stems: :class:`TextFeatures` keeps, for every stem and bigram, its
most frequent surface form ("dieren", "grote bedrijven") to label topics with.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import snowballstemmer
from numpy.typing import NDArray
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from stop_words import get_stop_words

from analysis.errors import AnalysisInputError
from analysis.fillers import filler_words

__all__ = ["TOKEN_PATTERN", "TextFeatures", "Tokenizer", "clean_texts", "stop_words_for",
           "text_features"]

LANGUAGES = {"nl": "dutch", "en": "english"}
TOKEN_PATTERN = r"(?u)\b[^\W\d_]{2,}\b"  # noqa: S105 - a regex, not a password
_TOKEN = re.compile(TOKEN_PATTERN)


def stop_words_for(language: str) -> frozenset[str]:
    """Stop words for ``"nl"`` or ``"en"`` from the ``stop-words`` package."""
    if language not in LANGUAGES:
        raise AnalysisInputError(f"language must be 'nl' or 'en', got {language!r}")
    words = {w.lower() for w in get_stop_words(LANGUAGES[language])}
    if language == "en":
        words |= set(ENGLISH_STOP_WORDS)
    # Also drop the pieces the tokenizer cuts contractions into ("mustn't" -> "mustn").
    pieces = {piece for w in words for piece in _TOKEN.findall(w)}
    return frozenset(words | pieces)


def clean_texts(texts: Sequence[str | None]) -> list[str]:
    """The texts as strings (None becomes ""); anything else is refused."""
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


class Tokenizer:
    """Text -> stems and bigrams, counting the surface words behind each feature."""

    def __init__(self, language: str, *, bigrams: bool = True) -> None:
        self.dropped = stop_words_for(language) | filler_words(language)
        self.bigrams = bigrams
        self._stemmer = snowballstemmer.stemmer(LANGUAGES[language])
        self._stems: dict[str, str] = {}
        self._pairs: Counter[tuple[str, str]] = Counter()
        self._surface: dict[str, Counter[str]] | None = None

    def stem(self, word: str) -> str:
        stem = self._stems.get(word)
        if stem is None:
            stem = self._stems[word] = self._stemmer.stemWord(word)
        return stem

    def words(self, text: str) -> list[str]:
        """The kept (not stop or filler) lower-case words of ``text``, in order."""
        return [w for w in _TOKEN.findall(text.lower()) if w not in self.dropped]

    def __call__(self, text: str) -> list[str]:
        words = self.words(text)
        stems = [self.stem(w) for w in words]
        self._surface = None
        self._pairs.update(zip(stems, words, strict=True))
        if not self.bigrams or len(stems) < 2:
            return stems
        pairs = [f"{a} {b}" for a, b in zip(stems, stems[1:], strict=False)]
        spoken = [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
        self._pairs.update(zip(pairs, spoken, strict=True))
        return stems + pairs

    def surface_word(self, feature: str) -> str:
        """The most frequent surface form of a stem or bigram (ties: alphabetical)."""
        if self._surface is None:
            self._surface = {}
            for (feat, word), count in self._pairs.items():
                self._surface.setdefault(feat, Counter())[word] += count
        counts = self._surface.get(feature)
        if not counts:
            return feature
        return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]


@dataclass
class TextFeatures:
    """TF-IDF rows of the texts over stems and bigrams, with the words people would read."""

    matrix: sparse.csr_matrix
    features: NDArray[np.str_]
    words: list[str]
    document_counts: NDArray[np.int64]
    language: str
    used: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    @property
    def n_features(self) -> int:
        return int(self.features.size)


def text_features(texts: Sequence[str | None], *, language: str, max_features: int = 20_000,
                  bigrams: bool = True, min_df: int | None = None) -> TextFeatures | None:
    """TF-IDF features of ``texts``; None when no text has a usable word.

    ``used`` holds the indices of texts with at least one feature (the others are empty).
    """
    docs = clean_texts(texts)
    tokenizer = Tokenizer(language, bigrams=bigrams)
    if not docs:
        return None
    vectorizer = TfidfVectorizer(
        analyzer=tokenizer,
        min_df=min_df if min_df is not None else (2 if len(docs) >= 20 else 1),
        max_features=max_features, sublinear_tf=True, dtype=np.float64,
    )
    try:
        matrix = sparse.csr_matrix(vectorizer.fit_transform(docs))
    except ValueError:  # empty vocabulary: only stop words, digits or nothing
        return None
    features = np.asarray(vectorizer.get_feature_names_out())
    used = np.flatnonzero(matrix.getnnz(axis=1) > 0).astype(np.int64)
    if used.size == 0:
        return None
    counts = np.asarray(matrix.getnnz(axis=0)).astype(np.int64)
    words = [tokenizer.surface_word(str(f)) for f in features]
    return TextFeatures(matrix, features, words, counts, language, used)
