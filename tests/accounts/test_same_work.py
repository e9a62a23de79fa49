"""Known and unknown addresses cost the same: nothing in the answer's time tells them apart.

Each path is checked by counting the expensive work a request does (password hashing,
background jobs, mail) for a known and an unknown address: the same work, whatever the
address. The time it takes is measured apart, by benchmarks/same_work_bench.py (tests
check behaviour, not wall-clock time, which a busy machine makes noisy).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from consult import jobs
from consult.extensions import db
from consult.models import User
from consult.services.accounts import auth as accounts
from consult.services.accounts import passwords
from tests.factories.users import PASSWORD, new_user
from tests.support.mail import Outbox


@dataclass
class Work:
    """What one request did on its own thread (background jobs are counted apart)."""

    hashing: list[str] = field(default_factory=list)
    jobs: list[tuple[str, int]] = field(default_factory=list)
    mails: list[str] = field(default_factory=list)
    job_mails: list[str] = field(default_factory=list)

    def clear(self) -> None:
        for part in (self.hashing, self.jobs, self.mails, self.job_mails):
            part.clear()

    def shape(self) -> tuple[object, ...]:
        return (tuple(self.hashing), tuple(self.jobs), tuple(self.mails))


def _in_job() -> bool:
    return threading.current_thread().name.startswith("job-")


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> Iterator[Work]:
    """Spies on the password hasher, the job queue and the mail the accounts service sends."""
    seen = Work()
    real_hasher = passwords._hasher
    real_enqueue = jobs.enqueue
    real_send = accounts.send_mail

    class CountingHasher:
        def hash(self, password: str) -> str:
            if not _in_job():
                seen.hashing.append("hash")
            return real_hasher.hash(password)

        def verify(self, hash_: str, password: str) -> bool:
            if not _in_job():
                seen.hashing.append("verify")
            return real_hasher.verify(hash_, password)

        def __getattr__(self, name: str) -> Any:
            return getattr(real_hasher, name)

    def counting_enqueue(task: str, *args: Any) -> str:
        seen.jobs.append((task, len(args)))
        return real_enqueue(task, *args)

    def counting_send(to: str, template: str, *args: Any, **kwargs: Any) -> Any:
        (seen.job_mails if _in_job() else seen.mails).append(template)
        return real_send(to, template, *args, **kwargs)

    monkeypatch.setattr(passwords, "_hasher", CountingHasher())
    monkeypatch.setattr(jobs, "enqueue", counting_enqueue)
    monkeypatch.setattr(accounts, "send_mail", counting_send)
    yield seen
    jobs.wait_for_threads()


def _forgot(client: FlaskClient, email: str) -> int:
    return client.post("/account/forgot-password", data={"email": email}).status_code


def test_a_reset_request_does_the_same_work_for_known_and_unknown_addresses(
    db_app: Flask, work: Work
) -> None:
    new_user("anna@example.nl", password=PASSWORD)
    db.session.commit()
    client, outbox = db_app.test_client(), Outbox(db_app)
    shapes = []
    for email in ("anna@example.nl", "nobody@example.nl"):
        work.clear()
        assert _forgot(client, email) == 302
        shapes.append(work.shape())
        jobs.wait_for_threads()
    known, unknown = shapes
    assert known == unknown
    # The request itself hashes nothing and mails nothing: one job does the rest.
    assert known == ((), ((accounts.RESET_MAIL_TASK, 3),), ())
    # The job mailed the owner of the known address, and nobody for the unknown one.
    assert [mail["To"] for mail in outbox.mails] == ["anna@example.nl"]
    assert outbox.link().startswith("/account/reset/")


def _register(client: FlaskClient, email: str) -> int:
    password = "another long passphrase"
    return client.post(
        "/account/register", data={"email": email, "password": password, "confirm": password}
    ).status_code


def test_registering_a_taken_or_a_new_address_does_the_same_work(
    client: FlaskClient, make_user: Callable[..., User], work: Work
) -> None:
    make_user("anna@example.nl")
    shapes = []
    for email in ("anna@example.nl", "bram@example.nl"):
        work.clear()
        assert _register(client, email) == 302
        shapes.append((len(work.hashing), work.jobs[:], len(work.mails)))
    # One Argon2 operation (a hash for the new account, a check for the taken one) and
    # one mail each (a confirmation link, or "you have an account" to its owner).
    assert shapes[0] == shapes[1] == (1, [], 1)


def test_a_login_with_an_unknown_address_checks_a_password_like_a_wrong_one(
    client: FlaskClient, make_user: Callable[..., User], work: Work
) -> None:
    make_user("anna@example.nl")
    shapes = []
    for email in ("anna@example.nl", "nobody@example.nl"):
        work.clear()
        response = client.post("/account/login", data={"email": email, "password": "wrong pw!"})
        assert response.status_code == 200
        shapes.append(work.shape())
    assert shapes[0] == shapes[1] == (("verify",), (), ())


def test_the_reset_link_made_by_the_job_uses_the_address_the_request_came_in_on(
    app_factory: Callable[..., Flask],
) -> None:
    """Without SERVER_NAME (behind a proxy) the background job still builds a full link."""
    app = app_factory(SERVER_NAME=None)
    with app.app_context():
        new_user("anna@example.nl", password=PASSWORD)
        db.session.commit()
    client = app.test_client()
    assert client.post("/account/forgot-password", data={"email": "anna@example.nl"},
                       base_url="https://consult.example.nl").status_code == 302
    outbox = Outbox(app)
    assert "https://consult.example.nl/account/reset/" in outbox.body(outbox.last())
