"""Topics and guided coding on the hand-written answers (tests/analysis/data).

The issue's goals: topics agree with the themes at ARI >= 0.3 with automatic k within one of
the number of themes; coding reaches >= 75 % accuracy with 20 coded answers per code.
Coding meets its goal (a plain test). Topics do not: that goal stays a strict expected
failure (so a change that meets it shows up) next to a test of what is reached now.
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from analysis import text_topics
from analysis.coding import suggest_codes
from analysis.fillers import filler_words
from tests.support.free_text_set import PRINCIPLE_OF, free_text_set

LANGUAGES = ["nl", "en"]
PER_CODE = 20
SPLITS = 10
#: Principle names and descriptions (services/catalogue.PRINCIPLES) as the codebook gives them.
EXAMPLES = {
    "nl": {"safety": ["Veiligheid", "Voor mens, dier en milieu, en de nationale veiligheid."],
           "choice": ["Keuzevrijheid", "Zelf kunnen kiezen, bijvoorbeeld door duidelijke "
                      "etikettering."],
           "nature": ["Natuurlijkheid en genetische integriteit",
                      "Respect voor de eigen aard van planten, dieren en mensen."],
           "justice": ["Rechtvaardigheid", "Eerlijke verdeling van lusten en lasten."]},
    "en": {"safety": ["Safety", "For people, animals and the environment, and national "
                      "security."],
           "choice": ["Freedom of choice", "Being able to choose for yourself, for example "
                      "through clear labelling."],
           "nature": ["Naturalness and genetic integrity",
                      "Respect for the own nature of plants, animals and people."],
           "justice": ["Justice", "A fair sharing of benefits and burdens."]},
}


@cache
def _coding_accuracy(language: str) -> float:
    """Mean accuracy on the uncoded answers over SPLITS random draws of 20 coded per code."""
    texts, themes = free_text_set(language)
    truth = np.array(themes)
    scores = []
    for seed in range(SPLITS):
        rng = np.random.default_rng(seed)
        codes: list[str | None] = [None] * len(texts)
        for theme in sorted(set(themes)):
            for i in rng.choice(np.flatnonzero(truth == theme), PER_CODE, replace=False):
                codes[int(i)] = theme
        result = suggest_codes(texts, codes, language=language, examples=EXAMPLES[language])
        rest = [i for i, c in enumerate(codes) if c is None]
        scores.append(np.mean([result.suggested[i] == truth[i] for i in rest]))
    return float(np.mean(scores))


def test_the_set_is_large_varied_and_in_both_languages() -> None:
    total = 0
    for language in LANGUAGES:
        texts, themes = free_text_set(language)
        total += len(texts)
        assert set(themes) == set(PRINCIPLE_OF) and len(set(texts)) == len(texts)
        lengths = [len(t.split()) for t in texts]
        assert min(lengths) <= 2 and max(lengths) >= 20  # one-word answers and long ones
    assert total >= 300


@pytest.mark.parametrize("language", LANGUAGES)
def test_coding_with_20_answers_per_code_is_far_above_chance(language: str) -> None:
    accuracy = _coding_accuracy(language)
    print(f"coding accuracy {language}: {accuracy:.3f}")
    assert accuracy >= 0.65  # chance is 0.25; measured 0.768 (nl) and 0.794 (en)


@pytest.mark.parametrize("language", LANGUAGES)
def test_coding_goal_75_percent(language: str) -> None:
    # Measured with complement naive Bayes taught also by the uncoded answers (EM): 0.768
    # (nl) and 0.794 (en) over these 10 draws (seeds 0-9); 0.760 and 0.781 over 20 (seeds
    # 0-19); 0.758 and 0.778 over 40 other draws (seeds 100-139). Before (linear SVM with
    # neighbour smoothing): 0.715 and 0.746 over 10 draws, 0.713 and 0.732 over 20.
    assert _coding_accuracy(language) >= 0.75


@pytest.mark.parametrize("language", LANGUAGES)
def test_topics_are_labelled_with_surface_words_without_fillers(language: str) -> None:
    texts, _ = free_text_set(language)
    result = text_topics(texts, language=language, n_topics=4)
    written = set(re.findall(r"(?u)\b[^\W\d_]{2,}\b", " ".join(texts).lower()))
    fillers = filler_words(language)
    assert len(result.topics) == 4
    for topic in result.topics:
        assert topic.label == ", ".join(topic.terms[:3])
        for term in topic.terms:
            assert all(word in written for word in term.split()), term  # no bare stems
            assert not set(term.split()) & fillers
        assert 0 < topic.share <= 1 and 1 <= len(topic.quote_indices) <= 3
    assert abs(sum(t.share for t in result.topics) - 1) < 1e-3


@pytest.mark.parametrize("language", LANGUAGES)
def test_topics_measured_agreement_and_k(language: str) -> None:
    texts, themes = free_text_set(language)
    result = text_topics(texts, language=language)
    ari = adjusted_rand_score(themes, result.assignments)
    print(f"topics {language}: k={result.n_topics} ARI={ari:.3f} scores={result.scores}")
    assert 2 <= result.n_topics <= 10 and set(result.scores) == set(range(2, 11))
    assert ari > 0  # better than chance, far below the goal


@pytest.mark.xfail(strict=True, reason="goal not met: ARI 0.066 (nl), 0.080 (en), k 6 and 7 "
                   "on this set (measured again 2026-11-29); at k = 4 the best of NMF, LSA + "
                   "k-means, spectral and EM mixtures on stems, words and character n-grams "
                   "reached 0.10-0.17")
@pytest.mark.parametrize("language", LANGUAGES)
def test_topics_goal_ari_and_k(language: str) -> None:
    texts, themes = free_text_set(language)
    result = text_topics(texts, language=language)
    assert adjusted_rand_score(themes, result.assignments) >= 0.3
    assert abs(result.n_topics - len(set(themes))) <= 1


def test_quotes_come_only_from_texts_that_may_be_quoted() -> None:
    texts, _ = free_text_set("nl")
    quotable = [i % 3 == 0 for i in range(len(texts))]
    result = text_topics(texts, language="nl", n_topics=4, quotable=quotable)
    quoted = [i for t in result.topics for i in t.quote_indices]
    assert quoted and all(quotable[i] for i in quoted)
    nobody = text_topics(texts, language="nl", n_topics=4, quotable=[False] * len(texts))
    assert all(t.quote_indices == [] for t in nobody.topics)
