"""Synthetic opinion data with planted groups, for tests, benchmarks and demo data.

Model, in plain words: each of ``k`` groups has an opinion profile, one leaning per item
drawn uniformly from [-1, 1] and pushed towards the extremes (so groups really disagree on
some items). A respondent of a group answers item j with the group leaning plus Gaussian
noise of standard deviation ``noise``; the answer is then rounded to agree (+1), pass (0) or
disagree (-1) with cut points at ±1/3. Finally a fraction ``missing`` of the cells is
blanked (NaN) at random. Group sizes are balanced up to one respondent and shuffled.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from analysis.errors import AnalysisInputError

__all__ = ["planted_opinions"]

CHUNK_ROWS = 100_000


def planted_opinions(
    n: int,
    n_items: int,
    k: int,
    noise: float = 0.5,
    missing: float = 0.3,
    random_state: int = 0,
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Return ``(matrix, labels)``: ``n x n_items`` votes in {-1, 0, 1} or NaN, true groups.

    Deterministic for a given ``random_state``. Memory use is the output plus small chunks.
    """
    if n < 1 or n_items < 1 or k < 1:
        raise AnalysisInputError("n, n_items and k must all be at least 1")
    if k > n:
        raise AnalysisInputError(f"cannot plant {k} groups among {n} respondents")
    if not 0.0 <= missing < 1.0:
        raise AnalysisInputError("missing must be a fraction in [0, 1)")
    if noise < 0.0:
        raise AnalysisInputError("noise must not be negative")
    rng = np.random.default_rng(random_state)
    raw = rng.uniform(-1.0, 1.0, size=(k, n_items))
    profiles = np.sign(raw) * np.sqrt(np.abs(raw))
    labels = rng.permutation(np.arange(n) % k).astype(np.int64)
    matrix = np.empty((n, n_items), dtype=np.float64)
    for start in range(0, n, CHUNK_ROWS):
        stop = min(n, start + CHUNK_ROWS)
        block = profiles[labels[start:stop]] + rng.normal(0.0, noise, size=(stop - start, n_items))
        votes = np.where(block > 1 / 3, 1.0, np.where(block < -1 / 3, -1.0, 0.0))
        votes[rng.random(size=votes.shape) < missing] = np.nan
        matrix[start:stop] = votes
    return matrix, labels


THEMES: dict[str, list[list[str]]] = {
    "nl": [
        ["voedsel", "groente", "supermarkt", "etiket", "eten", "smaak", "boeren", "oogst"],
        ["medicijn", "ziekte", "patiënt", "behandeling", "genezing", "ziekenhuis", "arts"],
        ["natuur", "milieu", "biodiversiteit", "insecten", "bodem", "water", "klimaat"],
        ["regels", "overheid", "toezicht", "wetgeving", "vergunning", "controle", "europa"],
    ],
    "en": [
        ["food", "vegetables", "supermarket", "label", "taste", "farmers", "harvest"],
        ["medicine", "disease", "patient", "treatment", "cure", "hospital", "doctor"],
        ["nature", "environment", "biodiversity", "insects", "soil", "water", "climate"],
        ["rules", "government", "oversight", "legislation", "permit", "inspection", "europe"],
    ],
}
FILLER: dict[str, list[str]] = {
    "nl": ["ik", "vind", "dat", "het", "de", "een", "is", "en", "van", "niet", "wel", "ook",
           "maar", "voor", "met", "er", "heel", "belangrijk", "moet", "meer", "zijn"],
    "en": ["i", "think", "that", "the", "a", "is", "and", "of", "not", "also", "but", "for",
           "with", "there", "very", "important", "should", "more", "are", "it"],
}


def planted_texts(
    n: int, *, language: str = "nl", n_themes: int = 3, random_state: int = 0
) -> tuple[list[str], NDArray[np.int64]]:
    """Short free-text answers, each about one of ``n_themes`` planted themes.

    Every text mixes 3-5 words of its theme with 4-8 stop words. Returns ``(texts, themes)``.
    Theme word lists are in :data:`THEMES`.
    """
    if language not in THEMES:
        raise AnalysisInputError(f"language must be 'nl' or 'en', got {language!r}")
    if not 1 <= n_themes <= len(THEMES[language]):
        raise AnalysisInputError(f"n_themes must lie between 1 and {len(THEMES[language])}")
    rng = np.random.default_rng(random_state)
    themes = rng.integers(0, n_themes, size=n).astype(np.int64)
    filler = FILLER[language]
    texts = []
    for theme in themes:
        words = list(rng.choice(THEMES[language][theme], size=rng.integers(3, 6)))
        words += list(rng.choice(filler, size=rng.integers(4, 9)))
        rng.shuffle(words)
        texts.append(" ".join(str(w) for w in words).capitalize() + ".")
    return texts, themes
