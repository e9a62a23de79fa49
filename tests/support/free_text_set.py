"""The hand-written free-text answers in tests/analysis/data (theme TAB text, one a line).

Written by hand as different people would answer a consultation on biotechnology in food
and health (short, long, misspelled, different words), 40 answers per theme in Dutch and
40 in English: safety, choice (freedom of choice, labelling), nature (naturalness,
genetic integrity) and justice (who pays and who profits).
"""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "analysis" / "data"
#: The set's themes and the principle code each stands for.
PRINCIPLE_OF = {"safety": "safety", "choice": "freedom-of-choice", "nature": "naturalness",
                "justice": "justice"}


def free_text_set(language: str) -> tuple[list[str], list[str]]:
    """(texts, themes) of the Dutch ("nl") or English ("en") set, in file order."""
    texts, themes = [], []
    for line in (DATA / f"free_text_{language}.tsv").read_text(encoding="utf-8").splitlines():
        theme, text = line.split("\t", 1)
        themes.append(theme)
        texts.append(text)
    return texts, themes
