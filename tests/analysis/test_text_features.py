"""The survey filler list, Snowball stemming, surface words and bigrams."""

from __future__ import annotations

import pytest

from analysis import AnalysisInputError
from analysis.fillers import FILLERS, filler_words
from analysis.text_features import Tokenizer, stop_words_for, text_features


@pytest.mark.parametrize("language", ["nl", "en"])
def test_filler_list_is_lower_case_words_not_already_stop_words(language: str) -> None:
    words = filler_words(language)
    assert words == FILLERS[language] and len(words) > 40
    assert all(w == w.lower() and w.isalpha() for w in words)
    # The list adds to the package's stop words rather than repeating them all.
    assert len(words - stop_words_for(language)) > 20


def test_the_fillers_the_issue_names_are_in_the_list() -> None:
    assert {"vind", "gewoon", "echt", "denk", "mening", "verder", "opmerkingen"} <= (
        filler_words("nl"))
    assert {"think", "really", "just", "opinion", "further", "comments"} <= filler_words("en")
    # A theme word that looks like a filler stays: "natuurlijk" also means "natural".
    assert "natuurlijk" not in filler_words("nl")


def test_fillers_and_stop_words_are_removed() -> None:
    tokenizer = Tokenizer("nl", bigrams=False)
    words = tokenizer.words("Ik vind gewoon echt dat dieren verder geen opmerkingen")
    assert words == ["dieren"]
    assert Tokenizer("en").words("I really just think that animals matter, no comments") == [
        "animals", "matter"]


def test_unknown_language_is_refused() -> None:
    with pytest.raises(AnalysisInputError):
        filler_words("de")
    with pytest.raises(AnalysisInputError):
        Tokenizer("fr")


@pytest.mark.parametrize(("language", "pairs"), [
    ("nl", [("dier", "dieren"), ("eet", "eten"), ("boer", "boeren"), ("etiket", "etiketten")]),
    ("en", [("animal", "animals"), ("farmer", "farmers"), ("label", "labelling"),
            ("eat", "eating")]),
])
def test_snowball_stems_join_word_forms(language: str, pairs: list[tuple[str, str]]) -> None:
    tokenizer = Tokenizer(language)
    for a, b in pairs:
        assert tokenizer.stem(a) == tokenizer.stem(b), (a, b)


def test_features_hold_stems_and_bigrams_and_read_as_surface_words() -> None:
    texts = ["De dieren lijden.", "Dieren hebben rechten.", "Grote bedrijven winnen.",
             "Het dier lijdt, grote bedrijven verdienen."]
    features = text_features(texts, language="nl", min_df=1)
    assert features is not None
    names = list(features.features)
    stem = Tokenizer("nl").stem
    assert stem("dieren") in names and f"{stem('grote')} {stem('bedrijven')}" in names
    words = dict(zip(names, features.words, strict=True))
    # The label is the most frequent surface form, not the stem.
    assert words[stem("dieren")] == "dieren"
    assert words[f"{stem('grote')} {stem('bedrijven')}"] == "grote bedrijven"
    counts = dict(zip(names, features.document_counts, strict=True))
    assert counts[stem("dieren")] == 3


def test_no_usable_words_gives_no_features() -> None:
    assert text_features([], language="nl") is None
    assert text_features(["ik vind het gewoon echt", "123", None], language="nl") is None


def test_few_texts_choose_k_within_what_a_subsample_allows() -> None:
    from analysis import text_topics

    texts = ["Veilig eten graag", "Etiket op de verpakking", "Eerlijke prijs voor boeren",
             "Natuur respecteren"]
    result = text_topics(texts, language="nl")
    assert 1 <= result.n_topics <= 3 and (result.assignments >= 0).all()
