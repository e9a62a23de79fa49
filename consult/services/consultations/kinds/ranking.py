"""Ranking: every option gets a different place, 1 being the most important.

Fields `q<id>-o<option id>` (the place); stored as the option ids in order of place in
`Answer.value`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from flask_babel import lazy_gettext as _l

from consult.models import Answer, Principle, Question, QuestionKind

from . import names
from .base import Kind, Shown, answers_of, first
from .shapes import (
    AnswerRow,
    FormTampered,
    ParsedAnswer,
    ParsedPage,
    QuestionResult,
    RawForm,
    Typed,
)


class Ranking(Kind):
    value = QuestionKind.RANKING.value
    label = _l("Ranking")
    needs_options = True

    def parse(self, question: Question, raw: RawForm, page: ParsedPage,
              principles: Sequence[Principle], shown: Sequence[int]) -> ParsedAnswer:
        parsed = ParsedAnswer(question)
        name = names.field(question.id)
        option_ids = [o.id for o in question.options]
        for suffix in names.suffixes(raw, question.id):
            if names.numbered(suffix, "o") not in option_ids:
                raise FormTampered()
        ranks: dict[int, int] = {}
        for option_id in option_ids:
            text = first(raw, names.option_field(question.id, option_id))
            if text == "":
                continue
            if not text.isdigit() or not 1 <= int(text) <= len(option_ids):
                raise FormTampered()
            ranks[option_id] = int(text)
        if not ranks:
            if page.requires(question):
                page.errors[name] = _l("Give every item a place.")
            return parsed
        if len(ranks) < len(option_ids) or sorted(ranks.values()) != list(
            range(1, len(option_ids) + 1)
        ):
            page.errors[name] = _l(
                "Give every item a different place, from 1 to %(n)s.", n=len(option_ids)
            )
            return parsed
        parsed.value = sorted(ranks, key=lambda oid: ranks[oid])
        return parsed

    def typed_answer(self, question: Question, answer: Answer) -> Typed:
        return {names.option_field(question.id, option_id): [str(place)]
                for place, option_id in enumerate(answer.value or [], start=1)}

    def first_input_id(self, question: Question, principle_codes: Sequence[str]) -> str:
        if question.options:
            return names.option_field(question.id, question.options[0].id)
        return names.field(question.id)

    def describe(self, question: Question, answer: Answer | None, shown: Shown) -> list[str]:
        if answer is None:
            return []
        labels = {o.id: o.label(shown.locale) for o in question.options}
        return [f"{n}. {labels.get(int(v), '?')}"
                for n, v in enumerate(answer.value or [], start=1)]

    def tally(self, question: Question, counted: Sequence[Any]) -> QuestionResult:
        result = QuestionResult(question, measure="rank")
        rank_sum: Counter[int] = Counter()
        firsts: Counter[int] = Counter()
        for answer in answers_of(question, counted):
            result.answered += 1
            for place, option_id in enumerate(answer.value or [], start=1):
                rank_sum[int(option_id)] += place
                if place == 1:
                    firsts[int(option_id)] += 1
        for option in question.options:
            result.rows.append({
                "key": str(option.id), "label_nl": option.label_nl, "label_en": option.label_en,
                "value": round(rank_sum[option.id] / result.answered, 2) if result.answered
                else None, "first": firsts[option.id],
            })
        return result

    def export_cells(self, question: Question, answer: AnswerRow, labels: Mapping[int, str],
                     public: bool) -> Iterable[tuple[str, Any]]:
        return [(names.export_key(question.id),
                 " > ".join(labels.get(int(v), "") for v in answer[0] or []))]
