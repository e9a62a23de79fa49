"""Questions for officials: add, change, delete and reorder questions, their options,
statements and condition.

Questions can be changed only while the consultation is a draft or scheduled (not yet
open), so nobody's answers ever lose their question. Officials edit options and
statements as rows (the officials' question form); the order of the rows is the order
saved. Options keep their row (and id) when they carry it, so a condition on an option
follows it. Statements are saved by position: before a consultation opens nothing
refers to a statement (no votes, no proposals), so row i of the list becomes the i-th
statement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import (
    Consultation,
    ConsultationStatus,
    ModerationStatus,
    Principle,
    Question,
    QuestionCondition,
    QuestionKind,
    QuestionOption,
    Statement,
    User,
)
from consult.models.types import OtherValue
from consult.services import DomainError, audit, catalogue, raise_all
from consult.services.consultations import kinds


class OptionRow(NamedTuple):
    """An option as the editor sends it: the existing option's id keeps its identity (a
    condition on another question follows it when the options are reordered)."""

    nl: str
    en: str
    id: int | None = None


class StatementRow(NamedTuple):
    nl: str
    en: str
    codes: Sequence[str] = ()
    status: ModerationStatus = ModerationStatus.APPROVED


#: an option: (nl, en), or an OptionRow
OptionInput = tuple[str, str] | OptionRow
#: a statement: (nl, en, principle codes), or a StatementRow with its status
StatementInput = tuple[str, str, Sequence[str]] | StatementRow


@dataclass
class QuestionData:
    #: a QuestionKind member, or an OtherValue for a registered kind (kinds.stored_value)
    kind: QuestionKind | OtherValue
    text_nl: str
    text_en: str = ""
    help_nl: str = ""
    help_en: str = ""
    page: int = 1
    required: bool = False
    max_choices: int | None = None
    max_length: int | None = None
    allow_proposals: bool = False
    #: the options in order: (nl, en) or OptionRow
    options: Sequence[OptionInput] = ()
    #: all the statements in order: (nl, en, principle codes) or StatementRow; on an
    #: update the list replaces the question's statements
    statements: Sequence[StatementInput] = ()
    condition_option_id: int | None = None


def require_questions_editable(consultation: Consultation) -> None:
    if consultation.effective_status() not in (ConsultationStatus.DRAFT,
                                               ConsultationStatus.SCHEDULED):
        raise DomainError(_l("Questions cannot change once the consultation has opened."))


def question_problems(consultation: Consultation, data: QuestionData,
                      question: Question | None,
                      unknown: frozenset[str] = frozenset()) -> list[DomainError]:
    """Every rule the question breaks, each at its field (the form shows them all at
    once); a rule reading a field in `unknown` (the form could not read it) is skipped."""
    problems = []
    if (not unknown & {"text_nl", "text_en"} and not data.text_nl.strip()
            and not data.text_en.strip()):
        problems.append(DomainError(_l("Write the question in at least one language."),
                                    "text_nl"))
    kind = kinds.get(data.kind) if "kind" not in unknown else None
    if kind and kind.needs_options and "options" not in unknown and len(data.options) < 2:
        problems.append(DomainError(_l("Give at least two options."), "options"))
    if kind and kind.needs_statements and "statements" not in unknown and not data.statements:
        problems.append(DomainError(_l("Give at least one statement."), "statements"))
    if data.condition_option_id is not None and not unknown & {"condition_option_id", "page"}:
        option = db.session.get(QuestionOption, data.condition_option_id)
        if (option is None or option.question.consultation_id != consultation.id
                or not kinds.get(option.question.kind).chooses_options
                or option.question.page >= data.page
                or (question is not None and option.question_id == question.id)):
            problems.append(DomainError(_l("A question can depend only on an answer to a "
                                           "choice question on an earlier page."),
                                        "condition_option_id"))
    return problems


def _check_question(consultation: Consultation, data: QuestionData,
                    question: Question | None) -> None:
    raise_all(question_problems(consultation, data, question))


def _principles_by_code(codes: Sequence[str]) -> list[Principle]:
    codes = list(dict.fromkeys(codes))  # a code sent twice is the principle once
    if not codes:
        return []
    found = {p.code: p for p in db.session.scalars(select(Principle).where(
        Principle.code.in_(list(codes))))}
    unknown = [c for c in codes if c not in found]
    if unknown:
        # str(): the codes are typed text and must be escaped, not trusted as markup.
        raise DomainError(str(_l("Unknown principle code: %(codes)s.",
                                 codes=", ".join(unknown))), "statements")
    return [found[c] for c in codes]


def _set_fields(question: Question, data: QuestionData) -> None:
    question.kind = data.kind
    for name in ("text_nl", "text_en", "help_nl", "help_en"):
        setattr(question, name, getattr(data, name).strip())
    question.page = max(1, data.page)
    question.required = data.required
    kind = kinds.get(data.kind)
    question.max_choices = data.max_choices if kind.limits_choices else None
    question.max_length = data.max_length if kind.limits_length else None
    question.allow_proposals = data.allow_proposals and kind.takes_proposals


def _set_options(question: Question, options: Sequence[OptionInput]) -> None:
    """Make the options these rows, in this order. A row with the id of one of the
    question's options changes that option; the other rows are new options; options not
    named are deleted. Positions go through negative numbers first, so no two options
    share a position at any flush (the pair is unique)."""
    rows = [OptionRow(*option) for option in options]
    current = {o.id: o for o in question.options if o.id is not None}
    kept: list[QuestionOption] = []
    for row in rows:
        option = current.pop(row.id, None) if row.id is not None else None
        if option is None:
            option = QuestionOption()
        option.label_nl, option.label_en = row.nl, row.en
        kept.append(option)
    for option in current.values():
        question.options.remove(option)
    for index, option in enumerate(kept):
        option.position = -1 - index
    if question.id is not None:
        db.session.flush()
    for index, option in enumerate(kept):
        option.position = index
    question.options[:] = kept


def _set_statements(question: Question, statements: Sequence[StatementInput]) -> None:
    """Make the statements these rows, in this order (see the module docstring)."""
    rows = [StatementRow(*statement) for statement in statements]
    existing = list(question.statements)
    for index, row in enumerate(rows):
        statement = existing[index] if index < len(existing) else Statement()
        statement.text_nl, statement.text_en = row.nl, row.en
        statement.status = row.status
        statement.principles = _principles_by_code(row.codes)
        if statement.status != ModerationStatus.HIDDEN:
            statement.hidden_reason = None
        if index >= len(existing):
            question.statements.append(statement)
    del question.statements[len(rows):]


def principle_options() -> list[OptionRow]:
    """The ethical principles of the catalogue as options (their nl and en names), for a
    ranking of the principles."""
    return [OptionRow(p.name_nl, p.name_en) for p in catalogue.principles()]


def _set_condition(question: Question, option_id: int | None) -> None:
    if option_id is None:
        question.condition = None
    elif question.condition is None:
        question.condition = QuestionCondition(option_id=option_id)
    else:
        question.condition.option_id = option_id


def add_question(actor: User, consultation: Consultation, data: QuestionData) -> Question:
    require_questions_editable(consultation)
    _check_question(consultation, data, None)
    position = (db.session.scalar(select(func.max(Question.position)).filter_by(
        consultation_id=consultation.id)) or 0) + 1
    question = Question(position=position)
    _set_fields(question, data)
    consultation.questions.append(question)
    _set_options(question, data.options)
    _set_statements(question, data.statements)
    db.session.flush()
    _set_condition(question, data.condition_option_id)
    db.session.flush()
    audit.record(actor, "question.create", question, consultation=consultation.slug)
    return question


def update_question(actor: User, question: Question, data: QuestionData) -> None:
    require_questions_editable(question.consultation)
    _check_question(question.consultation, data, question)
    _set_fields(question, data)
    _set_options(question, data.options)
    _set_statements(question, data.statements)
    _set_condition(question, data.condition_option_id)
    db.session.flush()
    audit.record(actor, "question.update", question)


def delete_question(actor: User, question: Question) -> None:
    require_questions_editable(question.consultation)
    audit.record(actor, "question.delete", question, text=question.text_nl[:80])
    question.consultation.questions.remove(question)
    db.session.flush()


def move_question(actor: User, question: Question, offset: int) -> None:
    require_questions_editable(question.consultation)
    questions = list(question.consultation.questions)
    index = questions.index(question)
    other_index = index + offset
    if not 0 <= other_index < len(questions):
        return
    other = questions[other_index]
    a, b = question.position, other.position
    question.position = -1
    db.session.flush()
    other.position = a
    db.session.flush()
    question.position = b
    db.session.flush()
    db.session.expire(question.consultation, ["questions"])
