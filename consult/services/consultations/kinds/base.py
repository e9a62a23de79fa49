"""The base class of a question kind: everything a kind means, with the defaults of a
kind whose answer is one stored value per question.

A kind is a stateless object; the registry (`kinds.get`) holds one per kind value. Its
methods, by where they are used:

- the officials' question form: the flags `needs_options`, `needs_statements`,
  `limits_choices`, `limits_length`, `takes_proposals` and `chooses_options`;
- the form: `parse` (posted fields -> a `ParsedAnswer`, errors at the field),
  `typed` (a stored response -> the fields it would post), `first_input_id` (where an
  error-summary link goes) and `template` (the partial that draws its inputs);
- saving and submitting: `stores_votes`, `store` (a parsed answer -> its `Answer` row)
  and `is_missing` (a required question not yet fully answered);
- review, receipt and the officials' list: `describe` (readable lines, plain text);
- results: `tally`; exports: `export_columns` and `export_cells`;
- the opinion analysis: `matrix_items` and `matrix_scores`;
- the open-data API: `api_fields` and `api_answers`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from consult.extensions import db
from consult.models import Answer, Principle, Question, Response, Statement

from . import names
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

SCALE = range(1, 6)


def first(raw: RawForm, name: str) -> str:
    """The first posted value of a field, stripped; "" when absent."""
    values = raw.get(name) or []
    return values[0].strip() if values else ""


def scale_value(text: str) -> int | None:
    """A value on the five-point scale, or None when empty; FormTampered otherwise."""
    if text == "":
        return None
    if text.isdigit() and int(text) in SCALE:
        return int(text)
    raise FormTampered()


def answers_of(question: Question, counted: Sequence[Any]) -> Iterator[Answer]:
    """The answers to `question` of the responses the `counted` conditions select."""
    query = (
        select(Answer).join(Response, Answer.response_id == Response.id)
        .where(Answer.question_id == question.id, *counted)
        .execution_options(yield_per=2000)
    )
    yield from db.session.scalars(query)


@dataclass
class Shown:
    """What describing a response's answers needs besides the answers themselves."""

    locale: str
    #: statement id -> vote of this response
    votes: Mapping[int, int] = field(default_factory=dict)
    #: the statements this response proposed
    own: Sequence[Statement] = ()
    catalogue: Sequence[Principle] | None = None
    load_catalogue: Callable[[], Sequence[Principle]] | None = None

    def principles(self) -> Sequence[Principle]:
        """The principles, loaded once and only when a kind asks for them."""
        if self.catalogue is None:
            self.catalogue = self.load_catalogue() if self.load_catalogue else ()
        return self.catalogue


