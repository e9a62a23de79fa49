"""The responding rules, at the service level, on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import (
    Answer,
    Consultation,
    QuestionKind,
    Response,
    ResponseStatus,
    StatementVote,
)
from consult.services import DomainError
from consult.services.accounts.auth import create_user
from consult.services.catalogue import principles
from consult.services.consultations import responding
from consult.services.consultations.answers import FormTampered, parse_page
from consult.services.consultations.profile import parse_profile
from tests.factories.consultations import q

PROFILE = {"category": ["citizen"], "consent": ["publish_anonymously"], "age_confirmed": ["y"]}


def answer_page(response: Response, page: int, raw: dict[str, list[str]]) -> None:
    consultation = response.consultation
    questions = responding.questions_on_page(consultation, page, response)
    shown = {x.id: responding.statements_shown(x) for x in questions}
    parsed = parse_page(questions, raw, principles(), shown)
    responding.save_page(response, parsed)


def full_answers(c: Consultation) -> dict[int, dict[str, list[str]]]:
    rating = q(c, QuestionKind.PRINCIPLE_RATING)
    statements = q(c, QuestionKind.STATEMENTS)
    single = q(c, QuestionKind.SINGLE_CHOICE)
    page1 = {f"q{rating.id}-{p.code}": ["4"] for p in principles()}
    page1.update({f"q{statements.id}-s{s.id}": ["1"] for s in statements.statements})
    page1[f"q{q(c, QuestionKind.LIKERT).id}"] = ["5"]
    page2 = {f"q{single.id}": [str(single.options[1].id)]}
    return {1: page1, 2: page2, 3: {f"q{q(c, QuestionKind.OPEN_TEXT).id}": ["Goed idee"]}}


def respond_fully(c: Consultation, user=None) -> tuple[Response, str | None]:
    response, token = responding.start_response(c, user, "nl")
    responding.save_profile(response, parse_profile(PROFILE, ask_email=user is None))
    for page, raw in full_answers(c).items():
        answer_page(response, page, raw)
    responding.submit(response)
    db.session.commit()
    return response, token


def test_a_full_response_is_stored_with_typed_values(db_consultation: Consultation) -> None:
    response, token = respond_fully(db_consultation)
    assert token and response.edit_token_hash == responding.hash_token(token)
    assert token not in (response.edit_token_hash or "")
    assert response.status == ResponseStatus.SUBMITTED
    rating = response.answer_for(q(db_consultation, QuestionKind.PRINCIPLE_RATING).id)
    assert rating is not None and rating.value["safety"] == 4
    assert response.answer_for(q(db_consultation, QuestionKind.LIKERT).id).number == 5
    assert db.session.scalar(select(func.count()).select_from(StatementVote)) == 2


def test_a_forged_option_id_stores_nothing(db_consultation: Consultation) -> None:
    response, _ = respond_fully(db_consultation)
    single = q(db_consultation, QuestionKind.SINGLE_CHOICE)
    before = response.answer_for(single.id).value
    with pytest.raises(FormTampered):
        answer_page(response, 2, {f"q{single.id}": ["999999"]})
    db.session.rollback()
    assert response.answer_for(single.id).value == before


def test_a_forged_question_id_stores_nothing(db_consultation: Consultation) -> None:
    response, _ = respond_fully(db_consultation)
    count = db.session.scalar(select(func.count()).select_from(Answer))
    with pytest.raises(FormTampered):
        answer_page(response, 3, {"q424242": ["hello"]})
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Answer)) == count


def test_one_response_per_account(db_consultation: Consultation) -> None:
    user = create_user("anna@example.nl", "correct horse battery", confirmed=True)
    first, _ = respond_fully(db_consultation, user)
    again, token = responding.start_response(db_consultation, user, "nl")
    assert again.id == first.id and token is None
    with pytest.raises(DomainError):
        responding.check_one_response_per_account(db_consultation, user)
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1


def test_conditional_question_shows_only_after_its_option(db_consultation: Consultation) -> None:
    c = db_consultation
    single = q(c, QuestionKind.SINGLE_CHOICE)
    conditional = q(c, QuestionKind.OPEN_TEXT, 1)
    response, _ = responding.start_response(c, None, "nl")
    answer_page(response, 2, {f"q{single.id}": [str(single.options[1].id)]})
    assert conditional.id not in {x.id for x in responding.questions_on_page(c, 3, response)}
    answer_page(response, 2, {f"q{single.id}": [str(single.options[0].id)]})
    assert conditional.id in {x.id for x in responding.questions_on_page(c, 3, response)}


def test_withdraw_keeps_the_row_and_removes_answers(db_consultation: Consultation) -> None:
    response, _ = respond_fully(db_consultation)
    responding.withdraw(response)
    db.session.commit()
    assert response.status == ResponseStatus.WITHDRAWN
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 0
