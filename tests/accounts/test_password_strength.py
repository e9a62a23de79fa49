"""Weak passwords are refused by a strength estimate (zxcvbn), with advice in nl and en.

zxcvbn's own feedback is English; the pages show our translated advice, chosen from the
weakest part zxcvbn found. The rule holds when registering, resetting and changing a
password, and for the `users create` command; the demo accounts' passwords pass it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from consult.demo.accounts import DEMO_USERS
from consult.extensions import db
from consult.models import User
from consult.services.accounts import auth as accounts
from consult.services.accounts.passwords import password_problem
from tests.factories.users import PASSWORD
from tests.support.mail import Outbox
from tests.support.sessions import login

TOO_EASY = {
    "en": "This password is too easy to guess.",
    "nl": "Dit wachtwoord is te makkelijk te raden.",
}
#: zxcvbn's English feedback, which must never reach a page.
ZXCVBN_ENGLISH = ("commonly used", "Add another word", "Uncommon words are better")


def _register(client: FlaskClient, password: str, lang: str) -> str:
    response = client.post(
        f"/account/register?lang={lang}",
        data={"email": "kim@example.nl", "password": password, "confirm": password},
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize(("lang", "advice"), [
    ("en", "It is, or looks like, one of the most used passwords."),
    ("nl", "Het is een van de meest gebruikte wachtwoorden, of lijkt daarop."),
])
def test_welkom123_is_refused_with_advice_in_the_page_language(
    client: FlaskClient, lang: str, advice: str
) -> None:
    page = _register(client, "welkom123", lang)
    assert TOO_EASY[lang] in page
    assert advice in page
    assert 'value="kim@example.nl"' in page  # what was typed is kept
    assert "welkom123" not in page  # the password is not
    for english in ZXCVBN_ENGLISH:
        assert english not in page
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


@pytest.mark.parametrize(("password", "advice"), [
    ("P@ssw0rd123", "Letters vervangen door cijfers of tekens die erop lijken"),
    ("aaaaaaaaaaaa", "Herhaalde tekens of woorden"),
    ("abcdefgh12", "Reeksen zoals abc of 1234"),
    ("kim.kim.kim", "Herhaalde tekens of woorden"),
    ("kimexample", "Er staat uw naam of uw e-mailadres in."),
])
def test_the_advice_names_what_makes_it_easy_to_guess(
    client: FlaskClient, password: str, advice: str
) -> None:
    page = _register(client, password, "nl")
    assert TOO_EASY["nl"] in page and advice in page


def test_a_reset_refuses_a_weak_password(
    client: FlaskClient, outbox: Outbox, make_user: Callable[..., User]
) -> None:
    make_user("anna@example.nl")
    client.post("/account/forgot-password", data={"email": "anna@example.nl"})
    link = outbox.link()
    page = client.post(link + "?lang=nl", data={"password": "welkom123", "confirm": "welkom123"})
    assert page.status_code == 200
    assert TOO_EASY["nl"] in page.get_data(as_text=True)
    assert login(client, "anna@example.nl").status_code == 302  # the old one still works


def test_changing_the_password_refuses_one_made_of_the_persons_name(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user("anna@example.nl")
    user.display_name = "Anna Verbeek"
    db.session.commit()
    login(client, "anna@example.nl")
    page = client.post("/account/password?lang=en", data={
        "current_password": PASSWORD, "password": "verbeek1984", "confirm": "verbeek1984",
    })
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert TOO_EASY["en"] in text
    assert "It contains your name or your email address." in text


def test_the_users_command_refuses_a_weak_password(app: Flask) -> None:
    runner = app.test_cli_runner()
    weak = runner.invoke(args=["users", "create", "b@example.nl", "--password", "welkom123"])
    assert weak.exit_code != 0
    assert TOO_EASY["nl"] in weak.output
    assert accounts.find_by_email("b@example.nl") is None


@pytest.mark.parametrize(("email", "password"), [(e, p) for e, _, p in DEMO_USERS])
def test_the_demo_passwords_are_strong_enough(app: Flask, email: str, password: str) -> None:
    with app.test_request_context("/?lang=en"):
        assert password_problem(password, email) is None


@pytest.mark.parametrize("password", [
    PASSWORD, "een lange zin over kweekvlees die niemand raadt", "demo-burger-2026",
    "een lange zin over kweekvlees die niemand raadt " * 20,
])
def test_strong_passwords_and_passphrases_pass(app: Flask, password: str) -> None:
    with app.test_request_context("/?lang=en"):
        assert password_problem(password, "kim@example.nl") is None
