"""Counting responses and aggregating answers, for the report, the API and officials.

Public figures (the report page, the API) are computed over *published* responses only:
submitted, not spam, and with consent to publish (with or without a name). So a response
marked "do not publish" never shows, not even as the only bar in a chart. Officials'
internal figures count every submitted response that is not spam.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from consult.extensions import db
from consult.models import (
    PUBLISHING_CONSENTS,
    Answer,
    Consultation,
    ModerationStatus,
    PublicationConsent,
    Question,
    QuestionKind,
    RespondentCategory,
    Response,
    ResponseStatus,
    Statement,
    StatementVote,
)
from consult.services.catalogue import principles

#: The name exports reads (models.PUBLISHING_CONSENTS).
PUBLISHABLE = PUBLISHING_CONSENTS


def counted_filter(consultation_id: int, public: bool) -> list[Any]:
    """The responses public figures count (published ones), or officials' (counted ones)."""
    return [Response.consultation_id == consultation_id,
            Response.is_published if public else Response.is_counted]


def responses_query(consultation: Consultation, public: bool) -> Select[tuple[Response]]:
    return select(Response).where(*counted_filter(consultation.id, public)).order_by(Response.id)


def published_responses(
    consultation: Consultation, search: str = "", category: str = "",
    page: int = 1, per_page: int = 20,
) -> tuple[list[Response], int]:
    """Published responses, newest first, optionally filtered by text and category.

    The search looks in approved open-text answers and in names published with consent.
    """
    query = select(Response).where(*counted_filter(consultation.id, True))
    if category in {c.value for c in RespondentCategory}:
        query = query.where(Response.category == RespondentCategory(category))
    if search.strip():
        escaped = (search.strip()[:100].lower().replace("\\", "\\\\")
                   .replace("%", "\\%").replace("_", "\\_"))
        pattern = f"%{escaped}%"
        text_match = select(Answer.response_id).where(
            Answer.moderation == ModerationStatus.APPROVED,
            func.lower(Answer.text).like(pattern, escape="\\"),
        )
        query = query.where(or_(
            Response.id.in_(text_match),
            (Response.consent == PublicationConsent.PUBLISH_WITH_NAME)
            & func.lower(Response.organisation_name).like(pattern, escape="\\"),
        ))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(
        query.order_by(Response.submitted_at.desc(), Response.id.desc())
        .options(selectinload(Response.answers), selectinload(Response.votes))
        .offset((max(page, 1) - 1) * per_page).limit(per_page)
    ).all()
    return list(rows), total


def response_counts(consultation: Consultation, public: bool) -> dict[str, Any]:
    rows = db.session.execute(
        select(Response.category, func.count()).where(*counted_filter(consultation.id, public))
        .group_by(Response.category)
    ).all()
    per_category = {c.value: 0 for c in RespondentCategory}
    for category, count in rows:
        if category is not None:
            per_category[category.value] = count
    return {"total": sum(per_category.values()), "per_category": per_category}


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    #: rows of (key, label_nl, label_en, count or value)
    rows: list[dict[str, Any]] = field(default_factory=list)
    #: "count" (bars are counts), "mean" (bars are means on 1..5), "votes" (agree/...)
    measure: str = "count"


def _answers(question: Question, public: bool) -> Iterator[Answer]:
    query = (
        select(Answer).join(Response, Answer.response_id == Response.id)
        .where(Answer.question_id == question.id,
               *counted_filter(question.consultation_id, public))
        .execution_options(yield_per=2000)
    )
    yield from db.session.scalars(query)


