"""Accounts: registering, confirming, logging in and out, resets, changes, limits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from consult.extensions import db
from consult.models import Role, User, utcnow
from consult.services.accounts import auth as accounts
from consult.services.accounts import passwords
from tests.factories.users import PASSWORD
from tests.support.mail import Outbox
from tests.support.sessions import login


def register(client: FlaskClient, email: str = "bram@example.nl", password: str = PASSWORD,
             confirm: str | None = None, lang: str = "en") -> object:
    return client.post(
        f"/account/register?lang={lang}",
        data={"email": email, "password": password, "confirm": confirm or password},
    )


def test_register_confirm_login_logout_and_the_old_cookie_is_refused(
    app: Flask, client: FlaskClient, outbox: Outbox
) -> None:
    response = register(client)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/check-your-mail")
    mail = outbox.last()
    assert mail["To"] == "bram@example.nl"
    assert mail["Subject"] == "Confirm your email address"

    # Not confirmed yet: logging in is refused with a clear message.
    page = login(client, "bram@example.nl").get_data(as_text=True)
    assert "Confirm your email address first" in page

    assert client.get(outbox.link(mail)).status_code == 302
    assert db.session.scalar(db.select(User.confirmed_at)) is not None

    assert login(client, "bram@example.nl").status_code == 302
    assert client.get("/account/").status_code == 200
    copied_cookie = client.get_cookie("session", domain="consult.test")
    assert copied_cookie is not None

    client.post("/account/logout")
    assert client.get("/account/").status_code == 302  # to the login page

    # Someone who copied the cookie before logout gets nothing with it.
    thief = app.test_client()
    thief.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    thief.set_cookie("session", copied_cookie.value, domain=copied_cookie.domain)
    response = thief.get("/account/")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_confirmation_mail_is_in_the_registrants_language(
    client: FlaskClient, outbox: Outbox
) -> None:
    register(client, lang="nl")
    assert outbox.last()["Subject"] == "Bevestig uw e-mailadres"


def test_registering_a_taken_address_looks_the_same_and_tells_the_owner(
    client: FlaskClient, outbox: Outbox, make_user: Callable[..., User]
) -> None:
    make_user("taken@example.nl")
    fresh = register(client, "fresh@example.nl")
    taken = register(client, "taken@example.nl")
    assert taken.status_code == fresh.status_code == 302
    assert taken.headers["Location"] == fresh.headers["Location"]
    assert outbox.last()["To"] == "taken@example.nl"
    assert outbox.last()["Subject"] == "You already have an account"
    assert db.session.scalar(db.select(db.func.count(User.id))) == 2


@pytest.mark.parametrize(
    ("email", "password", "confirm", "message"),
    [
        ("not-an-email", PASSWORD, PASSWORD, "Enter an email address like name@example.nl."),
        ("a" * 250 + "@x.nl", PASSWORD, PASSWORD, "Use at most 254 characters."),
        ("", PASSWORD, PASSWORD, "Enter your email address."),
        ("kim@example.nl", "short", "short", "Use at least 8 characters."),
        ("kim@example.nl", PASSWORD, "something else", "The two passwords are not the same."),
        ("kim@example.nl", "password1", "password1", "one of the most used passwords"),
        ("kim@example.nl", "welkom123", "welkom123", "This password is too easy to guess."),
        ("kim@example.nl", "x" * 1025, "x" * 1025, "Use at most 1024 characters."),
    ],
)
def test_bad_registration_input_gets_a_clear_message_and_keeps_the_email(
    client: FlaskClient, email: str, password: str, confirm: str, message: str
) -> None:
    response = register(client, email, password, confirm)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    if email:
        assert f'value="{email}"' in page
    assert password not in page or len(password) < 8  # passwords are never echoed
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_bad_input_is_explained_in_dutch_too(client: FlaskClient) -> None:
    page = register(client, "kim@example.nl", "short", "short", lang="nl").get_data(as_text=True)
    assert "Er is een probleem" in page
    assert "Gebruik minstens 8 tekens." in page


def test_long_passphrases_are_welcome(client: FlaskClient) -> None:
    phrase = "een lange zin over kweekvlees die niemand raadt " * 10
    assert register(client, "lang@example.nl", phrase).status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_answer(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    make_user("anna@example.nl")
    wrong = login(client, "anna@example.nl", "wrong password!").get_data(as_text=True)
    unknown = login(client, "nobody@example.nl", "wrong password!").get_data(as_text=True)
    assert "The email address or password is not correct." in wrong
    assert wrong.replace("anna@example.nl", "X") == unknown.replace("nobody@example.nl", "X")


def test_unknown_email_costs_one_password_check_like_a_real_account(
    app: Flask, make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same work, hence about the same time, for known and unknown addresses."""
    make_user("anna@example.nl")
    calls: list[str] = []
    real_hasher = passwords._hasher

    class CountingHasher:
        def verify(self, hash_: str, password: str) -> bool:
            calls.append(hash_)
            return real_hasher.verify(hash_, password)

        def __getattr__(self, name: str) -> object:
            return getattr(real_hasher, name)

    monkeypatch.setattr(passwords, "_hasher", CountingHasher())
    for do in (
        lambda: accounts.authenticate("anna@example.nl", "wrong password!"),
        lambda: accounts.authenticate("nobody@example.nl", "wrong password!"),
        lambda: accounts.register("anna@example.nl", "another passphrase", "nl"),
    ):
        calls.clear()
        do()
        assert len(calls) == 1
        assert calls[0].startswith("$argon2id$")


