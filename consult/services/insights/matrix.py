"""The respondents x items matrix the opinion analysis works on, read from the database.

Rules:

- Rows are the *counted* responses of a consultation: submitted and not spam (whatever
  their publication consent: "do not publish" still counts for the analysis, it only
  never shows), each person once: a tasting participant who answered the consultation
  before and after the tasting counts with the "after" answer (`Response.
  is_latest_of_person`); `every_round=True` reads both, for the before-and-after. Rows
  are in response-id order.
- Columns ("items") are, in question order: every approved statement of a statements
  question (vote +1 agree, -1 disagree, 0 pass, as stored), every principle of a
  principle-rating question (rating r on 1..5 becomes (r - 3) / 2), and every Likert
  question (likewise). A cell nobody filled in is NaN; a stored value outside 1..5 is
  treated as unanswered.
- Open-text answers are read separately (`TextAnswer`), with whether they may be quoted:
  only approved answers of responses whose consent is publish-with-name or
  publish-anonymously. A name is kept only for publish-with-name of a verified
  organisation (`Response.public_name`).
- Per row, whether the response speaks for a verified organisation (`verified`), for
  the groups' composition by stakeholder type and verification.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import select

from consult.extensions import db
from consult.models import (
    PUBLISHING_CONSENTS,
    Answer,
    Consultation,
    ModerationStatus,
    Organisation,
    Question,
    Response,
    Statement,
    StatementVote,
    VerificationStatus,
)
from consult.services.catalogue import principles
from consult.services.consultations import kinds
from consult.services.consultations.kinds.names import statement_key
from consult.services.consultations.kinds.shapes import Item, rating_score
from consult.services.consultations.results import counted_filter

__all__ = ["QUOTABLE", "Item", "OpinionMatrix", "TextAnswer", "build_matrix", "rating_score"]

#: A text may be quoted under the consents that let a response be published.
QUOTABLE = PUBLISHING_CONSENTS


@dataclass(frozen=True)
class TextAnswer:
    row: int
    question_id: int
    text: str
    locale: str
    quotable: bool
    name: str | None


@dataclass
class OpinionMatrix:
    """Rows (responses), columns (items), the scores, and the open-text answers."""

    response_ids: list[int]
    public_ids: list[str]
    categories: list[str | None]
    user_ids: list[int | None]
    items: list[Item]
    values: NDArray[np.float64]
    texts: list[TextAnswer] = field(default_factory=list)
    #: Per row: does the response speak for a verified organisation?
    verified: list[bool] = field(default_factory=list)
    #: Per row: the tasting registration and round it came through (None and "" if none).
    registration_ids: list[int | None] = field(default_factory=list)
    rounds: list[str] = field(default_factory=list)
    text_questions: dict[int, tuple[str, str]] = field(default_factory=dict)

    @property
    def n_respondents(self) -> int:
        return len(self.response_ids)


def _items(questions: Sequence[Question], codes: list[tuple[str, str, str]]) -> list[Item]:
    return [item for q in questions for item in kinds.get(q.kind).matrix_items(q, codes)]


def build_matrix(consultation: Consultation, *, with_texts: bool = True,
                 every_round: bool = False) -> OpinionMatrix:
    """Read the counted responses of `consultation` into an `OpinionMatrix` (see the rules):
    each person once, or with `every_round` both rounds of a tasting's participant."""
    counted = counted_filter(consultation.id, public=False, every_round=every_round)
    rows = db.session.execute(
        select(Response.id, Response.public_id, Response.category, Response.user_id,
               Response.consent, Response.public_name.label("public_name"), Response.locale,
               Organisation.status.label("organisation_status"), Response.registration_id,
               Response.survey_round)
        .outerjoin(Organisation, Organisation.id == Response.organisation_id)
        .where(*counted).order_by(Response.id)
    ).all()
    row_of = {r.id: i for i, r in enumerate(rows)}
    codes = [(p.code, p.name_nl, p.name_en) for p in principles()]
    questions = list(consultation.questions)
    items = _items(questions, codes)
    column = {item.key: j for j, item in enumerate(items)}
    values = np.full((len(rows), len(items)), np.nan)

    if rows:
        _read_votes(values, questions, row_of, column, counted)
        _read_answers(values, questions, codes, row_of, column, counted)

    matrix = OpinionMatrix(
        response_ids=[r.id for r in rows], public_ids=[r.public_id for r in rows],
        categories=[r.category.value if r.category else None for r in rows],
        user_ids=[r.user_id for r in rows], items=items, values=values,
        verified=[r.organisation_status == VerificationStatus.VERIFIED for r in rows],
        registration_ids=[r.registration_id for r in rows],
        rounds=[r.survey_round or "" for r in rows],
    )
    if with_texts:
        _read_texts(matrix, questions, rows, row_of, counted)
    return matrix


def _read_votes(values: NDArray[np.float64], questions: list[Question],
                row_of: dict[int, int], column: dict[str, int], counted: list[Any]) -> None:
    statement_q = [q.id for q in questions if kinds.get(q.kind).stores_votes]
    if not statement_q:
        return
    votes = db.session.execute(
        select(StatementVote.response_id, StatementVote.statement_id, StatementVote.vote)
        .join(Response, StatementVote.response_id == Response.id)
        .join(Statement, StatementVote.statement_id == Statement.id)
        .where(Statement.question_id.in_(statement_q), *counted)
    )
    for response_id, statement_id, vote in votes:
        j = column.get(statement_key(statement_id))
        if j is not None and vote in (-1, 0, 1):
            values[row_of[response_id], j] = float(vote)


def _read_answers(values: NDArray[np.float64], questions: list[Question],
                  codes: list[tuple[str, str, str]], row_of: dict[int, int],
                  column: dict[str, int], counted: list[Any]) -> None:
    """The cells of the kinds that score a stored answer (principle ratings, Likert)."""
    rated = {q.id: kinds.get(q.kind) for q in questions
             if not kinds.get(q.kind).stores_votes and kinds.get(q.kind).matrix_items(q, codes)}
    if not rated:
        return
    answers = db.session.execute(
        select(Answer.response_id, Answer.question_id, Answer.value, Answer.number)
        .join(Response, Answer.response_id == Response.id)
        .where(Answer.question_id.in_(list(rated)), *counted)
    )
    for response_id, question_id, value, number in answers:
        i = row_of[response_id]
        for key, score in rated[question_id].matrix_scores(question_id, value, number):
            j = column.get(key)
            if j is not None:
                values[i, j] = score


def _read_texts(matrix: OpinionMatrix, questions: list[Question], rows: Sequence[Any],
                row_of: dict[int, int], counted: list[Any]) -> None:
    open_q = {q.id: (q.text_nl, q.text_en) for q in questions
              if kinds.get(q.kind).free_text}
    matrix.text_questions = open_q
    if not open_q or not rows:
        return
    answers = db.session.execute(
        select(Answer.response_id, Answer.question_id, Answer.text, Answer.moderation)
        .join(Response, Answer.response_id == Response.id)
        .where(Answer.question_id.in_(list(open_q)), Answer.text.is_not(None),
               Answer.moderation.is_distinct_from(ModerationStatus.HIDDEN), *counted)
        .order_by(Answer.response_id, Answer.question_id)
    )
    for response_id, question_id, text, moderation in answers:
        if not (text or "").strip():
            continue
        i = row_of[response_id]
        person = rows[i]
        quotable = moderation == ModerationStatus.APPROVED and person.consent in QUOTABLE
        name = person.public_name if quotable else None
        matrix.texts.append(TextAnswer(i, question_id, str(text), person.locale or "nl",
                                       quotable, name))
