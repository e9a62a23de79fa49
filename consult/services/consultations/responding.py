"""Responding to a consultation: start, save page by page, review, submit, edit, withdraw.

Rules:
- only while the consultation is open (its effective status); a consultation for account
  holders only refuses anonymous respondents;
- one response per account per consultation and round: starting again returns the same
  row (also after withdrawing, when it starts over as a draft). A round ("before" or
  "after" a tasting, with the registration it came through) comes from a tasting's
  personal link (services.events.survey_links.SurveyRound); without one the round is "";
- without an account the browser gets a secret token (kept in its session and shown as
  the private edit link on the receipt); only the token's sha256 is stored;
- each page is validated on its own and saved only when it has no errors; answers to
  questions hidden by a condition are removed when submitting;
- submitting checks the profile and every required visible question, then marks the
  response submitted in one flush; a filled honeypot marks it as spam (kept, never
  counted or published) while the person sees the normal receipt.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Sequence
from typing import Any, cast

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from consult.extensions import db
from consult.mail import send_mail
from consult.models import (
    NO_ROUND,
    Answer,
    Audience,
    Consultation,
    ModerationStatus,
    Question,
    Response,
    ResponseStatus,
    Statement,
    StatementVote,
    User,
    utcnow,
)
from consult.services import DomainError
from consult.services.consultations import kinds
from consult.services.consultations.answers import ParsedPage
from consult.services.consultations.profile import Profile, apply_profile, profile_is_complete
from consult.services.consultations.structure import QuestionData
from consult.services.consultations.structure import structure as kept_structure
from consult.services.events.survey_links import SurveyRound

LINK_TAKEN = _l("This questionnaire link was already used to answer from another account. "
                "Log in to that account, or answer without the link.")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def require_open(consultation: Consultation) -> None:
    if not consultation.is_open():
        raise DomainError(_l("This consultation is not open for responses. "
                             "Responses can be given and changed only while it is open."))


def find_own_response(
    consultation: Consultation, user: User | None, token: str | None,
    survey_round: SurveyRound | None = None,
) -> Response | None:
    """The response this person may see and change in this round: by the registration
    of the tasting link they came through, by account, or by edit token."""
    r = survey_round or SurveyRound()
    if r.registration_id is not None:
        found = _one_with_answers(select(Response).filter_by(
            consultation_id=consultation.id, registration_id=r.registration_id,
            survey_round=r.name))
        if found is not None and (found.user_id is None
                                  or (user is not None and found.user_id == user.id)):
            return found
    if user is not None:
        found = _by_account(consultation, user, r.name)
        if found is None and r.name != NO_ROUND and r.adopts:
            found = _by_account(consultation, user, NO_ROUND)
        if found is not None:
            return found
    if token:
        return response_by_token(consultation, token)
    return None


def _one_with_answers(query: Select[Any]) -> Response | None:
    """The response `query` finds, with its answers in the same statement: every respond
    page reads them (what was typed, which conditional questions show)."""
    return db.session.scalars(query.options(joinedload(Response.answers))).unique().first()


def _by_account(consultation: Consultation, user: User, round_name: str) -> Response | None:
    return _one_with_answers(select(Response).filter_by(
        consultation_id=consultation.id, user_id=user.id, survey_round=round_name))


def join_round(response: Response, survey_round: SurveyRound | None) -> None:
    """An ordinary response (no round) followed from a tasting link takes its round, and
    a response without a registration takes the link's."""
    if survey_round is None or survey_round.name == NO_ROUND:
        return
    if response.survey_round == NO_ROUND and survey_round.adopts:
        response.survey_round = survey_round.name
    if response.registration_id is None and response.survey_round == survey_round.name:
        response.registration_id = survey_round.registration_id
    db.session.flush()


def response_by_token(consultation: Consultation, token: str) -> Response | None:
    if not token or len(token) > 100:
        return None
    return _one_with_answers(
        select(Response).filter_by(consultation_id=consultation.id,
                                   edit_token_hash=hash_token(token))
    )


