"""Killing a gunicorn worker during submissions loses nothing that was acknowledged.

A real gunicorn (2 sync workers, loopback, free port) serves a file SQLite database in
tmp and, when CONSULT_TEST_DATABASE_URL is set, PostgreSQL. Threads send 60 anonymous
responses (start to receipt, CSRF tokens read from the pages) and then 60 event
registrations; after 20 and again after 40 of each succeeded, a worker is SIGKILLed
while requests are in flight. Then:

- every response that got its 302 to the receipt is submitted with all its answers;
- no response holds part of a page (each page's answers are all there or none), and
  no submitted response misses an answer;
- every registration that got its 302 to the personal page exists; the seat counter
  equals what the registrations hold (`flask events check` is clean); no overbooking.
"""

from __future__ import annotations

import http.client
import importlib.util
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from consult.extensions import db
from consult.models import (
    Answer,
    Consultation,
    Event,
    QuestionKind,
    Registration,
    RegistrationStatus,
    Response,
    ResponseStatus,
    Role,
    StatementVote,
)
from consult.services.accounts.tokens import make_token
from consult.services.events import registration as reg_service
from consult.services.events import seats
from tests.factories.consultations import build_consultation, q
from tests.factories.events import make_event_in_db
from tests.factories.users import new_user
from tests.support.apps import need
from tests.support.responding import PROFILE, page_answers

from .live_gunicorn import Browser, Gunicorn, csrf_token

SUBMISSIONS = 60
KILL_AFTER = (20, 40)
THREADS = 6
CAPACITY = 25


def _run_with_a_kill(server: Gunicorn, job: Callable[[int], str | None]) -> tuple[
    list[str], int
]:
    """Run SUBMISSIONS jobs on THREADS threads; kill a worker at each KILL_AFTER count.

    Returns the acknowledged results and how many succeeded after the first kill."""
    acknowledged: list[str] = []
    after_kill = 0
    kills = list(KILL_AFTER)
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        futures = [pool.submit(job, i) for i in range(SUBMISSIONS)]
        for future in as_completed(futures, timeout=120):
            result = future.result()
            if result is None:
                continue
            acknowledged.append(result)
            if len(kills) < len(KILL_AFTER):
                after_kill += 1
            if kills and len(acknowledged) >= kills[0]:
                kills.pop(0)
                server.kill_a_worker()
    assert len(kills) < len(KILL_AFTER), "too few submissions succeeded to kill a worker"
    return acknowledged, after_kill


def _respond(server: Gunicorn, slug: str, pages: dict[int, dict[str, Any]]) -> Callable[
    [int], str | None
]:
    def job(i: int) -> str | None:
        browser = Browser(server.url)
        base = f"/consultations/{slug}"
        try:
            status, _, html = browser.get(f"{base}/respond")
            if status != 200:
                return None
            token = csrf_token(html)
            status, location, _ = browser.post(f"{base}/respond", {**PROFILE,
                                                                   "csrf_token": token})
            if status != 302:
                return None
            for page, data in pages.items():
                answers = {k: f"Mening {i}" if v == "TEXT" else v for k, v in data.items()}
                status, location, _ = browser.post(f"{base}/respond/{page}",
                                                   {**answers, "csrf_token": token})
                if status != 302:
                    return None
            status, location, _ = browser.post(f"{base}/review", {"csrf_token": token,
                                                                  "website": ""})
        except (OSError, http.client.HTTPException):  # the worker died under it: not acknowledged
            return None
        if status == 302 and "/receipt/" in location:
            return location.rsplit("/", 1)[1]
        return None

    return job


def _register(server: Gunicorn, event_id: int, tokens: list[str]) -> Callable[
    [int], str | None
]:
    def job(i: int) -> str | None:
        browser = Browser(server.url)
        path = f"/events/{event_id}/register/{tokens[i]}"
        try:
            status, _, html = browser.get(path)
            if status != 200:
                return None
            status, location, _ = browser.post(path, {"csrf_token": csrf_token(html),
                                                      "name": f"Persoon {i}", "guests": "0"})
        except (OSError, http.client.HTTPException):
            return None
        if status == 302 and "/events/r/" in location:
            return location.rsplit("/", 1)[1]
        return None

    return job


