"""A tasting's real before-and-after: personal links, rounds, pairing by registration.

The people here answer through the pages, as a browser would: they follow the link on
their registration page, answer, and later follow the "after" link.
"""

from __future__ import annotations

import re
import time
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select

from consult.extensions import db
from consult.models import (
    Consultation,
    Event,
    QuestionKind,
    Registration,
    RegistrationStatus,
    Response,
    ResponseStatus,
    Role,
    utcnow,
)
from consult.services.consultations import results
from consult.services.events.codes import new_secret
from consult.services.events.survey_links import PURPOSE, link_token
from consult.services.insights import tasting_shift
from consult.services.insights.matrix import build_matrix
from tests.factories.consultations import build_consultation, q
from tests.factories.events import make_event_in_db
from tests.factories.users import PASSWORD, new_user
from tests.support.mail import Outbox
from tests.support.responding import PROFILE, page_answers
from tests.support.sessions import login


def _browser(app: Flask, language: str = "en") -> FlaskClient:
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def _tasting(before: Consultation, after: Consultation) -> Event:
    organiser = new_user(f"organiser{before.id}-{after.id}@example.nl", Role.ORGANISER)
    event = make_event_in_db(organiser, tasting=True, before_consultation_id=before.id,
                             after_consultation_id=after.id, capacity=40)
    db.session.commit()
    return event


def _register(event: Event, n: int, *, checked_in: bool = True, user_id: int | None = None,
              status: RegistrationStatus | None = None) -> tuple[Registration, str]:
    """A registration (by email only unless `user_id`), and its personal page's secret."""
    secret, secret_hash = new_secret()
    registration = Registration(
        event_id=event.id, user_id=user_id, email=f"proever{n}@example.nl",
        status=status or (RegistrationStatus.ATTENDED if checked_in
                          else RegistrationStatus.CONFIRMED),
        checkin_code=f"K{n:05d}", cancel_token_hash=secret_hash,
        checked_in_at=utcnow() if checked_in else None)
    db.session.add(registration)
    db.session.commit()
    return registration, secret


def _links(client: FlaskClient, secret: str) -> list[str]:
    """The questionnaire links on the person's registration page, in order."""
    page = client.get(f"/events/r/{secret}")
    assert page.status_code == 200
    return re.findall(r'href="(/consultations/[^"]+/tasting/[^"]+)"', page.get_data(as_text=True))


def _answer(client: FlaskClient, c: Consultation, likert: str, vote: str) -> None:
    """Answer every page and submit: the Likert question and every statement as given."""
    base = f"/consultations/{c.slug}"
    assert client.post(f"{base}/respond", data=PROFILE).status_code == 302
    pages: dict[int, dict[str, Any]] = page_answers(c)
    pages[1][f"q{q(c, QuestionKind.LIKERT).id}"] = likert
    statements = f"q{q(c, QuestionKind.STATEMENTS).id}-s"
    for key in [k for k in pages[1] if k.startswith(statements)]:
        pages[1][key] = vote
    for page, data in pages.items():
        result = client.post(f"{base}/respond/{page}", data=data)
        assert result.status_code == 302, result.get_data(as_text=True)
    result = client.post(f"{base}/review", data={"website": ""})
    assert result.status_code == 302, result.get_data(as_text=True)


def _follow(client: FlaskClient, link: str) -> None:
    followed = client.get(link)
    assert followed.status_code == 302, followed.get_data(as_text=True)


