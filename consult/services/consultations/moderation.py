"""Moderation of open-text answers and proposed statements, and the campaign signal.

Approve, or hide with a reason; every act goes to the audit log. Hidden content stays in
the database (officials still see it; it is never published). Identical and
near-identical open texts are grouped and counted as a possible campaign; nothing is
dropped because of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from consult.extensions import db
from consult.models import (
    Answer,
    Consultation,
    ModerationStatus,
    Question,
    Response,
    ResponseStatus,
    Statement,
    User,
    utcnow,
)
from consult.services import DomainError, audit, paging
from consult.services.consultations import kinds
from consult.services.consultations.similarity import TextGroup, group_similar
from consult.services.paging import Page

REASON_MAX = 500


def _checked_reason(approve: bool, reason: str) -> str:
    reason = reason.strip()
    if not approve and not reason:
        raise DomainError(_l("Give a reason for hiding."), "reason")
    if len(reason) > REASON_MAX:
        raise DomainError(_l("Keep the reason under %(n)s characters.", n=REASON_MAX), "reason")
    return reason


def _decide(actor: User, item: Answer | Statement, approve: bool, reason: str) -> None:
    reason = _checked_reason(approve, reason)
    status = ModerationStatus.APPROVED if approve else ModerationStatus.HIDDEN
    if isinstance(item, Answer):
        item.moderation = status
    else:
        item.status = status
    item.hidden_reason = None if approve else reason
    item.moderated_by_id = actor.id
    item.moderated_at = utcnow()
    db.session.flush()
    kind = "answer" if isinstance(item, Answer) else "statement"
    audit.record(actor, f"{kind}.{'approve' if approve else 'hide'}", item,
                 reason=reason or None)


def moderate_answer(actor: User, answer: Answer, approve: bool, reason: str = "") -> None:
    if answer.text is None:
        raise DomainError(_l("Only open-text answers are moderated."))
    _decide(actor, answer, approve, reason)


def moderate_statement(actor: User, statement: Statement, approve: bool,
                       reason: str = "") -> None:
    _decide(actor, statement, approve, reason)


def answers_page(consultation: Consultation, status: ModerationStatus, page: int,
                 per_page: int = paging.DEFAULT_PER_PAGE) -> Page[Answer]:
    """One page of the open answers with this moderation status, oldest first."""
    query = (
        select(Answer).join(Response, Answer.response_id == Response.id)
        .join(Question, Answer.question_id == Question.id)
        .where(Question.consultation_id == consultation.id, Answer.moderation == status,
               Response.status == ResponseStatus.SUBMITTED)
        .order_by(Answer.id)
    )
    return paging.paginate(query, page, per_page, (selectinload(Answer.question),))


def statements_page(consultation: Consultation, status: ModerationStatus, page: int,
                    per_page: int = paging.DEFAULT_PER_PAGE) -> Page[Statement]:
    """One page of the statements respondents proposed with this status, oldest first."""
    query = (
        select(Statement).join(Question, Statement.question_id == Question.id)
        .where(Question.consultation_id == consultation.id, Statement.status == status,
               Statement.proposed_by_response_id.is_not(None))
        .order_by(Statement.id)
    )
    return paging.paginate(query, page, per_page)


@dataclass(frozen=True)
class Waiting:
    """How many open answers and proposed statements wait for a moderator."""

    answers: int
    statements: int

    @property
    def total(self) -> int:
        return self.answers + self.statements


def waiting(consultation: Consultation) -> Waiting:
    answers = db.session.scalar(
        select(func.count()).select_from(Answer).join(Question)
        .join(Response, Answer.response_id == Response.id)
        .where(Question.consultation_id == consultation.id,
               Answer.moderation == ModerationStatus.PENDING,
               Response.status == ResponseStatus.SUBMITTED)
    ) or 0
    statements = db.session.scalar(
        select(func.count()).select_from(Statement).join(Question)
        .where(Question.consultation_id == consultation.id,
               Statement.status == ModerationStatus.PENDING)
    ) or 0
    return Waiting(answers, statements)


def pending_count(consultation: Consultation) -> int:
    return waiting(consultation).total


@dataclass
class CampaignSignal:
    question: Question
    groups: list[TextGroup]

    @property
    def flagged(self) -> int:
        return sum(g.count for g in self.groups)


#: Answers shorter than this many words are not counted as campaign signs.
CAMPAIGN_MIN_WORDS = 8


def campaign_signals(consultation: Consultation, min_size: int = 5) -> list[CampaignSignal]:
    """Per open-text question: groups of at least `min_size` (near-)identical answers of
    at least `CAMPAIGN_MIN_WORDS` words."""
    signals = []
    for question in consultation.questions:
        if not kinds.get(question.kind).free_text:
            continue
        rows = db.session.execute(
            select(Answer.id, Answer.text).join(Response, Answer.response_id == Response.id)
            .where(Answer.question_id == question.id, Answer.text.is_not(None),
                   Response.status == ResponseStatus.SUBMITTED)
        ).all()
        groups = group_similar(((i, t or "") for i, t in rows), min_size=min_size,
                               min_words=CAMPAIGN_MIN_WORDS)
        signals.append(CampaignSignal(question, groups))
    return signals


def campaign_group(consultation: Consultation, question_id: int, answer_id: int,
                   min_size: int = 5) -> tuple[Question, TextGroup] | None:
    """The campaign group of `question_id` that holds the answer `answer_id`, found
    again as the moderation page finds it; None when there is no such group (now)."""
    for signal in campaign_signals(consultation, min_size):
        if signal.question.id != question_id:
            continue
        for group in signal.groups:
            if answer_id in group.ids:
                return signal.question, group
    return None


def group_to_change(group: TextGroup, approve: bool) -> list[Answer]:
    """The group's answers that approving (or hiding) would change, by id."""
    target = ModerationStatus.APPROVED if approve else ModerationStatus.HIDDEN
    return list(db.session.scalars(
        select(Answer).where(Answer.id.in_(group.ids), Answer.moderation != target)
        .order_by(Answer.id)))


def moderate_group(actor: User, group: TextGroup, approve: bool, reason: str,
                   expected: int) -> int:
    """Approve, or hide with one reason, every answer of a campaign group that is not so
    already: one audit entry per answer, with the action of a single decision. Refused
    when the number differs from the `expected` number the moderator confirmed."""
    reason = _checked_reason(approve, reason)
    answers = group_to_change(group, approve)
    if len(answers) != expected:
        raise DomainError(_l("The group has changed since you opened this page: check the "
                             "number of answers and confirm again."))
    for answer in answers:
        _decide(actor, answer, approve, reason)
    return len(answers)
