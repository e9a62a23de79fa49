"""Likert: a five-point agreement scale, from strongly disagree (1) to strongly agree (5).

Field `q<id>`; stored as `Answer.number`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from flask_babel import lazy_gettext as _l

from consult.models import Answer, Principle, Question, QuestionKind

from . import names
from .base import Kind, Shown, answers_of, first, scale_value
from .labels import LIKERT, LIKERT_RESULT_LABELS
from .shapes import AnswerRow, Item, ParsedAnswer, ParsedPage, QuestionResult, RawForm, Typed
from .shapes import rating_score as score


class Likert(Kind):
    value = QuestionKind.LIKERT.value
    label = _l("Five-point agreement scale")
    labels = LIKERT

    def parse(self, question: Question, raw: RawForm, page: ParsedPage,
              principles: Sequence[Principle], shown: Sequence[int]) -> ParsedAnswer:
        value = scale_value(first(raw, names.field(question.id)))
        parsed = ParsedAnswer(question, number=float(value) if value is not None else None)
        if page.requires(question) and value is None:
            page.errors[names.field(question.id)] = _l("Choose an answer.")
        return parsed

    def typed_answer(self, question: Question, answer: Answer) -> Typed:
        if answer.number is None:
            return {}
        return {names.field(question.id): [str(int(answer.number))]}

    def first_input_id(self, question: Question, principle_codes: Sequence[str]) -> str:
        return f"{names.field(question.id)}-1"

    def describe(self, question: Question, answer: Answer | None, shown: Shown) -> list[str]:
        if answer is None or answer.number is None:
            return []
        return [f"{int(answer.number)} – {LIKERT[int(answer.number)]}"]

    def tally(self, question: Question, counted: Sequence[Any]) -> QuestionResult:
        result = QuestionResult(question)
        dist: Counter[int] = Counter()
        for answer in answers_of(question, counted):
            if answer.number is not None:
                result.answered += 1
                dist[int(answer.number)] += 1
        for i in range(1, 6):
            result.rows.append({"key": str(i), "label_nl": LIKERT_RESULT_LABELS[i][0],
                                "label_en": LIKERT_RESULT_LABELS[i][1], "value": dist[i]})
        return result

    def export_cells(self, question: Question, answer: AnswerRow, labels: Mapping[int, str],
                     public: bool) -> Iterable[tuple[str, Any]]:
        number = answer[1]
        return [(names.export_key(question.id), int(number) if number is not None else None)]

    def matrix_items(self, question: Question,
                     codes: Sequence[tuple[str, str, str]]) -> list[Item]:
        return [Item(f"l{question.id}", "likert", question.text_nl, question.text_en)]

    def matrix_scores(self, question_id: int, value: Any,
                      number: Any) -> Iterable[tuple[str, float]]:
        return [(f"l{question_id}", score(number))]