def test_registrants_without_an_account_answer_one_consultation_twice_and_are_paired(
    db_app: Flask,
) -> None:
    c = build_consultation(slug="proeverij")
    event = _tasting(c, c)
    people = [_register(event, n, checked_in=n < 5) for n in range(6)]  # the 6th never came
    for registration, secret in people:
        browser = _browser(db_app)
        before_link, after_link = _links(browser, secret)
        assert f"/{registration.id}/" not in before_link  # a signed token, not the id
        _follow(browser, before_link)
        assert "You are answering before the tasting" in browser.get(
            f"/consultations/{c.slug}").get_data(as_text=True)
        assert "<strong>before the tasting</strong>" in browser.get(
            f"/consultations/{c.slug}/respond").get_data(as_text=True)
        _answer(browser, c, likert="2", vote="-1")
        _follow(browser, after_link)
        assert "<strong>after the tasting</strong>" in browser.get(
            f"/consultations/{c.slug}/respond").get_data(as_text=True)
        _answer(browser, c, likert="5", vote="1")
    rows = db.session.scalars(select(Response).where(Response.consultation_id == c.id)
                              .order_by(Response.id)).all()
    assert len(rows) == 12 and all(r.status == ResponseStatus.SUBMITTED for r in rows)
    assert all(r.user_id is None for r in rows)
    assert [(r.registration_id, r.survey_round) for r in rows] == [
        (reg.id, rnd) for reg, _ in people for rnd in ("before", "after")]

    shift = tasting_shift.opinion_shift_between(c.id, c.id, event_id=event.id)
    assert shift["n_pairs"] == 5 and not shift["suppressed"] and shift["too_few"]
    likert = next(i for i in shift["items"] if i["kind"] == "likert")
    assert (likert["mean_before"], likert["mean_after"], likert["mean_change"]) == (
        -0.5, 1.0, 1.5)
    statement = next(i for i in shift["items"] if i["kind"] == "statement")
    assert statement["mean_change"] == 2.0 and statement["n"] == 5
    # Everyone who held a seat, checked in or not: the 6th counts too.
    assert tasting_shift.opinion_shift_between(
        c.id, c.id, event_id=event.id, checked_in_only=False)["n_pairs"] == 6
    # Without the tasting (pairing by account only) nobody here can be paired.
    assert tasting_shift.opinion_shift_between(c.id, c.id)["n_pairs"] == 0
    # The consultation's own figures count each of the six once, with the "after" answer.
    for public in (False, True):
        assert results.response_counts(c, public)["total"] == 6
    assert build_matrix(c).n_respondents == 6
    assert build_matrix(c, every_round=True).n_respondents == 12
    likert_result = results.question_result(q(c, QuestionKind.LIKERT), public=False)
    assert likert_result.answered == 6, likert_result


def test_an_account_answers_before_and_after_and_keeps_one_ordinary_response(
    db_app: Flask,
) -> None:
    c = build_consultation(slug="proeverij")
    event = _tasting(c, c)
    user = new_user("anna@example.nl", Role.CITIZEN, password=PASSWORD)
    db.session.commit()
    _registration, secret = _register(event, 1, user_id=user.id)
    browser = _browser(db_app)
    assert login(browser, "anna@example.nl").status_code == 302
    _answer(browser, c, likert="2", vote="-1")  # the ordinary way, before following a link
    before_link, after_link = _links(browser, secret)
    _follow(browser, before_link)
    _answer(browser, c, likert="3", vote="0")  # the same response, now the "before" round
    _follow(browser, after_link)
    _answer(browser, c, likert="5", vote="1")
    rows = db.session.scalars(select(Response).where(Response.consultation_id == c.id)
                              .order_by(Response.id)).all()
    assert [(r.user_id, r.survey_round, r.registration_id) for r in rows] == [
        (user.id, "before", _registration.id), (user.id, "after", _registration.id)]
    assert results.response_counts(c, public=False)["total"] == 1  # one person
    # Following the "before" link again finds the "before" answer, not a third one.
    _follow(browser, before_link)
    review = browser.get(f"/consultations/{c.slug}/review").get_data(as_text=True)
    assert "Neutral" in review or "3" in review
    assert db.session.scalar(select(db.func.count()).select_from(Response)) == 2


def test_two_consultations_pair_registrations_and_accounts_of_checked_in_people(
    db_app: Flask,
) -> None:
    before = build_consultation(slug="voor")
    after = build_consultation(slug="na")
    event = _tasting(before, after)
    for n in range(11):
        checked_in = n != 10  # the 11th registered but was never checked in
        if n % 2:  # odd: an account, answering without the links (paired by account)
            user = new_user(f"p{n}@example.nl", Role.CITIZEN, password=PASSWORD)
            db.session.commit()
            _register(event, n, checked_in=checked_in, user_id=user.id)
            browser = _browser(db_app)
            assert login(browser, f"p{n}@example.nl").status_code == 302
            _answer(browser, before, likert="1", vote="-1")
            _answer(browser, after, likert="4", vote="1")
        else:  # even: no account, through the personal links
            _reg, secret = _register(event, n, checked_in=checked_in)
            browser = _browser(db_app, "nl")
            before_link, after_link = _links(browser, secret)
            _follow(browser, before_link)
            _answer(browser, before, likert="1", vote="-1")
            _follow(browser, after_link)
            _answer(browser, after, likert="4", vote="1")
    shift = tasting_shift.opinion_shift_between(before.id, after.id, event_id=event.id)
    assert shift["n_pairs"] == 10 and not shift["too_few"]
    statement = next(i for i in shift["items"] if i["kind"] == "statement")
    assert statement["mean_change"] == 2.0 and statement["p_sign"] == 0.002  # 2 / 2**10
    assert tasting_shift.opinion_shift_between(
        before.id, after.id, event_id=event.id, checked_in_only=False)["n_pairs"] == 11


