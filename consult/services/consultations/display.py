"""A response's answers as readable lines: for the review page, the receipt and its mail."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from consult.extensions import db
from consult.models import Principle, Question, QuestionKind, Response, Statement
from consult.services.catalogue import principles
from consult.services.consultations.responding import proposals_of, visible_questions

LIKERT = {1: _l("Strongly disagree"), 2: _l("Disagree"), 3: _l("Neither agree nor disagree"),
          4: _l("Agree"), 5: _l("Strongly agree")}
IMPORTANCE = {1: _l("Not important"), 2: _l("A little important"), 3: _l("Fairly important"),
              4: _l("Important"), 5: _l("Very important")}
VOTES = {1: _l("Agree"), -1: _l("Disagree"), 0: _l("Pass")}


@dataclass
class ShownAnswer:
    question: Question
    #: plain text (never markup): templates escape it
    lines: list[str] = field(default_factory=list)


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
    votes = {v.statement_id: v.vote for v in response.votes}
    shown: list[ShownAnswer] = []
    if own is None:
        own = proposals_of(response) if response.id else []
    for question in visible_questions(response.consultation, response):
        item = ShownAnswer(question)
        answer = response.answer_for(question.id)
        kind = question.kind
        labels = {o.id: o.label(locale) for o in question.options}
        if kind == QuestionKind.STATEMENTS:
            for statement in question.approved_statements():
                if statement.id in votes:
                    item.lines.append(f"{statement.text(locale)}: {VOTES[votes[statement.id]]}")
            for statement in own:
                if statement.question_id == question.id:
                    # str(): a lazy string counts as safe HTML in templates; text is not.
                    item.lines.append(str(_l("Your proposed statement: %(text)s",
                                             text=statement.text(locale))))
        elif answer is None:
            pass
        elif kind == QuestionKind.PRINCIPLE_RATING:
            ratings = answer.value or {}
            if catalogue is None:
                catalogue = principles()
            for p in catalogue:
                if p.code in ratings:
                    value = int(ratings[p.code])
                    item.lines.append(f"{p.name(locale)}: {value} – {IMPORTANCE[value]}")
        elif kind == QuestionKind.LIKERT and answer.number is not None:
            item.lines.append(f"{int(answer.number)} – {LIKERT[int(answer.number)]}")
        elif kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
            item.lines.extend(labels.get(int(v), "?") for v in answer.value or [])
        elif kind == QuestionKind.RANKING:
            item.lines.extend(f"{n}. {labels.get(int(v), '?')}"
                              for n, v in enumerate(answer.value or [], start=1))
        elif kind == QuestionKind.OPEN_TEXT and answer.text:
            item.lines.append(answer.text)
        shown.append(item)
    return shown
