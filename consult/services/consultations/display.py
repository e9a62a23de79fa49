"""A response's answers as readable lines: for the review page, the receipt and its mail."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from consult.extensions import db
from consult.models import Principle, Question, Response, Statement
from consult.services.catalogue import kept_principles, principles
from consult.services.consultations import kinds
from consult.services.consultations.kinds import Shown
from consult.services.consultations.responding import proposals_of, visible_questions


@dataclass
class ShownAnswer:
    question: Question
    #: plain text (never markup): templates escape it
    lines: list[str] = field(default_factory=list)
    #: the lines are what the person typed (in their own language, not the page's)
    typed: bool = False


def describe_many(responses: Sequence[Response], locale: str) -> dict[int, list[ShownAnswer]]:
    """`describe` for a page of responses, with the same few queries for any number of them
    (their proposals in one query, the principles once)."""
    ids = [r.id for r in responses]
    proposals: dict[int, list[Statement]] = defaultdict(list)
    if ids:
        for statement in db.session.scalars(
            select(Statement).where(Statement.proposed_by_response_id.in_(ids))
            .order_by(Statement.id)
        ):
            proposals[statement.proposed_by_response_id or 0].append(statement)
    catalogue = principles()
    return {r.id: describe(r, locale, proposals[r.id], catalogue) for r in responses}


def describe(response: Response, locale: str, own: Sequence[Statement] | None = None,
             catalogue: Sequence[Principle] | None = None) -> list[ShownAnswer]:
    """One entry per visible question, in order; an empty `lines` means not answered.

    `own` (the response's proposed statements) and `catalogue` (the principles) are
    looked up when not given."""
    if own is None:
        own = proposals_of(response) if response.id else []
    shown = Shown(locale, {v.statement_id: v.vote for v in response.votes}, own, catalogue,
                  kept_principles)
    return [
        ShownAnswer(question, kind.describe(question, response.answer_for(question.id), shown),
                    typed=kind.free_text)
        for question in visible_questions(response.consultation, response)
        for kind in (kinds.get(question.kind),)
    ]