def _old_token(app: Flask, payload: dict[str, Any], days: int) -> str:
    class Yesterday(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - days * 24 * 3600

    return URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=f"consult:{PURPOSE}",
                                  signer=Yesterday).dumps(payload)


def test_forged_expired_and_foreign_links_get_a_clear_message(db_app: Flask) -> None:
    c = build_consultation(slug="proeverij")
    other = build_consultation(slug="andere")
    event = _tasting(c, c)
    registration, _secret = _register(event, 1)
    cancelled, _ = _register(event, 2, status=RegistrationStatus.CANCELLED)
    good = link_token(registration, "before")
    forged = URLSafeTimedSerializer("not the key", salt=f"consult:{PURPOSE}").dumps(
        {"reg": registration.id, "round": "before"})
    cases = {
        "forged": (forged, "This questionnaire link is not valid"),
        "damaged": (good[:-3], "This questionnaire link is not valid"),
        "expired": (_old_token(db_app, {"reg": registration.id, "round": "before"}, 181),
                    "This questionnaire link has expired"),
        "bad round": (_old_token(db_app, {"reg": registration.id, "round": "during"}, 0),
                      "This questionnaire link is not valid"),
        "cancelled": (link_token(cancelled, "after"), "This registration was cancelled"),
    }
    browser = _browser(db_app)
    for name, (token, message) in cases.items():
        page = browser.get(f"/consultations/{c.slug}/tasting/{token}")
        assert page.status_code == 400, name
        assert message in page.get_data(as_text=True), name
    foreign = browser.get(f"/consultations/{other.slug}/tasting/{good}")
    assert foreign.status_code == 400
    assert "belongs to another questionnaire" in foreign.get_data(as_text=True)
    dutch = _browser(db_app, "nl").get(f"/consultations/{c.slug}/tasting/{forged}")
    assert dutch.status_code == 400 and "niet geldig" in dutch.get_data(as_text=True)
    # None of these started a response or put a round in the session.
    assert browser.get(f"/consultations/{c.slug}").status_code == 200
    assert db.session.scalar(select(db.func.count()).select_from(Response)) == 0
    # The good one still works.
    assert browser.get(f"/consultations/{c.slug}/tasting/{good}").status_code == 302


def test_a_link_another_account_already_answered_with_is_refused_plainly(
    db_app: Flask,
) -> None:
    c = build_consultation(slug="proeverij")
    event = _tasting(c, c)
    owner = new_user("eigenaar@example.nl", Role.CITIZEN, password=PASSWORD)
    new_user("ander@example.nl", Role.CITIZEN, password=PASSWORD)
    db.session.commit()
    registration, _ = _register(event, 1, user_id=owner.id)
    link = f"/consultations/{c.slug}/tasting/{link_token(registration, 'before')}"
    first = _browser(db_app)
    login(first, "eigenaar@example.nl")
    _follow(first, link)
    _answer(first, c, likert="2", vote="-1")
    second = _browser(db_app)
    login(second, "ander@example.nl")
    _follow(second, link)
    page = second.post(f"/consultations/{c.slug}/respond", data=PROFILE)
    assert page.status_code == 400
    assert "already used to answer from another account" in page.get_data(as_text=True)


def test_registration_mail_carries_the_personal_links(app: Flask, outbox: Outbox) -> None:
    from consult.services.events import registration as reg_service
    from tests.factories.events import adult

    c = build_consultation(slug="proeverij")
    event = _tasting(c, c)
    with app.test_request_context("/"):
        reg_service.register(event, adult("mail@example.nl"))
        db.session.commit()
    body = outbox.body(outbox.last())
    links = re.findall(r"https?://\S+/consultations/proeverij/tasting/\S+", body)
    assert len(links) == 2 and links[0] != links[1]
    assert "answer the same questionnaire once more" in body