def start_response(
    consultation: Consultation, user: User | None, locale: str,
    survey_round: SurveyRound | None = None,
) -> tuple[Response, str | None]:
    """The person's response, made when missing. Returns it and a new token (anonymous)."""
    require_open(consultation)
    if user is None and consultation.audience == Audience.ACCOUNT:
        raise DomainError(_l("Log in to respond to this consultation."))
    r = survey_round or SurveyRound()
    if user is not None or r.registration_id is not None:
        existing = find_own_response(consultation, user, None, r)
        if existing is not None:
            if existing.status == ResponseStatus.WITHDRAWN:
                existing.status = ResponseStatus.DRAFT
                existing.withdrawn_at = None
            join_round(existing, r)
            return existing, None
    token = new_token() if user is None else None
    response = Response(
        public_id=secrets.token_hex(16), consultation=consultation,
        user_id=user.id if user is not None else None, locale=locale,
        edit_token_hash=hash_token(token) if token else None,
        email=user.email if user is not None else None,
        registration_id=r.registration_id, survey_round=r.name,
    )
    try:
        with db.session.begin_nested():
            db.session.add(response)
            db.session.flush()
    except IntegrityError:
        # Another request of the same account was first: use its row.
        existing = find_own_response(consultation, user, None, r)
        if existing is None:  # the link's registration answered from another account
            raise DomainError(LINK_TAKEN) from None
        return existing, None
    return response, token


def check_one_response_per_account(consultation: Consultation, user: User) -> None:
    """Refuse making a second response row for one account (the view never tries)."""
    if find_own_response(consultation, user, None) is not None:
        raise DomainError(_l("You have already responded to this consultation. "
                             "You can change your response instead."))


def require_editable(response: Response) -> None:
    require_open(response.consultation)
    if response.status == ResponseStatus.WITHDRAWN:
        raise DomainError(_l("This response was withdrawn. Start again to respond."))


# --- which questions a person sees -------------------------------------------------

def _chosen_options(response: Response | None) -> dict[int, set[int]]:
    chosen: dict[int, set[int]] = {}
    if response is None:
        return chosen
    for answer in response.answers:
        if isinstance(answer.value, list):
            chosen[answer.question_id] = {int(v) for v in answer.value}
    return chosen


def is_visible(question: Question | QuestionData, chosen: dict[int, set[int]]) -> bool:
    option = question.condition_option
    if option is None:
        return True
    return option.id in chosen.get(option.question_id, set())


def visible_questions(consultation: Consultation, response: Response | None) -> list[Question]:
    """The questions this response sees, in order, from this worker's kept copy of the
    consultation's questions (as `questions_on_page`: no query when its version is kept;
    plain data with what the kinds, the review, the receipt and its mail read)."""
    chosen = _chosen_options(response)
    shown = [q for q in kept_structure(consultation).questions if is_visible(q, chosen)]
    return cast("list[Question]", shown)


def questions_on_page(
    consultation: Consultation, page: int, response: Response | None, preview: bool = False
) -> list[Question]:
    """The questions of `page` this person sees (a preview: all of the page's), from
    this worker's kept copy of the consultation's questions (services.consultations.
    structure; no query when its version is kept). The copies are plain data with every
    attribute and method of a Question that the kinds, the forms and the templates read,
    hence the cast; answers are still written through the ORM."""
    chosen = _chosen_options(response) if not preview else {}
    shown = [q for q in kept_structure(consultation).questions
             if q.page == page and (preview or is_visible(q, chosen))]
    return cast("list[Question]", shown)


def statements_shown(question: Question | QuestionData) -> list[int]:
    """Statements a respondent votes on: the approved ones, in a stable order."""
    return [s.id for s in question.approved_statements()]


# --- saving ------------------------------------------------------------------------

def save_profile(response: Response, profile: Profile) -> None:
    require_editable(response)
    if profile.errors:
        raise DomainError(_l("Correct the errors on this page."))
    apply_profile(response, profile)
    response.updated_at = utcnow()
    db.session.flush()


def save_page(response: Response, parsed: ParsedPage) -> None:
    """Store a page's answers (validated first by `answer_forms.parse_page`)."""
    require_editable(response)
    if not parsed.ok:
        raise DomainError(_l("Correct the errors on this page."))
    existing = {a.question_id: a for a in response.answers}
    for question_id, item in parsed.answers.items():
        question = item.question
        kind = kinds.get(question.kind)
        answer = existing.get(question_id)
        if kind.stores_votes:
            _save_votes(response, question, item.votes)
            if item.proposal:
                _propose(response, question, item.proposal)
            continue
        if item.is_empty:
            if answer is not None:
                response.answers.remove(answer)
            continue
        if answer is None:
            answer = Answer(question_id=question_id)
            response.answers.append(answer)
        kind.store(answer, item)
    response.updated_at = utcnow()
    db.session.flush()


