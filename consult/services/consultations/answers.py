"""Reading a page of answers from posted form data; each question's kind reads its own
fields (`kinds/`, where the field names are spelt: `kinds/names.py`).

Two kinds of failure:
- a person's mistake (a required question left open, too many choices, a text too
  long, a ranking that is not a permutation) is an error at the field; the page is shown
  again with everything typed;
- a name or id that was never on the page (a forged question, option, statement or
  principle) raises `FormTampered`: the view answers 400 and stores nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from consult.models import Principle, Question
from consult.services.consultations import kinds
from consult.services.consultations.kinds.names import FIELD_NAME
from consult.services.consultations.kinds.open_text import DEFAULT_MAX_LENGTH
from consult.services.consultations.kinds.shapes import (
    FormTampered,
    ParsedAnswer,
    ParsedPage,
    RawForm,
)
from consult.services.consultations.kinds.statements import PROPOSAL_MAX_LENGTH

__all__ = ["DEFAULT_MAX_LENGTH", "PROPOSAL_MAX_LENGTH", "FormTampered", "ParsedAnswer",
           "ParsedPage", "RawForm", "check_field_names", "parse_page", "parse_question"]


def check_field_names(raw: RawForm, questions: Sequence[Question]) -> None:
    """Every q-field names a question on this page."""
    ids = {q.id for q in questions}
    for name in raw:
        match = FIELD_NAME.match(name)
        if name.startswith("q") and match is None and name[1:2].isdigit():
            raise FormTampered()
        if match and int(match.group(1)) not in ids:
            raise FormTampered()


def parse_question(
    question: Question, raw: RawForm, principles: Sequence[Principle],
    statements_shown: Sequence[int], page: ParsedPage,
) -> ParsedAnswer:
    return kinds.get(question.kind).parse(question, raw, page, principles, statements_shown)


def parse_page(
    questions: Sequence[Question], raw: RawForm, principles: Sequence[Principle],
    statements_shown: Mapping[int, Sequence[int]], check_required: bool = True,
) -> ParsedPage:
    """Read the answers to `questions` from `raw`; forged names raise FormTampered.
    `check_required=False` (going back a page): a required question may stay open; every
    other mistake is still an error."""
    check_field_names(raw, questions)
    page = ParsedPage(check_required=check_required)
    for question in questions:
        page.answers[question.id] = parse_question(
            question, raw, principles, statements_shown.get(question.id, ()), page
        )
    return page
