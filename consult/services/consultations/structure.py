"""A consultation's questions, options and statements as plain data, kept per worker.

Every request of the respond flow needs the consultation's questions with their
options, statements and conditions (six queries and their ORM objects). They change only
when an official edits the consultation, so each worker builds them once per
(database, consultation id, created at, version), as `page_cache` keys the public page:
`Consultation.version` is raised in the same flush as any change to a question, option,
condition or statement (models.consultation), so the next request, in any worker, sees
a new key and builds a fresh copy. A respondent's pending proposal raises no version: it
is not shown until a moderator approves it, and the approval raises it. The questions
are read after the consultation's row (which gave the version), so a copy is never older
than its key: at worst an edit committed in between is kept under the previous version,
and the next request, which sees the new version, builds again.

The copies are frozen dataclasses with the attributes and methods the respond pages,
the question kinds and their templates read from the ORM rows (`text(locale)`,
`options`, `approved_statements()`, `condition_option`...): nothing attached to a
session, so one copy is safely shared by every request of the worker. Answers are still
written through the ORM in the request's own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from consult.extensions import db
from consult.models import Consultation, ModerationStatus, Question, Statement
from consult.models._common import Bilingual
from consult.services.kept import KeptCopies

#: At most this many (consultation, version) structures per process.
MAX_ENTRIES = 64


@dataclass(frozen=True)
class OptionData(Bilingual):
    id: int
    question_id: int
    position: int
    label_nl: str
    label_en: str

    def label(self, locale: str) -> str:
        return self._pick("label", locale)


@dataclass(frozen=True)
class StatementData(Bilingual):
    id: int
    question_id: int
    text_nl: str
    text_en: str
    status: ModerationStatus
    principle_codes: tuple[str, ...]
    #: Proposed by a respondent: the text's language is unknown (models.Statement).
    proposed: bool = False

    def text(self, locale: str) -> str:
        return self._pick("text", locale)

    def shown_language(self, name: str, locale: str) -> str:
        if self.proposed and not self.text_en:
            return ""
        return super().shown_language(name, locale)


@dataclass(frozen=True)
class QuestionData(Bilingual):
    id: int
    consultation_id: int
    position: int
    page: int
    kind: object  # a QuestionKind, or an OtherValue of a kind registered at run time
    text_nl: str
    text_en: str
    help_nl: str
    help_en: str
    required: bool
    max_choices: int | None
    max_length: int | None
    allow_proposals: bool
    options: tuple[OptionData, ...]
    statements: tuple[StatementData, ...]
    condition_option: OptionData | None

    def text(self, locale: str) -> str:
        return self._pick("text", locale)

    def help(self, locale: str) -> str:
        return self._pick("help", locale)

    def approved_statements(self) -> list[StatementData]:
        return [s for s in self.statements if s.status == ModerationStatus.APPROVED]


@dataclass(frozen=True)
class Structure:
    key: tuple[object, ...]
    questions: tuple[QuestionData, ...]

    def pages(self) -> list[int]:
        return sorted({q.page for q in self.questions})


_kept: KeptCopies[Structure] = KeptCopies(MAX_ENTRIES)


def _option(o: object) -> OptionData:
    return OptionData(o.id, o.question_id, o.position,  # type: ignore[attr-defined]
                      o.label_nl, o.label_en or "")  # type: ignore[attr-defined]


def _build(consultation_id: int, key: tuple[object, ...]) -> Structure:
    rows = db.session.scalars(
        select(Question).where(Question.consultation_id == consultation_id)
        .order_by(Question.position)
        .options(selectinload(Question.statements).selectinload(Statement.principles))
    ).all()
    questions = tuple(
        QuestionData(
            id=q.id, consultation_id=q.consultation_id, position=q.position, page=q.page,
            kind=q.kind, text_nl=q.text_nl, text_en=q.text_en or "",
            help_nl=q.help_nl or "", help_en=q.help_en or "", required=bool(q.required),
            max_choices=q.max_choices, max_length=q.max_length,
            allow_proposals=bool(q.allow_proposals),
            options=tuple(_option(o) for o in q.options),
            statements=tuple(
                StatementData(s.id, s.question_id, s.text_nl, s.text_en or "", s.status,
                              tuple(s.principle_codes), s.proposed_by_response_id is not None)
                for s in q.statements),
            condition_option=_option(q.condition_option) if q.condition_option else None,
        )
        for q in rows)
    return Structure(key=key, questions=questions)


def structure(consultation: Consultation) -> Structure:
    """The consultation's questions as plain data, from this worker's copy when its
    version matches (no query then)."""
    key = (str(db.engine.url), consultation.id, consultation.created_at,
           consultation.version or 1)
    return _kept.get_or_make(key, lambda: _build(consultation.id, key))


def clear() -> None:
    _kept.clear()