def _save_votes(response: Response, question: Question | QuestionData,
                votes: dict[int, int]) -> None:
    statement_ids = [s.id for s in question.statements]
    current = {v.statement_id: v for v in response.votes if v.statement_id in statement_ids}
    for statement_id, vote in votes.items():
        if statement_id in current:
            current[statement_id].vote = vote
        else:
            response.votes.append(StatementVote(statement_id=statement_id, vote=vote))
    for statement_id, row in current.items():
        if statement_id not in votes:
            response.votes.remove(row)


#: How many statements one response may propose (a brake on flooding the queue).
MAX_PROPOSALS = 3


def _propose(response: Response, question: Question | QuestionData, text: str) -> Statement:
    if len(proposals_of(response)) >= MAX_PROPOSALS:
        raise DomainError(_l("You can propose at most %(n)s statements.", n=MAX_PROPOSALS),
                          f"q{question.id}-new")
    statement = Statement(
        question_id=question.id, text_nl=text, text_en=text, status=ModerationStatus.PENDING,
        proposed_by_response_id=response.id,
    )
    db.session.add(statement)
    return statement


def proposals_of(response: Response) -> Sequence[Statement]:
    return db.session.scalars(
        select(Statement).filter_by(proposed_by_response_id=response.id).order_by(Statement.id)
    ).all()


def missing_required(response: Response,
                     visible: Sequence[Question] | None = None) -> list[Question]:
    """Required visible questions without a (full) answer: each kind says what is missing.
    `visible`: the response's `visible_questions`, when the caller has them already."""
    if visible is None:
        visible = visible_questions(response.consultation, response)
    return [question for question in visible
            if question.required and kinds.get(question.kind).is_missing(question, response)]


def submit(response: Response, honeypot: str = "") -> Response:
    """Check everything and mark the response submitted, in one flush."""
    require_editable(response)
    if not profile_is_complete(response):
        raise DomainError(_l("Fill in the page about you first."), "profile")
    shown = visible_questions(response.consultation, response)
    missing = missing_required(response, shown)
    if missing:
        raise DomainError(_l("Answer every required question first (%(n)s left).",
                             n=len(missing)), "answers")
    visible = {q.id for q in shown}
    for answer in list(response.answers):
        if answer.question_id not in visible:
            response.answers.remove(answer)
    hidden_statements = {
        s.id for q in kept_structure(response.consultation).questions
        if q.id not in visible for s in q.statements
    }
    for vote in list(response.votes):
        if vote.statement_id in hidden_statements:
            response.votes.remove(vote)
    now = utcnow()
    first_time = response.status != ResponseStatus.SUBMITTED
    response.status = ResponseStatus.SUBMITTED
    response.submitted_at = response.submitted_at if not first_time else now
    response.updated_at = now
    if honeypot.strip():
        response.is_spam = True
    db.session.flush()
    return response


def send_receipt(response: Response, token: str | None,
                 answers: Callable[[], list[Any]]) -> None:
    """Mail a copy of the answers (and the private edit link) when there is an address;
    `answers` describes them, called only then (most responses give no address)."""
    to = response.email
    if response.user_id is not None:
        user = db.session.get(User, response.user_id)
        to = user.email if user is not None else to  # the account's current address
    if not to:
        return
    send_mail(
        to, "consultation_receipt", response.locale, response=response,
        consultation=response.consultation, answers=answers(), token=token,
    )


def withdraw(response: Response) -> None:
    """Withdraw before the close: the answers and votes are deleted, the row is kept.

    Pending statements the response proposed are hidden with the reason "withdrawn".
    """
    require_open(response.consultation)
    if response.status == ResponseStatus.WITHDRAWN:
        raise DomainError(_l("This response was already withdrawn."))
    response.answers.clear()
    response.votes.clear()
    db.session.flush()
    db.session.execute(
        delete(StatementVote).where(StatementVote.response_id == response.id)
    )
    for statement in proposals_of(response):
        if statement.status == ModerationStatus.PENDING:
            statement.status = ModerationStatus.HIDDEN
            statement.hidden_reason = "withdrawn by the respondent"
    response.status = ResponseStatus.WITHDRAWN
    response.withdrawn_at = utcnow()
    response.updated_at = response.withdrawn_at
    response.is_spam = False
    db.session.flush()
