"""Principle rating: how much each principle of the catalogue matters, 1 to 5.

Fields `q<id>-<principle code>`; stored as {code: rating} in `Answer.value`."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from flask_babel import lazy_gettext as _l

from consult.models import Answer, Principle, Question, QuestionKind, Response
from consult.services.catalogue import kept_principles
from consult.services.catalogue import principles as all_principles

from . import names
from .base import Kind, Shown, answers_of, first, scale_value
from .labels import IMPORTANCE
from .shapes import (
    AnswerRow,
    Column,
    FormTampered,
    Item,
    ParsedAnswer,
    ParsedPage,
    QuestionResult,
    RawForm,
    Typed,
)
from .shapes import rating_score as score


class PrincipleRating(Kind):
    value = QuestionKind.PRINCIPLE_RATING.value
    label = _l("Principle rating (how much each principle matters)")
    labels = IMPORTANCE

    def parse(self, question: Question, raw: RawForm, page: ParsedPage,
              principles: Sequence[Principle], shown: Sequence[int]) -> ParsedAnswer:
        parsed = ParsedAnswer(question)
        codes = {p.code for p in principles}
        if any(suffix not in codes for suffix in names.suffixes(raw, question.id)):
            raise FormTampered()
        ratings = {p.code: scale_value(first(raw, names.sub_field(question.id, p.code)))
                   for p in principles}
        given = {code: v for code, v in ratings.items() if v is not None}
        parsed.value = given or None
        if page.requires(question) and len(given) < len(principles):
            page.errors[names.field(question.id)] = _l("Rate every principle.")
        return parsed

    def typed_answer(self, question: Question, answer: Answer) -> Typed:
        return {names.sub_field(question.id, code): [str(value)]
                for code, value in (answer.value or {}).items()}

    def first_input_id(self, question: Question, principle_codes: Sequence[str]) -> str:
        if principle_codes:
            return f"{names.sub_field(question.id, principle_codes[0])}-1"
        return names.field(question.id)

    def is_missing(self, question: Question, response: Response) -> bool:
        """Missing until every principle of the catalogue has a rating."""
        answer = response.answer_for(question.id)
        return answer is None or len(answer.value or {}) < len(kept_principles())

    def describe(self, question: Question, answer: Answer | None, shown: Shown) -> list[str]:
        if answer is None:
            return []
        ratings = answer.value or {}
        lines = []
        for p in shown.principles():
            if p.code in ratings:
                value = int(ratings[p.code])
                lines.append(f"{p.name(shown.locale)}: {value} – {IMPORTANCE[value]}")
        return lines

    def tally(self, question: Question, counted: Sequence[Any]) -> QuestionResult:
        result = QuestionResult(question, measure="mean")
        sums: Counter[str] = Counter()
        ns: Counter[str] = Counter()
        dist: dict[str, Counter[int]] = defaultdict(Counter)
        for answer in answers_of(question, counted):
            result.answered += 1
            for code, value in (answer.value or {}).items():
                sums[code] += int(value)
                ns[code] += 1
                dist[code][int(value)] += 1
        for p in all_principles():
            result.rows.append({
                "key": p.code, "label_nl": p.name_nl, "label_en": p.name_en,
                "value": round(sums[p.code] / ns[p.code], 2) if ns[p.code] else None,
                "n": ns[p.code], "distribution": [dist[p.code][i] for i in range(1, 6)],
            })
        return result

    def export_columns(self, question: Question, public: bool, locale: str,
                       catalogue: Sequence[Principle]) -> list[Column]:
        return [Column(names.export_key(question.id, p.code),
                       f"{names.export_key(question.id, p.code)}: {p.name(locale)}",
                       question.id, p.code) for p in catalogue]

    def export_cells(self, question: Question, answer: AnswerRow, labels: Mapping[int, str],
                     public: bool) -> Iterable[tuple[str, Any]]:
        return [(names.export_key(question.id, code), int(rating))
                for code, rating in (answer[0] or {}).items()]

    def matrix_items(self, question: Question,
                     codes: Sequence[tuple[str, str, str]]) -> list[Item]:
        return [Item(f"p{question.id}:{code}", "principle", nl, en, (code,))
                for code, nl, en in codes]

    def matrix_scores(self, question_id: int, value: Any,
                      number: Any) -> Iterable[tuple[str, float]]:
        if not isinstance(value, dict):
            return ()
        return [(f"p{question_id}:{code}", score(rating)) for code, rating in value.items()]

    def api_fields(self, question: Question) -> dict[str, Any]:
        return {"principles": [p.code for p in all_principles()]}
