"""Topics in small Dutch and English corpora with planted themes."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from analysis import text_topics
from analysis.synthetic import THEMES, planted_texts
from analysis.topics import stop_words_for


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("n_themes", [2, 3, 4])
def test_planted_themes_come_out(language: str, n_themes: int) -> None:
    texts, themes = planted_texts(240, language=language, n_themes=n_themes, random_state=2)
    result = text_topics(texts, language=language)
    assert result.method == "nmf" and result.n_topics == n_themes
    assert adjusted_rand_score(themes, result.assignments) >= 0.9
    stop = stop_words_for(language)
    found = set()
    for topic in result.topics:
        assert not set(topic.terms) & stop
        # The top 4 terms of a topic all belong to one planted theme.
        owners = {
            i for i, words in enumerate(THEMES[language]) if set(topic.terms[:4]) <= set(words)
        }
        assert len(owners) == 1
        found |= owners
        assert len(topic.text_indices) == 3 == len(topic.texts)
        for index, text in zip(topic.text_indices, topic.texts, strict=True):
            assert texts[index] == text
            assert result.assignments[index] == result.topics.index(topic)
    assert found == set(range(n_themes))
    assert [t.size for t in result.topics] == sorted((t.size for t in result.topics), reverse=True)


def test_dutch_stop_words_come_from_the_package() -> None:
    nl = stop_words_for("nl")
    assert {"de", "het", "een", "en", "van", "niet"} <= nl
    texts = ["de het een en van niet"] * 5 + ["Voedsel en groente in de supermarkt"] * 5
    result = text_topics(texts, language="nl", n_topics=1)
    assert result.topics[0].terms and not set(result.topics[0].terms) & nl


def test_fixed_number_of_topics_is_respected_and_capped() -> None:
    texts, _ = planted_texts(60, language="en", n_themes=3, random_state=0)
    assert text_topics(texts, language="en", n_topics=5).n_topics == 5
    small = ["food vegetables", "patient doctor", "nature soil"]
    assert text_topics(small, language="en", n_topics=50).n_topics <= 3


def test_empty_and_degenerate_inputs() -> None:
    empty = text_topics([], language="nl")
    assert empty.topics == [] and empty.n_topics == 0 and empty.assignments.shape == (0,)
    blank = text_topics(["", "   ", None, "123 456", "de het een"], language="nl")
    assert blank.topics == [] and blank.method == "none"
    assert (blank.assignments == -1).all() and blank.assignments.shape == (5,)
    single = text_topics(["Genetische modificatie van gewassen"], language="nl")
    assert single.method == "single" and single.n_topics == 1
    # Terms are surface words and bigrams; a word already in a bigram is not repeated.
    words = {w for term in single.topics[0].terms for w in term.split()}
    assert words == {"genetische", "modificatie", "gewassen"}
    assert single.topics[0].texts == ["Genetische modificatie van gewassen"]
    mixed = text_topics(["", "Gewassen en voedsel", "   "], language="nl")
    assert mixed.method == "single" and list(mixed.assignments) == [-1, 0, -1]
    two = text_topics(["voedsel groente", "patiënt arts"], language="nl")
    assert two.n_topics in (1, 2) and (two.assignments >= 0).all()


def test_deterministic() -> None:
    texts, _ = planted_texts(200, language="nl", n_themes=3, random_state=5)
    a = text_topics(texts, language="nl", random_state=1)
    b = text_topics(texts, language="nl", random_state=1)
    np.testing.assert_array_equal(a.assignments, b.assignments)
    assert [t.terms for t in a.topics] == [t.terms for t in b.topics]
