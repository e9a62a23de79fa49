"""Reading a page of answers from posted form data, question kind by question kind.

Field names: `q<id>` (likert, single and multiple choice, open text), `q<id>-<principle
code>` (principle rating), `q<id>-s<statement id>` (statement vote), `q<id>-new` (a
proposed statement), `q<id>-o<option id>` (rank of an option).

Two kinds of failure:
- a person's mistake (a required question left open, too many choices, a text too
  long, a ranking that is not a permutation) is an error at the field; the page is shown
  again with everything typed;
- a name or id that was never on the page (a forged question, option, statement or
  principle) raises `FormTampered`: the view answers 400 and stores nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from consult.models import Principle, Question, QuestionKind
from consult.services import DomainError

RawForm = Mapping[str, Sequence[str]]

DEFAULT_MAX_LENGTH = 2000
PROPOSAL_MAX_LENGTH = 300
SCALE = range(1, 6)
FIELD_NAME = re.compile(r"^q(\d+)(?:-(.+))?$")


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

    @property
    def ok(self) -> bool:
        return not self.errors


def _first(raw: RawForm, name: str) -> str:
    values = raw.get(name) or []
    return values[0].strip() if values else ""


def _scale(text: str) -> int | None:
    """A value on the five-point scale, or None when empty; FormTampered otherwise."""
    if text == "":
        return None
    if text.isdigit() and int(text) in SCALE:
        return int(text)
    raise FormTampered()


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
    name = f"q{question.id}"
    parsed = ParsedAnswer(question)
    kind = question.kind
    if kind == QuestionKind.PRINCIPLE_RATING:
        codes = {p.code for p in principles}
        for key in raw:
            match = FIELD_NAME.match(key)
            if match and int(match.group(1)) == question.id and match.group(2) not in codes:
                raise FormTampered()
        ratings = {p.code: _scale(_first(raw, f"{name}-{p.code}")) for p in principles}
        given = {code: v for code, v in ratings.items() if v is not None}
        parsed.value = given or None
        if question.required and len(given) < len(principles):
            page.errors[name] = _l("Rate every principle.")
    elif kind == QuestionKind.LIKERT:
        value = _scale(_first(raw, name))
        parsed.number = float(value) if value is not None else None
        if question.required and value is None:
            page.errors[name] = _l("Choose an answer.")
    elif kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
        option_ids = {o.id for o in question.options}
        chosen: list[int] = []
        for item in raw.get(name) or []:
            if not item.strip().isdigit() or int(item) not in option_ids:
                raise FormTampered()
            if int(item) not in chosen:
                chosen.append(int(item))
        if kind == QuestionKind.SINGLE_CHOICE and len(chosen) > 1:
            raise FormTampered()
        order = [o.id for o in question.options]
        parsed.value = sorted(chosen, key=order.index) or None
        if question.required and not chosen:
            page.errors[name] = _l("Choose an answer.")
        elif (kind == QuestionKind.MULTIPLE_CHOICE and question.max_choices
              and len(chosen) > question.max_choices):
            page.errors[name] = _l("Choose at most %(n)s options.", n=question.max_choices)
    elif kind == QuestionKind.RANKING:
        _parse_ranking(question, raw, parsed, page)
    elif kind == QuestionKind.OPEN_TEXT:
        text = (_first(raw, name)).replace("\r\n", "\n")
        limit = question.max_length or DEFAULT_MAX_LENGTH
        parsed.text = text or None
        if question.required and not text:
            page.errors[name] = _l("Write an answer.")
        elif len(text) > limit:
            page.errors[name] = _l(
                "Your answer has %(n)s characters; at most %(max)s are allowed.",
                n=len(text), max=limit,
            )
    elif kind == QuestionKind.STATEMENTS:
        _parse_statements(question, raw, statements_shown, parsed, page)
    return parsed


def _parse_ranking(question: Question, raw: RawForm, parsed: ParsedAnswer,
                   page: ParsedPage) -> None:
    name = f"q{question.id}"
    option_ids = [o.id for o in question.options]
    for key in raw:
        match = FIELD_NAME.match(key)
        if match and int(match.group(1)) == question.id:
            rest = match.group(2) or ""
            if not (rest.startswith("o") and rest[1:].isdigit() and int(rest[1:]) in option_ids):
                raise FormTampered()
    ranks: dict[int, int] = {}
    for option_id in option_ids:
        text = _first(raw, f"{name}-o{option_id}")
        if text == "":
            continue
        if not text.isdigit() or not 1 <= int(text) <= len(option_ids):
            raise FormTampered()
        ranks[option_id] = int(text)
    if not ranks:
        if question.required:
            page.errors[name] = _l("Give every item a place.")
        return
    if len(ranks) < len(option_ids) or sorted(ranks.values()) != list(
        range(1, len(option_ids) + 1)
    ):
        page.errors[name] = _l(
            "Give every item a different place, from 1 to %(n)s.", n=len(option_ids)
        )
        return
    parsed.value = sorted(ranks, key=lambda oid: ranks[oid])


def _parse_statements(question: Question, raw: RawForm, shown: Sequence[int],
                      parsed: ParsedAnswer, page: ParsedPage) -> None:
    name = f"q{question.id}"
    for key in raw:
        match = FIELD_NAME.match(key)
        if match and int(match.group(1)) == question.id:
            rest = match.group(2) or ""
            if rest == "new":
                continue
            if not (rest.startswith("s") and rest[1:].isdigit() and int(rest[1:]) in shown):
                raise FormTampered()
    for statement_id in shown:
        text = _first(raw, f"{name}-s{statement_id}")
        if text == "":
            continue
        if text not in ("1", "0", "-1"):
            raise FormTampered()
        parsed.votes[statement_id] = int(text)
    if question.required and len(parsed.votes) < len(shown):
        page.errors[name] = _l("Choose agree, disagree or pass for every statement.")
    proposal = _first(raw, f"{name}-new")
    if proposal:
        if not question.allow_proposals:
            raise FormTampered()
        if len(proposal) > PROPOSAL_MAX_LENGTH:
            page.errors[f"{name}-new"] = _l(
                "Your statement has %(n)s characters; at most %(max)s are allowed.",
                n=len(proposal), max=PROPOSAL_MAX_LENGTH,
            )
        parsed.proposal = proposal


def parse_page(
    questions: Sequence[Question], raw: RawForm, principles: Sequence[Principle],
    statements_shown: Mapping[int, Sequence[int]],
) -> ParsedPage:
    """Read the answers to `questions` from `raw`; forged names raise FormTampered."""
    check_field_names(raw, questions)
    page = ParsedPage()
    for question in questions:
        page.answers[question.id] = parse_question(
            question, raw, principles, statements_shown.get(question.id, ()), page
        )
    return page
