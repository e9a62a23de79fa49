"""Questions for officials: add, change, delete and reorder questions, their options,
statements and condition.

Questions can be changed only while the consultation is a draft or scheduled (not yet
open), so nobody's answers ever lose their question. Officials type options and
statements one per line, the languages apart by "|": `parse_options` and
`parse_statements` read that text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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
from consult.services import DomainError, audit
from consult.services.consultations import kinds


def _lines(text: str | None, parts: int) -> list[list[str]]:
    """Non-empty lines of `text`, each cut at "|" into exactly `parts` stripped cells."""
    rows = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        cells = [c.strip() for c in line.split("|")]
        cells += [""] * (parts - len(cells))
        rows.append(cells[:parts])
    return rows


def parse_options(text: str | None) -> list[tuple[str, str]]:
    """Options typed as "Dutch | English" per line; without English, Dutch is used twice."""
    return [(nl, en or nl) for nl, en in _lines(text, 2)]


def parse_statements(text: str | None) -> list[tuple[str, str, list[str]]]:
    """Statements typed as "Dutch | English | principle codes" per line (the codes
    comma-separated, may be left out; without English, Dutch is used twice)."""
    return [(nl, en or nl, [c.strip() for c in codes.split(",") if c.strip()])
            for nl, en, codes in _lines(text, 3)]


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
    #: (nl, en) per option, in order
    options: Sequence[tuple[str, str]] = ()
    #: (nl, en, principle codes) per statement
    statements: Sequence[tuple[str, str, Sequence[str]]] = ()
    condition_option_id: int | None = None


def require_questions_editable(consultation: Consultation) -> None:
    if consultation.effective_status() not in (ConsultationStatus.DRAFT,
                                               ConsultationStatus.SCHEDULED):
        raise DomainError(_l("Questions cannot change once the consultation has opened."))


def _check_question(consultation: Consultation, data: QuestionData,
                    question: Question | None) -> None:
    if not data.text_nl.strip() and not data.text_en.strip():
        raise DomainError(_l("Write the question in at least one language."), "text_nl")
    kind = kinds.get(data.kind)
    if kind.needs_options and len(data.options) < 2:
        raise DomainError(_l("Give at least two options, one per line."), "options")
    if kind.needs_statements and not data.statements and (
        question is None or not question.statements
    ):
        raise DomainError(_l("Give at least one statement, one per line."), "statements")
    if data.condition_option_id is not None:
        option = db.session.get(QuestionOption, data.condition_option_id)
        if (option is None or option.question.consultation_id != consultation.id
                or not kinds.get(option.question.kind).chooses_options
                or option.question.page >= data.page
                or (question is not None and option.question_id == question.id)):
            raise DomainError(_l("A question can depend only on an answer to a choice "
                                 "question on an earlier page."), "condition_option_id")


def _principles_by_code(codes: Sequence[str]) -> list[Principle]:
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


def _set_options(question: Question, options: Sequence[tuple[str, str]]) -> None:
    """Replace the options, keeping rows (and ids) where a position stays."""
    for position, (nl, en) in enumerate(options):
        if position < len(question.options):
            question.options[position].label_nl, question.options[position].label_en = nl, en
        else:
            question.options.append(QuestionOption(position=position, label_nl=nl, label_en=en))
    del question.options[len(options):]


def _add_statements(question: Question,
                    statements: Sequence[tuple[str, str, Sequence[str]]]) -> None:
    for nl, en, codes in statements:
        statement = Statement(text_nl=nl, text_en=en, status=ModerationStatus.APPROVED,
                              principles=_principles_by_code(codes))
        question.statements.append(statement)


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
    _add_statements(question, data.statements)
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
    _add_statements(question, data.statements)
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
