"""What every request pays, kept small, and what responding writes, in one transaction.

- The about page for an anonymous visitor is kept per worker and language: no query,
  no session cookie; a logged-in person still gets their own page. The consultation
  page, kept likewise, costs one light query and writes no session either.
- Read-only pages (consultation, event, lists, home) run their queries without BEGIN
  and ROLLBACK (autocommit), and the connection is transactional again for the next
  request; a read-only request that tries to write fails instead of writing.
- A question page's POST and the final submit are one transaction each, with a pinned
  number of statements (they used to reload the consultation after the commit); the
  review page and the receipt read no question (the worker's kept copy).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from consult.blueprints import anonymous_pages
from consult.database import read_only_request
from consult.extensions import db
from consult.models import Consultation, Role, Topic, User
from consult.services import catalogue
from consult.services.consultations import page_cache as consultation_cache
from consult.services.consultations import structure
from tests.factories.consultations import build_consultation
from tests.factories.events import make_event_in_db
from tests.factories.users import new_user
from tests.support.responding import PROFILE, page_answers
from tests.support.sessions import log_in

#: reads of a question page's POST (the factory consultation's first page) and of the
#: final submit: the consultation, the response, its answers and votes, the principles
#: (the questions with their options, statements and conditions come from the worker's
#: kept copy, services.consultations.structure, warmed by the page before); then the
#: writes (their number depends on the answers and on the driver's batching). Before,
#: each POST read the questions (six reads), and before that read the consultation and
#: its questions again after the commit in a second transaction.
QUESTION_POST_READS = 5
#: the submit, the review page and the receipt read the visible questions from the same
#: kept copy, and the principles from the worker's kept catalogue
#: (catalogue.kept_principles): the consultation, the response, its answers, votes and
#: proposed statements. Before: 12, 12 and 11, the questions with their options,
#: statements and conditions and the principles (twice) among them.
SUBMIT_READS = 5
REVIEW_READS = 5
RECEIPT_READS = 5


class Recorder:
    """Statements, transactions and whether each statement ran in autocommit."""

    def __init__(self) -> None:
        self.statements: list[str] = []
        self.autocommit: list[bool] = []
        self.begins = 0
        self.commits = 0

    def clear(self) -> None:
        self.statements.clear()
        self.autocommit.clear()
        self.begins = self.commits = 0


def _is_autocommit(connection: Any) -> bool:
    raw = connection.connection.dbapi_connection
    if hasattr(raw, "autocommit") and not hasattr(raw, "isolation_level"):
        return bool(raw.autocommit)  # psycopg
    if hasattr(raw, "autocommit") and isinstance(raw.autocommit, bool):
        return bool(raw.autocommit)
    return raw.isolation_level is None  # sqlite3


@pytest.fixture
def recorder(db_app: Flask) -> Iterator[Recorder]:
    found = Recorder()

    def statement(connection: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        found.statements.append(sql)
        found.autocommit.append(_is_autocommit(connection))

    def begin(connection: Any) -> None:
        found.begins += 1

    def commit(connection: Any) -> None:
        found.commits += 1

    engine = db.engine
    listeners = [("before_cursor_execute", statement), ("begin", begin), ("commit", commit)]
    for name, function in listeners:
        event.listen(engine, name, function)
    yield found
    for name, function in listeners:
        event.remove(engine, name, function)


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    anonymous_pages.clear()
    consultation_cache.clear()
    structure.clear()
    catalogue.forget_topic_names()
    yield
    anonymous_pages.clear()
    consultation_cache.clear()
    catalogue.forget_topic_names()


def _reads(recorder: Recorder) -> int:
    return sum(1 for sql in recorder.statements if sql.lstrip().upper().startswith("SELECT"))


def _first_lines(recorder: Recorder) -> str:
    return "\n".join(sql.split("\n")[0][:90] for sql in recorder.statements)


def _client(app: Flask, user: User | None = None) -> FlaskClient:
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    if user is not None:
        log_in(client, user)
    return client


def _consultation(app: Flask) -> Consultation:
    with app.test_request_context("/"):
        consultation = build_consultation()
        db.session.commit()
        return consultation


def test_the_about_page_kept_for_anonymous_visitors_makes_no_query_and_no_cookie(
        db_app: Flask, recorder: Recorder) -> None:
    client = _client(db_app)
    first = client.get("/about")
    assert first.status_code == 200
    recorder.clear()
    again = client.get("/about")
    assert again.status_code == 200
    assert again.text == first.text
    assert recorder.statements == []
    assert "Set-Cookie" not in again.headers


def test_a_logged_in_person_gets_their_own_about_page(db_app: Flask) -> None:
    with db_app.test_request_context("/"):
        person = new_user("anna@example.nl")
        db.session.commit()
    assert "Log out" not in _client(db_app).get("/about").text
    assert "Log out" in _client(db_app, person).get("/about").text
    assert "Log out" not in _client(db_app).get("/about").text


def test_the_about_page_shows_a_new_topic_once_the_names_are_read_again(
        db_app: Flask) -> None:
    client = _client(db_app)
    assert "Space biology" not in client.get("/about").text
    with db_app.test_request_context("/"):
        db.session.add(Topic(code="space", domain="health", name_nl="Ruimtebiologie",
                             name_en="Space biology", position=99))
        db.session.commit()
    catalogue.forget_topic_names()  # what NAMES_MAX_AGE seconds do in a worker
    assert "Space biology" in client.get("/about").text


@pytest.mark.parametrize("page", ["consultation", "event", "home", "consultations",
                                  "events"])
def test_read_only_pages_query_in_autocommit_and_leave_the_connection_transactional(
        db_app: Flask, recorder: Recorder, page: str) -> None:
    consultation = _consultation(db_app)
    with db_app.test_request_context("/"):
        organiser = new_user("org@example.nl", Role.ORGANISER)
        tasting = make_event_in_db(organiser, tasting=True, capacity=10)
        db.session.commit()
        tasting_id = tasting.id
    url = {"consultation": f"/consultations/{consultation.slug}",
           "event": f"/events/{tasting_id}", "home": "/", "consultations": "/consultations/",
           "events": "/events/"}[page]
    client = _client(db_app)
    recorder.clear()
    assert client.get(url).status_code == 200
    assert recorder.statements, "the page's first rendering reads the database"
    assert all(recorder.autocommit), recorder.statements
    # The next request writes: its statements run in a transaction again.
    recorder.clear()
    respondent = _client(db_app)
    answer = respondent.post(f"/consultations/{consultation.slug}/respond", data=PROFILE)
    assert answer.status_code == 302
    assert recorder.statements
    assert not any(recorder.autocommit)
    assert recorder.commits >= 1


def test_a_read_only_request_that_writes_fails_instead_of_writing(db_app: Flask) -> None:
    with db_app.test_request_context("/"):
        read_only_request()
        db.session.add(Topic(code="never", domain="food", name_nl="Nooit", name_en="Never",
                             position=1))
        with pytest.raises(RuntimeError, match="read-only"):
            db.session.flush()
        db.session.rollback()
    with db_app.app_context():
        assert db.session.query(Topic).filter_by(code="never").count() == 0


def test_a_question_page_post_and_the_submit_are_one_transaction_each(
        db_app: Flask, recorder: Recorder) -> None:
    consultation = _consultation(db_app)
    with db_app.test_request_context("/"):
        answers = page_answers(db.session.get(Consultation, consultation.id))
    base = f"/consultations/{consultation.slug}"
    client = _client(db_app)
    assert client.post(f"{base}/respond", data=PROFILE).status_code == 302
    recorder.clear()
    result = client.post(f"{base}/respond/1", data=answers[1])
    assert result.status_code == 302
    assert result.headers["Location"].endswith(f"{base}/respond/2")
    assert (recorder.begins, recorder.commits) == (1, 1)
    assert _reads(recorder) <= QUESTION_POST_READS, _first_lines(recorder)
    for page in (2, 3):
        assert client.post(f"{base}/respond/{page}", data=answers[page]).status_code == 302
    recorder.clear()
    assert client.get(f"{base}/review").status_code == 200
    assert _reads(recorder) <= REVIEW_READS, _first_lines(recorder)
    recorder.clear()
    result = client.post(f"{base}/review", data={"website": ""})
    assert result.status_code == 302
    assert "/receipt/" in result.headers["Location"]
    assert (recorder.begins, recorder.commits) == (1, 1)
    assert _reads(recorder) <= SUBMIT_READS, _first_lines(recorder)
    assert client.get(result.headers["Location"]).status_code == 200  # "thank you" shown
    recorder.clear()
    assert client.get(result.headers["Location"]).status_code == 200
    assert _reads(recorder) <= RECEIPT_READS, _first_lines(recorder)


def test_the_respond_pages_shown_open_no_transaction(
        db_app: Flask, recorder: Recorder) -> None:
    """"About you", a question page, the review and the receipt, shown (GET), only read:
    their statements run in autocommit (no BEGIN and ROLLBACK sent); each POST
    between them is one transaction, as before."""
    consultation = _consultation(db_app)
    with db_app.test_request_context("/"):
        answers = page_answers(db.session.get(Consultation, consultation.id))
    base = f"/consultations/{consultation.slug}"
    client = _client(db_app)
    shown: list[str] = []

    def show(url: str) -> None:
        recorder.clear()
        assert client.get(url).status_code == 200
        assert recorder.statements and all(recorder.autocommit), (url, recorder.autocommit)
        shown.append(url)

    show(f"{base}/respond")
    assert client.post(f"{base}/respond", data=PROFILE).status_code == 302
    for page in (1, 2, 3):
        show(f"{base}/respond/{page}")
        recorder.clear()
        assert client.post(f"{base}/respond/{page}", data=answers[page]).status_code == 302
        assert (recorder.begins, recorder.commits) == (1, 1)
        assert not any(recorder.autocommit)
    show(f"{base}/review")
    submitted = client.post(f"{base}/review", data={"website": ""})
    assert submitted.status_code == 302
    show(submitted.headers["Location"])
    assert len(shown) == 6


def test_pages_make_no_rate_limit_storage_call_and_a_limited_post_does(
        app_factory: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from consult.extensions import limiter

    app = app_factory(RATELIMIT_ENABLED=True)
    with app.app_context():
        slug = _consultation(app).slug
        storage = limiter.storage
    calls: list[str] = []
    for name in ("incr", "get", "acquire_entry", "acquire_sliding_window_entry"):
        if hasattr(storage, name):
            real = getattr(storage, name)
            monkeypatch.setattr(storage, name, (lambda n, f: lambda *a, **k: (
                calls.append(n), f(*a, **k))[1])(name, real))
    client = _client(app)
    for url in ("/", "/about", "/consultations/", f"/consultations/{slug}",
                "/events/", "/account/login"):
        assert client.get(url).status_code == 200, url
    assert calls == []
    base = f"/consultations/{slug}"
    assert client.post(f"{base}/respond", data=PROFILE).status_code == 302
    client.post(f"{base}/review", data={"website": ""})  # limited: 5 a minute
    assert calls, "the limited POST counts in the limiter's storage"


def test_the_kept_consultation_page_costs_one_light_query(
        db_app: Flask, recorder: Recorder) -> None:
    url = f"/consultations/{_consultation(db_app).slug}"
    first = _client(db_app).get(url)
    recorder.clear()
    again = _client(db_app).get(url)  # a new visitor, as a load generator's request
    assert again.status_code == 200
    assert again.text == first.text
    assert len(recorder.statements) == 1, _first_lines(recorder)
    assert "consultations.body_nl" not in recorder.statements[0]  # the key's columns only


def test_the_kept_consultation_page_writes_no_session_even_with_csrf_on(
        app_factory: Any) -> None:
    """The page holds no form token (the follow box links to the form's own page), so a
    new visitor's request neither makes a token nor signs a session cookie."""
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        url = f"/consultations/{_consultation(app).slug}"
    for _visitor in range(2):  # the first renders the page, the second gets the kept one
        answer = _client(app).get(url)
        assert answer.status_code == 200
        assert "Set-Cookie" not in answer.headers
        assert "csrf_token" not in answer.text
