"""Statements: agree, disagree or pass on each approved statement, and optionally a
statement of one's own (moderated before others see it).

Fields `q<id>-s<statement id>` (1, -1 or 0) and `q<id>-new`; stored as `StatementVote`
rows of the response, not as an `Answer`."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import (
    Answer,
    Principle,
    Question,
    QuestionKind,
    Response,
    Statement,
    StatementVote,
)

from . import names
from .base import Kind, Shown, first
from .labels import VOTE_CHOICES, VOTES
from .shapes import (
    Column,
    FormTampered,
    Item,
    ParsedAnswer,
    ParsedPage,
    QuestionResult,
    RawForm,
    Typed,
)

PROPOSAL_MAX_LENGTH = 300


class Statements(Kind):
    value = QuestionKind.STATEMENTS.value
    label = _l("Statements (agree, disagree, pass)")
    stores_votes = True
    needs_statements = True
    takes_proposals = True
    vote_choices = VOTE_CHOICES
    proposal_max_length = PROPOSAL_MAX_LENGTH

    def parse(self, question: Question, raw: RawForm, page: ParsedPage,
              principles: Sequence[Principle], shown: Sequence[int]) -> ParsedAnswer:
        parsed = ParsedAnswer(question)
        for suffix in names.suffixes(raw, question.id):
            if suffix != "new" and names.numbered(suffix, "s") not in shown:
                raise FormTampered()
        for statement_id in shown:
            text = first(raw, names.statement_field(question.id, statement_id))
            if text == "":
                continue
            if text not in ("1", "0", "-1"):
                raise FormTampered()
            parsed.votes[statement_id] = int(text)
        if page.requires(question) and len(parsed.votes) < len(shown):
            page.errors[names.field(question.id)] = _l(
                "Choose agree, disagree or pass for every statement.")
        self._parse_proposal(question, raw, page, parsed)
        return parsed

    @staticmethod
    def _parse_proposal(question: Question, raw: RawForm, page: ParsedPage,
                        parsed: ParsedAnswer) -> None:
        proposal = first(raw, names.proposal_field(question.id))
        if not proposal:
            return
        if not question.allow_proposals:
            raise FormTampered()
        if len(proposal) > PROPOSAL_MAX_LENGTH:
            page.errors[names.proposal_field(question.id)] = _l(
                "Your statement has %(n)s characters; at most %(max)s are allowed.",
                n=len(proposal), max=PROPOSAL_MAX_LENGTH,
            )
        parsed.proposal = proposal

    def typed(self, question: Question, response: Response) -> Typed:
        votes = {v.statement_id: v.vote for v in response.votes}
        return {names.statement_field(question.id, s.id): [str(votes[s.id])]
                for s in question.statements if s.id in votes}

    def is_missing(self, question: Question, response: Response) -> bool:
        """Missing until every approved statement has a vote."""
        voted = {v.statement_id for v in response.votes}
        return any(s.id not in voted for s in question.approved_statements())

    def first_input_id(self, question: Question, principle_codes: Sequence[str]) -> str:
        statements = question.approved_statements()
        if statements:
            return f"{names.statement_field(question.id, statements[0].id)}-agree"
        return names.proposal_field(question.id)

    def describe(self, question: Question, answer: Answer | None, shown: Shown) -> list[str]:
        # The vote first: a statement usually ends in a full stop ("… getest is.: Eens").
        lines = [f"{VOTES[shown.votes[s.id]]}: {s.text(shown.locale)}"
                 for s in question.approved_statements() if s.id in shown.votes]
        for statement in shown.own:
            if statement.question_id == question.id:
                # str(): a lazy string counts as safe HTML in templates; text is not.
                lines.append(str(_l("Your proposed statement: %(text)s",
                                    text=statement.text(shown.locale))))
        return lines

    def tally(self, question: Question, counted: Sequence[Any]) -> QuestionResult:
        result = QuestionResult(question, measure="votes")
        of_question = (select(StatementVote.statement_id, StatementVote.vote, func.count())
                       .join(Response, StatementVote.response_id == Response.id)
                       .join(Statement, StatementVote.statement_id == Statement.id)
                       .where(Statement.question_id == question.id, *counted))
        table: dict[int, Counter[int]] = defaultdict(Counter)
        for statement_id, vote, count in db.session.execute(
                of_question.group_by(StatementVote.statement_id, StatementVote.vote)).all():
            table[statement_id][vote] = count
        result.answered = db.session.scalar(
            select(func.count(func.distinct(StatementVote.response_id)))
            .join(Response, StatementVote.response_id == Response.id)
            .join(Statement, StatementVote.statement_id == Statement.id)
            .where(Statement.question_id == question.id, *counted)
        ) or 0
        for s in question.approved_statements():
            c = table.get(s.id, Counter())
            result.rows.append({
                "key": f"s{s.id}", "label_nl": s.text_nl, "label_en": s.text_en,
                "agree": c[1], "disagree": c[-1], "pass": c[0],
                "principles": s.principle_codes,
            })
        return result

    def export_columns(self, question: Question, public: bool, locale: str,
                       catalogue: Sequence[Principle]) -> list[Column]:
        statements = question.statements if not public else question.approved_statements()
        return [Column(names.statement_key(s.id),
                       f"{names.statement_key(s.id)}: {s.text(locale)[:60]}",
                       question.id, str(s.id)) for s in statements]

    def matrix_items(self, question: Question,
                     codes: Sequence[tuple[str, str, str]]) -> list[Item]:
        return [Item(names.statement_key(s.id), "statement", s.text_nl, s.text_en,
                     tuple(s.principle_codes), s.id) for s in question.approved_statements()]

    def api_fields(self, question: Question) -> dict[str, Any]:
        return {"statements": [
            {"id": s.id, "text": {"nl": s.text_nl, "en": s.text_en},
             "principles": s.principle_codes}
            for s in question.approved_statements()
        ]}

    def api_answers(self, question: Question, response: Response, votes: Mapping[int, int],
                    texts: Mapping[int, str]) -> dict[str, Any]:
        return {names.statement_key(s.id): votes[s.id]
                for s in question.approved_statements() if s.id in votes}
