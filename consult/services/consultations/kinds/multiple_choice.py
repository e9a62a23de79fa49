"""Multiple choice: any number of the question's options, at most `max_choices`
(check boxes). Stored like a single choice: a list of option ids."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from consult.models import Question, QuestionKind

from . import names
from .shapes import ParsedPage
from .single_choice import ChoiceKind


class MultipleChoice(ChoiceKind):
    value = QuestionKind.MULTIPLE_CHOICE.value
    label = _l("Multiple choice")
    input_type = "checkbox"
    limits_choices = True

    def check_count(self, question: Question, chosen: list[int], page: ParsedPage) -> None:
        super().check_count(question, chosen, page)
        if question.max_choices and len(chosen) > question.max_choices:
            page.errors[names.field(question.id)] = _l(
                "Choose at most %(n)s options.", n=question.max_choices)

    def api_fields(self, question: Question) -> dict[str, Any]:
        return {"max_choices": question.max_choices}