def question_result(question: Question, public: bool) -> QuestionResult:
    result = QuestionResult(question)
    kind = question.kind
    if kind == QuestionKind.STATEMENTS:
        result.measure = "votes"
        statements = question.approved_statements()
        counts = db.session.execute(
            select(StatementVote.statement_id, StatementVote.vote, func.count())
            .join(Response, StatementVote.response_id == Response.id)
            .join(Statement, StatementVote.statement_id == Statement.id)
            .where(Statement.question_id == question.id,
                   *counted_filter(question.consultation_id, public))
            .group_by(StatementVote.statement_id, StatementVote.vote)
        ).all()
        table: dict[int, Counter[int]] = defaultdict(Counter)
        for statement_id, vote, count in counts:
            table[statement_id][vote] = count
        voters = db.session.scalar(
            select(func.count(func.distinct(StatementVote.response_id)))
            .join(Response, StatementVote.response_id == Response.id)
            .join(Statement, StatementVote.statement_id == Statement.id)
            .where(Statement.question_id == question.id,
                   *counted_filter(question.consultation_id, public))
        ) or 0
        result.answered = voters
        for s in statements:
            c = table.get(s.id, Counter())
            result.rows.append({
                "key": f"s{s.id}", "label_nl": s.text_nl, "label_en": s.text_en,
                "agree": c[1], "disagree": c[-1], "pass": c[0],
                "principles": s.principle_codes,
            })
        return result
    if kind == QuestionKind.PRINCIPLE_RATING:
        result.measure = "mean"
        sums: Counter[str] = Counter()
        ns: Counter[str] = Counter()
        dist: dict[str, Counter[int]] = defaultdict(Counter)
        for answer in _answers(question, public):
            result.answered += 1
            for code, value in (answer.value or {}).items():
                sums[code] += int(value)
                ns[code] += 1
                dist[code][int(value)] += 1
        for p in principles():
            result.rows.append({
                "key": p.code, "label_nl": p.name_nl, "label_en": p.name_en,
                "value": round(sums[p.code] / ns[p.code], 2) if ns[p.code] else None,
                "n": ns[p.code], "distribution": [dist[p.code][i] for i in range(1, 6)],
            })
        return result
    if kind == QuestionKind.LIKERT:
        dist_l: Counter[int] = Counter()
        for answer in _answers(question, public):
            if answer.number is not None:
                result.answered += 1
                dist_l[int(answer.number)] += 1
        labels = LIKERT_LABELS
        for i in range(1, 6):
            result.rows.append({"key": str(i), "label_nl": labels[i][0],
                                "label_en": labels[i][1], "value": dist_l[i]})
        return result
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
        chosen: Counter[int] = Counter()
        for answer in _answers(question, public):
            result.answered += 1
            chosen.update(int(v) for v in answer.value or [])
        for option in question.options:
            result.rows.append({"key": str(option.id), "label_nl": option.label_nl,
                                "label_en": option.label_en, "value": chosen[option.id]})
        return result
    if kind == QuestionKind.RANKING:
        result.measure = "rank"
        rank_sum: Counter[int] = Counter()
        firsts: Counter[int] = Counter()
        for answer in _answers(question, public):
            result.answered += 1
            for place, option_id in enumerate(answer.value or [], start=1):
                rank_sum[int(option_id)] += place
                if place == 1:
                    firsts[int(option_id)] += 1
        for option in question.options:
            result.rows.append({
                "key": str(option.id), "label_nl": option.label_nl, "label_en": option.label_en,
                "value": round(rank_sum[option.id] / result.answered, 2) if result.answered
                else None, "first": firsts[option.id],
            })
        return result
    # open text: only how many answered
    result.answered = sum(1 for _ in _answers(question, public))
    return result


#: Labels of the five-point Likert scale (nl, en); the UI uses the translated ones.
LIKERT_LABELS = {
    1: ("Helemaal oneens", "Strongly disagree"),
    2: ("Oneens", "Disagree"),
    3: ("Neutraal", "Neither agree nor disagree"),
    4: ("Eens", "Agree"),
    5: ("Helemaal eens", "Strongly agree"),
}


def results(consultation: Consultation, public: bool) -> list[QuestionResult]:
    return [question_result(q, public) for q in consultation.questions]


def approved_texts(response_ids: list[int]) -> dict[int, dict[int, str]]:
    """Approved open-text answers per response id, per question id."""
    found: dict[int, dict[int, str]] = defaultdict(dict)
    if not response_ids:
        return found
    rows = db.session.execute(
        select(Answer.response_id, Answer.question_id, Answer.text).where(
            Answer.response_id.in_(response_ids),
            Answer.moderation == ModerationStatus.APPROVED,
        )
    ).all()
    for response_id, question_id, text in rows:
        found[response_id][question_id] = text or ""
    return found


def browse(
    consultation: Consultation, category: str = "", since: Any = None, until: Any = None,
    option_id: int | None = None, include_spam: bool = False, page: int = 1,
    per_page: int = 50,
) -> tuple[list[Response], int]:
    """Officials' response browser: submitted responses filtered by category, period
    (submitted between `since` and `until`, aware datetimes) and a chosen option."""
    query = select(Response).where(Response.consultation_id == consultation.id,
                                   Response.status == ResponseStatus.SUBMITTED)
    if not include_spam:
        query = query.where(Response.is_spam.is_(False))
    if category in {c.value for c in RespondentCategory}:
        query = query.where(Response.category == RespondentCategory(category))
    if since is not None:
        query = query.where(Response.submitted_at >= since)
    if until is not None:
        query = query.where(Response.submitted_at < until)
    if option_id is not None:
        from consult.models import QuestionOption

        option = db.session.get(QuestionOption, option_id)
        if option is None or option.question.consultation_id != consultation.id:
            return [], 0
        matching = [
            response_id for response_id, value in db.session.execute(
                select(Answer.response_id, Answer.value).where(
                    Answer.question_id == option.question_id))
            if isinstance(value, list) and option_id in value
        ]
        query = query.where(Response.id.in_(matching))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(query.order_by(Response.submitted_at.desc(), Response.id.desc())
                              .options(selectinload(Response.answers),
                                       selectinload(Response.votes))
                              .offset((max(page, 1) - 1) * per_page).limit(per_page)).all()
    return list(rows), total
