"""A campaign of near-identical answers, moderated at once: the moderator opens the group,
sees how many answers a decision changes, and hides (with one reason) or approves all of
them. Every answer gets its own audit entry, with the action of a single decision."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import (
    Answer,
    AuditEntry,
    Consultation,
    ModerationStatus,
    QuestionKind,
    Role,
    User,
)
from consult.services.consultations import moderation
from tests.factories.consultations import q
from tests.factories.insights import add_response
from tests.support.sessions import log_in

CAMPAIGN = "Stop kweekvlees nu, het is onnatuurlijk en niemand heeft erom gevraagd"


def _campaign(c: Consultation, size: int = 81) -> list[int]:
    ids = []
    for n in range(size):
        text = CAMPAIGN + ("!" if n % 3 else ".") + (" Echt." if n % 10 == 0 else "")
        ids.append(add_response(c, text=text, moderation=ModerationStatus.PENDING).id)
    add_response(c, text="Ik twijfel nog, maar de smaak maakt me nieuwsgierig naar meer.",
                 moderation=ModerationStatus.PENDING)
    db.session.commit()
    return ids


def _group_url(c: Consultation) -> str:
    question = q(c, QuestionKind.OPEN_TEXT)
    first = min(db.session.scalars(select(Answer.id).where(Answer.text.like("Stop%"))))
    return f"/officials/consultations/{c.slug}/moderation/groups/{question.id}/{first}"


@pytest.fixture
def official(make_user: Callable[..., User]) -> User:
    return make_user("ambtenaar@example.nl", role=Role.OFFICIAL)


def _client(app: Flask, user: User) -> FlaskClient:
    client = app.test_client()
    log_in(client, user)
    return client


def _statuses() -> dict[ModerationStatus, int]:
    rows = db.session.execute(select(Answer.moderation, func.count()).where(
        Answer.text.like("Stop%")).group_by(Answer.moderation))
    return dict(rows.all())  # type: ignore[arg-type]


def test_the_queue_offers_the_group_and_its_page_states_the_number(
    app: Flask, official: User, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    _campaign(c)
    client = _client(app, official)
    queue = client.get(f"/officials/consultations/{c.slug}/moderation?lang=en")
    assert "Hide or approve these 81 answers at once" in queue.get_data(as_text=True)
    english = client.get(_group_url(c) + "?lang=en").get_data(as_text=True)
    assert "This hides 81 answers." in english and "Hide 81 answers" in english
    assert "Approve 81 answers" in english
    dutch = client.get(_group_url(c) + "?lang=nl").get_data(as_text=True)
    assert "Hiermee verbergt u 81 antwoorden." in dutch and "81 antwoorden verbergen" in dutch


def test_hiding_the_group_hides_every_answer_with_one_reason_and_audits_each(
    app: Flask, official: User, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    ids = _campaign(c)
    client = _client(app, official)
    answer = client.post(_group_url(c) + "?lang=en", data={
        "decision": "hide", "reason": "Campagne, één keer geteld", "expected": "81"})
    assert answer.status_code == 302
    assert "81 answers hidden." in client.get(answer.location).get_data(as_text=True)
    db.session.expire_all()
    assert _statuses() == {ModerationStatus.HIDDEN: 81}
    reasons = set(db.session.scalars(select(Answer.hidden_reason).where(
        Answer.text.like("Stop%"))))
    assert reasons == {"Campagne, één keer geteld"}
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "answer.hide"))
    audited = [(e.object_id, e.actor_id, e.detail) for e in entries]
    response_answers = set(db.session.scalars(select(Answer.id).where(
        Answer.text.like("Stop%"))))
    assert sorted(object_id for object_id, _, _ in audited) == sorted(response_answers)
    assert len(ids) == len(audited) == 81
    assert all(actor == official.id and detail == {"reason": "Campagne, één keer geteld"}
               for _, actor, detail in audited)
    # The answer outside the campaign is untouched.
    assert db.session.scalar(select(Answer.moderation).where(
        Answer.text.like("Ik twijfel%"))) == ModerationStatus.PENDING


def test_approving_the_group_approves_all_without_a_reason(
    app: Flask, official: User, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    _campaign(c, 12)
    client = _client(app, official)
    answer = client.post(_group_url(c), data={"decision": "approve", "expected": "12"})
    assert answer.status_code == 302
    db.session.expire_all()
    assert _statuses() == {ModerationStatus.APPROVED: 12}
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "answer.approve")) == 12


def test_hiding_without_a_reason_is_refused_and_changes_nothing(
    app: Flask, official: User, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    _campaign(c, 6)
    client = _client(app, official)
    answer = client.post(_group_url(c) + "?lang=en",
                         data={"decision": "hide", "reason": "  ", "expected": "6"})
    assert answer.status_code == 400
    assert "Give a reason for hiding." in answer.get_data(as_text=True)
    db.session.expire_all()
    assert _statuses() == {ModerationStatus.PENDING: 6}
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action.like("answer.%"))) == 0


def test_a_group_that_grew_since_the_page_was_opened_is_confirmed_again(
    app: Flask, official: User, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    _campaign(c, 6)
    client = _client(app, official)
    answer = client.post(_group_url(c) + "?lang=en",
                         data={"decision": "hide", "reason": "Campagne", "expected": "5"})
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert "The group has changed since you opened this page" in page
    assert "Hide 6 answers" in page
    db.session.expire_all()
    assert _statuses() == {ModerationStatus.PENDING: 6}


def test_the_second_time_only_what_is_not_hidden_yet_is_counted(
    app: Flask, official: User, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    _campaign(c, 7)
    first = db.session.get(Answer, min(db.session.scalars(
        select(Answer.id).where(Answer.text.like("Stop%")))))
    assert first is not None
    with app.test_request_context("/"):
        moderation.moderate_answer(official, first, approve=False, reason="Alleen deze")
        db.session.commit()
    client = _client(app, official)
    page = client.get(_group_url(c) + "?lang=en").get_data(as_text=True)
    assert "This hides 6 answers." in page and "Approve 7 answers" in page


@pytest.mark.parametrize("expected", ["", "abc", "0", "-81"])
def test_a_missing_or_tampered_number_is_refused_with_a_readable_message(
    app: Flask, official: User, make_consultation: Callable[..., Consultation], expected: str
) -> None:
    c = make_consultation()
    _campaign(c, 6)
    client = _client(app, official)
    answer = client.post(_group_url(c) + "?lang=en",
                         data={"decision": "hide", "reason": "Campagne", "expected": expected})
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert "The number of answers was missing. Check it and confirm again." in page
    assert 'href="#expected"' not in page
    db.session.expire_all()
    assert _statuses() == {ModerationStatus.PENDING: 6}


def test_a_group_post_without_the_csrf_token_changes_nothing(
    app_factory: Callable[..., Flask], make_consultation: Callable[..., Consultation]
) -> None:
    guarded = app_factory(WTF_CSRF_ENABLED=True)
    with guarded.app_context():
        from tests.factories.consultations import build_consultation
        from tests.factories.users import new_user

        c = build_consultation()
        _campaign(c, 6)
        user = new_user("ambtenaar@example.nl", Role.OFFICIAL)
        db.session.commit()
        client = _client(guarded, user)
        answer = client.post(_group_url(c) + "?lang=en",
                             data={"decision": "hide", "reason": "Campagne", "expected": "6"})
        assert answer.status_code == 400
        assert "The form had expired" in answer.get_data(as_text=True)
        db.session.expire_all()
        assert _statuses() == {ModerationStatus.PENDING: 6}


def test_an_answer_outside_any_group_or_consultation_is_no_group(
    app: Flask, official: User, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    _campaign(c, 6)
    loner = db.session.scalar(select(Answer.id).where(Answer.text.like("Ik twijfel%")))
    question = q(c, QuestionKind.OPEN_TEXT)
    client = _client(app, official)
    url = f"/officials/consultations/{c.slug}/moderation/groups/{question.id}/{loner}"
    answer = client.post(url + "?lang=en", data={"decision": "hide", "reason": "x",
                                                 "expected": "1"})
    assert answer.status_code == 302
    assert "no longer exists" in client.get(answer.location + "?lang=en").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(Answer.moderation).where(Answer.id == loner)) == \
        ModerationStatus.PENDING
