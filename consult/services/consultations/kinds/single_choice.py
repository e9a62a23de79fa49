"""Single choice: one of the question's options (radio buttons). The base of the other
choice kinds too.

Field `q<id>` with option ids; stored as a list of option ids in `Answer.value`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from flask_babel import lazy_gettext as _l

from consult.models import Answer, Principle, Question, QuestionKind

from . import names
from .base import Kind, Shown, answers_of
from .shapes import (
    AnswerRow,
    FormTampered,
    ParsedAnswer,
    ParsedPage,
    QuestionResult,
    RawForm,
    Typed,
)


class ChoiceKind(Kind):
    """Options chosen by their ids; how many may be chosen is up to the subclass."""

    input_type = "radio"
    needs_options = True
    chooses_options = True

    @property
    def template(self) -> Any:
        return "consultations/kinds/choice.html"

    def parse(self, question: Question, raw: RawForm, page: ParsedPage,
              principles: Sequence[Principle], shown: Sequence[int]) -> ParsedAnswer:
        option_ids = {o.id for o in question.options}
        chosen: list[int] = []
        for item in raw.get(names.field(question.id)) or []:
            if not item.strip().isdigit() or int(item) not in option_ids:
                raise FormTampered()
            if int(item) not in chosen:
                chosen.append(int(item))
        order = [o.id for o in question.options]
        parsed = ParsedAnswer(question, value=sorted(chosen, key=order.index) or None)
        self.check_count(question, chosen, page)
        return parsed

    def check_count(self, question: Question, chosen: list[int], page: ParsedPage) -> None:
        if page.requires(question) and not chosen:
            page.errors[names.field(question.id)] = _l("Choose an answer.")

    def typed_answer(self, question: Question, answer: Answer) -> Typed:
        return {names.field(question.id): [str(v) for v in answer.value or []]}

    def first_input_id(self, question: Question, principle_codes: Sequence[str]) -> str:
        if question.options:
            return f"{names.field(question.id)}-{question.options[0].id}"
        return names.field(question.id)

    def describe(self, question: Question, answer: Answer | None, shown: Shown) -> list[str]:
        if answer is None:
            return []
        labels = {o.id: o.label(shown.locale) for o in question.options}
        return [labels.get(int(v), "?") for v in answer.value or []]

    def tally(self, question: Question, counted: Sequence[Any]) -> QuestionResult:
        result = QuestionResult(question)
        chosen: Counter[int] = Counter()
        for answer in answers_of(question, counted):
            result.answered += 1
            chosen.update(int(v) for v in answer.value or [])
        for option in question.options:
            result.rows.append({"key": str(option.id), "label_nl": option.label_nl,
                                "label_en": option.label_en, "value": chosen[option.id]})
        return result

    def export_cells(self, question: Question, answer: AnswerRow, labels: Mapping[int, str],
                     public: bool) -> Iterable[tuple[str, Any]]:
        return [(names.export_key(question.id),
                 "; ".join(labels.get(int(v), "") for v in answer[0] or []))]


class SingleChoice(ChoiceKind):
    value = QuestionKind.SINGLE_CHOICE.value
    label = _l("Single choice")

    def check_count(self, question: Question, chosen: list[int], page: ParsedPage) -> None:
        if len(chosen) > 1:
            raise FormTampered()
        super().check_count(question, chosen, page)