class Kind:
    """A question kind. Subclasses set `value` and `label` and override what differs."""

    #: the stored value of `Question.kind`
    value: ClassVar[str]
    #: the officials' name for it (lazily translated)
    label: ClassVar[Any]
    #: answers are statement votes of the response, not an `Answer` row
    stores_votes: ClassVar[bool] = False
    #: answers are free text (moderated; quoted in the analysis)
    free_text: ClassVar[bool] = False
    #: officials give at least two options
    needs_options: ClassVar[bool] = False
    #: officials give at least one statement (when the question has none yet)
    needs_statements: ClassVar[bool] = False
    #: the answer is the set of options chosen: a later question can be shown only when
    #: one of them is chosen, and officials can filter responses by one
    chooses_options: ClassVar[bool] = False
    #: the question keeps `max_choices` (otherwise it is cleared)
    limits_choices: ClassVar[bool] = False
    #: the question keeps `max_length` (otherwise it is cleared)
    limits_length: ClassVar[bool] = False
    #: the question keeps `allow_proposals` (otherwise it is cleared)
    takes_proposals: ClassVar[bool] = False

    # the field-name scheme, also for the partials
    field = staticmethod(names.field)
    sub_field = staticmethod(names.sub_field)
    statement_field = staticmethod(names.statement_field)
    option_field = staticmethod(names.option_field)
    proposal_field = staticmethod(names.proposal_field)

    @property
    def template(self) -> Any:
        """The partial that draws the inputs (a name, or a jinja2 Template object)."""
        return f"consultations/kinds/{self.value}.html"

    # --- the form ----------------------------------------------------------------------

    def parse(self, question: Question, raw: RawForm, page: ParsedPage,
              principles: Sequence[Principle], shown: Sequence[int]) -> ParsedAnswer:
        """Read this question's answer; errors go to `page.errors`."""
        parsed = ParsedAnswer(question)
        text = first(raw, names.field(question.id))
        parsed.value = text or None
        if page.requires(question) and not text:
            page.errors[names.field(question.id)] = _l("Choose an answer.")
        return parsed

    def typed(self, question: Question, response: Response) -> Typed:
        answer = response.answer_for(question.id)
        return {} if answer is None else self.typed_answer(question, answer)

    def typed_answer(self, question: Question, answer: Answer) -> Typed:
        if answer.value is None:
            return {}
        return {names.field(question.id): [str(answer.value)]}

    def first_input_id(self, question: Question, principle_codes: Sequence[str]) -> str:
        return names.field(question.id)

    # --- saving and submitting -----------------------------------------------------------

    def store(self, answer: Answer, parsed: ParsedAnswer) -> None:
        """Put a parsed, non-empty answer into its `Answer` row (new or stored before).
        Not called for a kind that `stores_votes`."""
        answer.value, answer.number, answer.text = parsed.value, parsed.number, parsed.text

    def is_missing(self, question: Question, response: Response) -> bool:
        """Whether the response lacks (part of) an answer to this question."""
        return response.answer_for(question.id) is None

    # --- review and receipt --------------------------------------------------------------

    def describe(self, question: Question, answer: Answer | None, shown: Shown) -> list[str]:
        """Plain-text lines (never markup: templates escape them); [] when not answered."""
        if answer is None or answer.value is None:
            return []
        return [str(answer.value)]

    # --- results -------------------------------------------------------------------------

    def tally(self, question: Question, counted: Sequence[Any]) -> QuestionResult:
        """Figures over the responses the `counted` conditions select."""
        result = QuestionResult(question)
        result.answered = sum(1 for _ in answers_of(question, counted))
        return result

    # --- exports -------------------------------------------------------------------------

    def export_columns(self, question: Question, public: bool, locale: str,
                       catalogue: Sequence[Principle]) -> list[Column]:
        key = names.export_key(question.id)
        return [Column(key, f"{key}: {question.text(locale)[:60]}", question.id)]

    def export_cells(self, question: Question, answer: AnswerRow, labels: Mapping[int, str],
                     public: bool) -> Iterable[tuple[str, Any]]:
        """(column key, cell) for a stored answer; statement votes are read apart."""
        value, number, _text, _moderation = answer
        return [(names.export_key(question.id), value if value is not None else number)]

    # --- the opinion analysis ------------------------------------------------------------

    def matrix_items(self, question: Question,
                     codes: Sequence[tuple[str, str, str]]) -> list[Item]:
        """The matrix columns of this question ((code, name_nl, name_en) per principle)."""
        return []

    def matrix_scores(self, question_id: int, value: Any,
                      number: Any) -> Iterable[tuple[str, float]]:
        """(item key, score in [-1, 1]) for a stored answer."""
        return ()

    # --- the open-data API ---------------------------------------------------------------

    def api_fields(self, question: Question) -> dict[str, Any]:
        """What the API shows of the question besides the fields every question has."""
        return {}

    def api_answers(self, question: Question, response: Response, votes: Mapping[int, int],
                    texts: Mapping[int, str]) -> dict[str, Any]:
        """A published response's answer: key -> value (texts: approved open texts)."""
        answer = response.answer_for(question.id)
        if answer is None:
            return {}
        return {names.field(question.id):
                answer.value if answer.value is not None else answer.number}
