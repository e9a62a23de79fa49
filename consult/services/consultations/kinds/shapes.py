"""The values the question kinds hand to the rest of the services: a page's parsed
answers, a question's result rows, export columns and the opinion matrix's items."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from consult.models import Question
from consult.services import DomainError

RawForm = Mapping[str, Sequence[str]]
#: form values as a page would post them: field name -> values
Typed = dict[str, list[str]]
#: an answer as read for an export: (value, number, text, moderation)
AnswerRow = tuple[Any, Any, Any, Any]


class FormTampered(DomainError):
    """The form named a question, option or statement that was not on the page."""

    def __init__(self) -> None:
        super().__init__(
            _l("The form contained an answer to a question or option that does not exist "
               "on this page. Nothing was saved. Please fill in the page again.")
        )


@dataclass
class ParsedAnswer:
    question: Question
    value: Any | None = None
    number: float | None = None
    text: str | None = None
    votes: dict[int, int] = field(default_factory=dict)
    proposal: str | None = None

    @property
    def is_empty(self) -> bool:
        return (self.value in (None, [], {}) and self.number is None and not self.text
                and not self.votes and not self.proposal)


@dataclass
class ParsedPage:
    answers: dict[int, ParsedAnswer] = field(default_factory=dict)
    #: field name (or "q<id>") -> translated message
    errors: dict[str, Any] = field(default_factory=dict)
    #: False when the person goes back a page: what they gave is kept, and a required
    #: question may stay open for now (the submit still refuses a response without it)
    check_required: bool = True

    def requires(self, question: Question) -> bool:
        """Whether `question` must be answered on this post."""
        return self.check_required and bool(question.required)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    #: rows of (key, label_nl, label_en, count or value)
    rows: list[dict[str, Any]] = field(default_factory=list)
    #: "count" (bars are counts), "mean" (bars are means on 1..5), "votes" (agree/...)
    measure: str = "count"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    question_id: int | None = None
    sub: str | None = None  # principle code or statement id


@dataclass(frozen=True)
class Item:
    """One column: a statement, one principle of a rating question, or a Likert question."""

    key: str
    kind: str  # "statement", "principle" or "likert"
    label_nl: str
    label_en: str
    principles: tuple[str, ...] = ()
    statement_id: int | None = None

    def label(self, locale: str) -> str:
        return self.label_en if locale == "en" and self.label_en else self.label_nl


def rating_score(raw: Any, scale: int = 5) -> float:
    """A stored rating 1..scale as a score in [-1, 1]; NaN for anything else."""
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return float("nan")
    value = float(raw)
    if not 1 <= value <= scale or value != value:
        return float("nan")
    mid = (scale + 1) / 2
    return (value - mid) / (mid - 1)