def test_password_reset_works_once(
    client: FlaskClient, outbox: Outbox, make_user: Callable[..., User]
) -> None:
    make_user("anna@example.nl")
    response = client.post("/account/forgot-password", data={"email": "anna@example.nl"})
    assert response.status_code == 302
    link = outbox.link()
    assert client.get(link).status_code == 200
    new = "a brand new passphrase"
    assert client.post(link, data={"password": new, "confirm": new}).status_code == 302
    assert login(client, "anna@example.nl", new).status_code == 302
    # The same link again is refused: it was tied to the old password.
    page = client.get(link)
    assert page.status_code == 400
    assert "may have been used already" in page.get_data(as_text=True)


def test_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(
    client: FlaskClient, outbox: Outbox
) -> None:
    response = client.post("/account/forgot-password", data={"email": "nobody@example.nl"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/check-your-mail?reset=1")
    assert outbox.mails == []


def test_expired_and_forged_links_get_a_clear_page(
    app: Flask, client: FlaskClient, outbox: Outbox, make_user: Callable[..., User]
) -> None:
    make_user("anna@example.nl")
    client.post("/account/forgot-password", data={"email": "anna@example.nl"})
    link = outbox.link()
    app.config["TOKEN_MAX_AGE_SECONDS"] = -1
    expired = client.get(link + "?lang=en")
    assert expired.status_code == 400
    assert "This link has expired" in expired.get_data(as_text=True)
    app.config["TOKEN_MAX_AGE_SECONDS"] = 3600
    forged = client.get(link[:-3] + "abc?lang=en")
    assert forged.status_code == 400
    assert "This link is not valid" in forged.get_data(as_text=True)
    assert client.get("/account/confirm/nonsense?lang=nl").status_code == 400


def test_changing_the_password_ends_every_session(
    app: Flask, client: FlaskClient, outbox: Outbox, make_user: Callable[..., User]
) -> None:
    make_user("anna@example.nl")
    other_device = app.test_client()
    other_device.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, "anna@example.nl")
    login(other_device, "anna@example.nl")
    new = "another long passphrase"
    wrong = client.post(
        "/account/password",
        data={"current_password": "not it at all", "password": new, "confirm": new},
    )
    assert "Your current password is not correct." in wrong.get_data(as_text=True)
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": new, "confirm": new},
    )
    assert response.status_code == 302
    assert other_device.get("/account/").status_code == 302
    assert outbox.last()["Subject"] == "Uw wachtwoord is gewijzigd"
    assert login(client, "anna@example.nl", new).status_code == 302


def test_changing_the_email_address_needs_the_new_address_confirmed(
    client: FlaskClient, outbox: Outbox, make_user: Callable[..., User]
) -> None:
    make_user("anna@example.nl")
    login(client, "anna@example.nl")
    client.post("/account/email", data={"email": "anna@new.example", "password": PASSWORD})
    mail = outbox.last()
    assert mail["To"] == "anna@new.example"
    assert db.session.scalar(db.select(User.email)) == "anna@example.nl"
    assert client.get(outbox.link(mail)).status_code == 302
    assert db.session.scalar(db.select(User.email)) == "anna@new.example"
    assert outbox.last()["To"] == "anna@example.nl"  # the old address is told
    assert login(client, "anna@new.example").status_code == 302


@pytest.mark.parametrize(
    ("target", "lands_on"),
    [
        ("/about", "/about"),
        ("https://evil.example/steal", "/account/overview"),
        ("//evil.example/steal", "/account/overview"),
        ("\\\\evil.example", "/account/overview"),
        ("javascript:alert(1)", "/account/overview"),
        ("http://consult.test.evil.example/", "/account/overview"),
    ],
)
def test_next_redirects_only_within_this_site(
    client: FlaskClient, make_user: Callable[..., User], target: str, lands_on: str
) -> None:
    make_user("anna@example.nl")
    response = client.post(
        "/account/login",
        data={"email": "anna@example.nl", "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location in (lands_on, f"http://consult.test{lands_on}")


def test_ten_wrong_passwords_lock_the_account_and_tell_the_owner(
    client: FlaskClient, outbox: Outbox, make_user: Callable[..., User]
) -> None:
    user = make_user("anna@example.nl")
    for _ in range(accounts.LOCK_AFTER_FAILURES):
        login(client, "anna@example.nl", "wrong password!")
    # Mails go out in the owner's saved language, else in Dutch.
    assert outbox.last()["Subject"] == "Uw account is tijdelijk geblokkeerd"
    # Even the right password is refused while locked, with the usual answer.
    page = login(client, "anna@example.nl").get_data(as_text=True)
    assert "The email address or password is not correct." in page
    # The lock ends by itself.
    user.locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert login(client, "anna@example.nl").status_code == 302


def test_the_first_admin_is_made_on_the_command_line(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create", "admin@example.nl", "--role", "admin",
              "--password", "admin passphrase 2026"]
    )
    assert result.exit_code == 0, result.output
    user = accounts.find_by_email("admin@example.nl")
    assert user is not None and user.role == Role.ADMIN and user.is_confirmed
    weak = runner.invoke(args=["users", "create", "b@example.nl", "--password", "password"])
    assert weak.exit_code != 0
    assert "meest gebruikte wachtwoorden" in weak.output  # the default locale, Dutch


def test_roles_rank_admin_over_official_over_organiser(make_user: Callable[..., User]) -> None:
    admin = make_user("a@example.nl", role=Role.ADMIN)
    organiser = make_user("o@example.nl", role=Role.ORGANISER)
    assert admin.has_role(Role.OFFICIAL) and admin.has_role(Role.ORGANISER)
    assert organiser.has_role(Role.ORGANISER) and not organiser.has_role(Role.OFFICIAL)
