"""analysis.coding: settings picked by cross-validation, calibrated confidence, the
uncoded answers' part (EM) and its sample, the fingerprint of the codes, and the small
cases."""

from __future__ import annotations

import numpy as np

from analysis import coding
from analysis.coding import codes_fingerprint, coding_features, suggest_codes
from tests.support.free_text_set import free_text_set


def _coded(themes: list[str], per_code: int, seed: int = 0) -> list[str | None]:
    truth = np.array(themes)
    rng = np.random.default_rng(seed)
    codes: list[str | None] = [None] * len(themes)
    for theme in sorted(set(themes)):
        for i in rng.choice(np.flatnonzero(truth == theme), per_code, replace=False):
            codes[int(i)] = theme
    return codes


def test_confidence_is_calibrated_on_held_out_answers() -> None:
    """Proposals made with high confidence are right more often than those with low."""
    right, sure = [], []
    for language in ("nl", "en"):
        texts, themes = free_text_set(language)
        for seed in range(3):
            codes = _coded(themes, 20, seed)
            result = suggest_codes(texts, codes, language=language)
            assert result.weight in coding.WEIGHT_GRID
            assert result.cv_accuracy is not None and result.n_folds == 5
            for i, code in enumerate(codes):
                if code is None and result.suggested[i] is not None:
                    right.append(result.suggested[i] == themes[i])
                    sure.append(result.confidence[i])
    right_, sure_ = np.array(right), np.array(sure)
    assert np.all((sure_ > 0.25) & (sure_ <= 1))  # four codes: the best is above a quarter
    high, low = sure_ >= np.median(sure_), sure_ < np.median(sure_)
    assert right_[high].mean() > right_[low].mean() + 0.1
    # On average the confidence says how often a proposal is right (within 10 points).
    assert abs(sure_.mean() - right_.mean()) < 0.1


def test_two_codes_and_texts_without_words() -> None:
    texts = ["veilig testen", "veiligheid eerst", "etiket erop", "duidelijk etiket",
             "veilig", "etiketten", "de het een", ""]
    codes = ["a", "a", "b", "b", None, None, None, None]
    result = suggest_codes(texts, codes, language="nl")
    assert result.suggested[4] == "a" and result.suggested[5] == "b"
    assert result.suggested[6] is None and result.suggested[7] is None
    assert result.confidence[6] == 0 and result.confidence[4] > 0.5
    assert result.cv_accuracy is not None and result.n_folds == 2


def test_uncoded_answers_teach_and_reused_features_give_the_same_proposals(
        monkeypatch) -> None:
    texts, themes = free_text_set("nl")
    codes = _coded(themes, 10)
    features = coding_features(texts, "nl")
    assert features.matrix.shape[0] == len(texts) and features.has_words.all()
    again = suggest_codes(texts, codes, language="nl", features=features)
    assert again.suggested == suggest_codes(texts, codes, language="nl").suggested
    rest = [i for i, c in enumerate(codes) if c is None]

    def right(grid: tuple[float, ...]) -> float:
        monkeypatch.setattr(coding, "WEIGHT_GRID", grid)
        result = suggest_codes(texts, codes, language="nl", features=features)
        assert result.weight == grid[0]
        return float(np.mean([result.suggested[i] == themes[i] for i in rest]))

    assert right((2.0,)) > right((0.0,))  # the uncoded answers' words carry the codes
    # Above EM_SAMPLE uncoded answers a sample of them takes part: proposals still come.
    monkeypatch.setattr(coding, "EM_SAMPLE", 20)
    sampled = suggest_codes(texts, codes, language="nl", features=features)
    assert all(sampled.suggested[i] is not None for i in rest)
    assert np.mean([sampled.suggested[i] == themes[i] for i in rest]) > 0.5


def test_fingerprint_changes_with_any_answer_code_or_context_and_only_then() -> None:
    keys = [11, 12, 13]
    codes: list[str | None] = ["a", None, "b"]
    same = codes_fingerprint(keys, codes)
    assert codes_fingerprint([11, 12, 13], ["a", None, "b"]) == same
    assert codes_fingerprint(keys, ["a", "", "b"]) == same  # "" is "not coded"
    assert codes_fingerprint(keys, ["a", None, "a"]) != same
    assert codes_fingerprint(keys, ["a", "b", None]) != same
    assert codes_fingerprint(keys, [None, None, None]) != same
    assert codes_fingerprint([11, 12, 14], codes) != same  # another answer
    assert codes_fingerprint([11, 12, 13, 14], [*codes, None]) != same  # a new answer
    assert codes_fingerprint(keys, codes, context=["a=Veiligheid"]) != same