def _expected_pages(c: Consultation) -> dict[int, set[int]]:
    """Question ids each page stores an answer row for (statements store votes)."""
    return {
        1: {q(c, QuestionKind.PRINCIPLE_RATING).id, q(c, QuestionKind.LIKERT).id},
        2: {q(c, QuestionKind.SINGLE_CHOICE).id, q(c, QuestionKind.RANKING).id},
        3: {q(c, QuestionKind.OPEN_TEXT).id},
    }


def _check_responses(c: Consultation, acknowledged: list[str]) -> None:
    pages = _expected_pages(c)
    statements = {s.id for s in q(c, QuestionKind.STATEMENTS).approved_statements()}
    everything = set().union(*pages.values())
    db.session.expire_all()
    responses = db.session.scalars(select(Response).where(
        Response.consultation_id == c.id)).all()
    by_public_id = {r.public_id: r for r in responses}
    for public_id in acknowledged:
        response = by_public_id.get(public_id)
        assert response is not None, f"acknowledged response {public_id} is missing"
        assert response.status == ResponseStatus.SUBMITTED
    for response in responses:
        answered = set(db.session.scalars(select(Answer.question_id).where(
            Answer.response_id == response.id)))
        voted = set(db.session.scalars(select(StatementVote.statement_id).where(
            StatementVote.response_id == response.id)))
        for page, questions in pages.items():
            assert answered & questions in (set(), questions), (
                f"response {response.id} holds part of page {page}")
        assert voted in (set(), statements), f"response {response.id} holds part of its votes"
        if response.status == ResponseStatus.SUBMITTED:
            assert answered == everything and voted == statements, (
                f"submitted response {response.id} is incomplete")


def _check_registrations(app: Flask, event_id: int, acknowledged: list[str]) -> None:
    db.session.expire_all()
    for secret in acknowledged:
        found = reg_service.find_by_secret(secret)
        assert found is not None, "an acknowledged registration is missing"
        assert found.event_id == event_id
    assert seats.counter_mismatches() == []
    result = app.test_cli_runner().invoke(args=["events", "check"])
    assert result.exit_code == 0, result.output
    event = db.session.get(Event, event_id)
    assert event is not None
    confirmed = db.session.scalars(select(Registration).where(
        Registration.event_id == event_id,
        Registration.status == RegistrationStatus.CONFIRMED)).all()
    assert len(confirmed) == event.seats_taken <= CAPACITY


def test_a_killed_worker_loses_nothing_acknowledged(
    db_app: Flask, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    need(importlib.util.find_spec("gunicorn") is not None, "gunicorn is not installed")
    with db_app.test_request_context("/"):
        consultation = build_consultation()
        organiser = new_user("org@example.nl", Role.ORGANISER)
        event = make_event_in_db(organiser, capacity=CAPACITY, min_age=0)
        db.session.commit()
        pages = page_answers(consultation, text="TEXT")
        tokens = [make_token("event-email", {"event": event.id,
                                             "email": f"persoon{i}@example.nl"})
                  for i in range(SUBMISSIONS)]
    server = Gunicorn(db_app.config["DATABASE_URL"], tmp_path / "gunicorn",
                      db_app.config["SECRET_KEY"])
    try:
        responses, responses_after_kill = _run_with_a_kill(
            server, _respond(server, consultation.slug, pages))
        registrations, registrations_after_kill = _run_with_a_kill(
            server, _register(server, event.id, tokens))
    finally:
        server.stop()
    with capsys.disabled():
        print(f"\nacknowledged: {len(responses)}/{SUBMISSIONS} responses "
              f"({responses_after_kill} after the kill), {len(registrations)}/{SUBMISSIONS} "
              f"registrations ({registrations_after_kill} after the kill)")
    assert responses_after_kill > 0 and registrations_after_kill > 0, (
        "the server kept serving after the kill")
    with db_app.test_request_context("/"):
        _check_responses(consultation, responses)
        _check_registrations(db_app, event.id, registrations)


@pytest.fixture(autouse=True)
def _no_leftover_sessions(db_app: Flask) -> None:
    db.session.remove()
