"""Counting responses and aggregating answers, for the report, the API and officials.

Public figures (the report page, the API) are computed over *published* responses only:
submitted, not spam, and with consent to publish (with or without a name). So a response
marked "do not publish" never shows, not even as the only bar in a chart. Officials'
internal figures count every submitted response that is not spam.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from consult.extensions import db
from consult.models import (
    PUBLISHING_CONSENTS,
    Answer,
    Consultation,
    ModerationStatus,
    Organisation,
    Question,
    RespondentCategory,
    Response,
    ResponseStatus,
    VerificationStatus,
)
from consult.services import paging
from consult.services.consultations import kinds
from consult.services.consultations.kinds.shapes import QuestionResult
from consult.services.paging import Page

#: The name exports reads (models.PUBLISHING_CONSENTS).
PUBLISHABLE = PUBLISHING_CONSENTS


def counted_filter(consultation_id: int, public: bool, *, every_round: bool = False
                   ) -> list[Any]:
    """The responses public figures count (published ones), or officials' (counted ones),
    each person once (`Response.is_latest_of_person`); `every_round` keeps both answers
    of a tasting's participant, before and after (the before-and-after, the exports)."""
    rules = [Response.consultation_id == consultation_id,
             Response.is_published if public else Response.is_counted]
    return rules if every_round else [*rules, Response.is_latest_of_person()]


@dataclass(frozen=True)
class CardFacts:
    """What a consultation's card says about it: its size and the public count so far."""

    questions: int = 0
    pages: int = 0
    published: int = 0


def card_facts(consultations: Sequence[Consultation]) -> dict[int, CardFacts]:
    """The card facts of many consultations in two queries, whatever their number."""
    ids = [c.id for c in consultations]
    if not ids:
        return {}
    sizes = {row.consultation_id: (row.questions, row.pages) for row in db.session.execute(
        select(Question.consultation_id, func.count(Question.id).label("questions"),
               func.count(func.distinct(Question.page)).label("pages"))
        .where(Question.consultation_id.in_(ids)).group_by(Question.consultation_id))}
    published = dict(db.session.execute(  # type: ignore[arg-type]
        select(Response.consultation_id, func.count(Response.id))
        .where(Response.consultation_id.in_(ids), Response.is_published)
        .group_by(Response.consultation_id)).all())
    return {i: CardFacts(*sizes.get(i, (0, 0)), published.get(i, 0)) for i in ids}


def published_responses(
    consultation: Consultation, search: str = "", category: str = "",
    page: int = 1, per_page: int = paging.DEFAULT_PER_PAGE, beyond_last: str = "last",
) -> Page[Response]:
    """Published responses, newest first, optionally filtered by text and category.

    The search looks in approved open-text answers and in the names that are published
    (with consent, of a verified organisation: `Response.public_name`), so a search
    cannot tell whether an unverified organisation responded.
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
            func.lower(Response.public_name).like(pattern, escape="\\"),
        ))
    return paging.paginate(
        query.order_by(Response.submitted_at.desc(), Response.id.desc()), page, per_page,
        (selectinload(Response.answers), selectinload(Response.votes)), beyond_last)


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


def question_result(question: Question, public: bool) -> QuestionResult:
    """The figures of one question; its kind counts them (`kinds/`)."""
    counted = counted_filter(question.consultation_id, public)
    return kinds.get(question.kind).tally(question, counted)


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


def _verified() -> Any:
    return Response.organisation_id.in_(
        select(Organisation.id).where(Organisation.status == VerificationStatus.VERIFIED))


def _not_verified() -> Any:
    return (Response.category.is_not(None)
            & (Response.category != RespondentCategory.CITIZEN) & ~_verified())


#: The officials' ?verification= filters of the response browser.
VERIFICATION_FILTERS = {"verified": _verified, "unverified": _not_verified}


def browse(
    consultation: Consultation, category: str = "", since: Any = None, until: Any = None,
    option_id: int | None = None, include_spam: bool = False, page: int = 1,
    per_page: int = paging.DEFAULT_PER_PAGE, verification: str = "",
) -> Page[Response]:
    """Officials' response browser: submitted responses filtered by category, period
    (submitted between `since` and `until`, aware datetimes), a chosen option and
    verification (`VERIFICATION_FILTERS`: for a verified organisation, or for an
    organisation that is not verified or not declared)."""
    query = select(Response).where(Response.consultation_id == consultation.id,
                                   Response.status == ResponseStatus.SUBMITTED)
    if not include_spam:
        query = query.where(Response.is_spam.is_(False))
    if category in {c.value for c in RespondentCategory}:
        query = query.where(Response.category == RespondentCategory(category))
    if verification in VERIFICATION_FILTERS:
        query = query.where(VERIFICATION_FILTERS[verification]())
    if since is not None:
        query = query.where(Response.submitted_at >= since)
    if until is not None:
        query = query.where(Response.submitted_at < until)
    if option_id is not None:
        from consult.models import QuestionOption

        option = db.session.get(QuestionOption, option_id)
        if option is None or option.question.consultation_id != consultation.id:
            return paging.empty(per_page=per_page)
        matching = [
            response_id for response_id, value in db.session.execute(
                select(Answer.response_id, Answer.value).where(
                    Answer.question_id == option.question_id))
            if isinstance(value, list) and option_id in value
        ]
        query = query.where(Response.id.in_(matching))
    return paging.paginate(
        query.order_by(Response.submitted_at.desc(), Response.id.desc()), page, per_page,
        (selectinload(Response.answers), selectinload(Response.votes)))
