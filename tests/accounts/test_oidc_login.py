"""Logging in through an OpenID Connect provider, against the real provider package
(oidc-provider-mock) served on loopback: the flow a browser makes, through the test client
for our side and over HTTP for the provider's."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from consult.extensions import db
from consult.models import AuditEntry, OidcLink, Role, User
from consult.services.accounts.oidc import signed_in_through_verified_route
from tests.factories.users import PASSWORD
from tests.support.oidc import (
    CLIENT_ID,
    MockProvider,
    free_port,
    path_and_query,
    provider_config,
    query,
)
from tests.support.sessions import login


@pytest.fixture
def oidc_app(app_factory: Callable[..., Flask], oidc_mock: MockProvider) -> Iterator[Flask]:
    app = app_factory(OIDC_PROVIDERS=[
        provider_config(oidc_mock.issuer),
        provider_config(oidc_mock.issuer, name="eherkenning", verifies_organisations=True,
                        labels={"nl": "eHerkenning", "en": "eHerkenning"}),
    ])
    with app.app_context():
        yield app


@pytest.fixture
def browser(oidc_app: Flask) -> FlaskClient:
    client = oidc_app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def start(client: FlaskClient, provider: str = "test-id", next_url: str | None = None) -> str:
    """Press "Log in with ..."; the provider's authorisation URL we are sent to."""
    url = f"/account/oidc/{provider}/start" + (f"?next={next_url}" if next_url else "")
    response = client.get(url)
    assert response.status_code == 302, response.get_data(as_text=True)
    return str(response.headers["Location"])


def log_in_at_provider(client: FlaskClient, mock: MockProvider, sub: str,
                       provider: str = "test-id", next_url: str | None = None):  # noqa: ANN201
    back = mock.consent(start(client, provider, next_url), sub)
    return client.get(path_and_query(back))


def test_the_login_page_offers_each_provider_in_the_page_language(browser: FlaskClient) -> None:
    english = browser.get("/account/login?lang=en").get_data(as_text=True)
    assert "Log in with Test-ID" in english
    assert "Log in with eHerkenning" in english
    assert 'href="/account/oidc/test-id/start"' in english
    dutch = browser.get("/account/login?lang=nl").get_data(as_text=True)
    assert "Inloggen met Test-ID" in dutch


def test_the_request_carries_pkce_state_and_nonce(browser: FlaskClient) -> None:
    params = query(start(browser))
    assert params["response_type"] == "code"
    assert params["client_id"] == CLIENT_ID
    assert params["code_challenge_method"] == "S256"
    assert len(params["code_challenge"]) == 43
    assert len(params["state"]) >= 32 and len(params["nonce"]) >= 32
    assert params["redirect_uri"] == "http://consult.test/account/oidc/test-id/callback"
    assert "openid" in params["scope"].split()
    again = query(start(browser))
    assert again["state"] != params["state"] and again["nonce"] != params["nonce"]
    assert again["code_challenge"] != params["code_challenge"]


def test_a_first_login_creates_a_confirmed_citizen(
    oidc_app: Flask, browser: FlaskClient, oidc_mock: MockProvider
) -> None:
    oidc_mock.set_user("new-person-1", email="Nieuw@Example.nl", email_verified=True)
    response = log_in_at_provider(browser, oidc_mock, "new-person-1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/overview"
    user = db.session.scalar(db.select(User).where(User.email == "nieuw@example.nl"))
    assert user is not None and user.is_confirmed and user.role == Role.CITIZEN
    link = db.session.scalar(db.select(OidcLink).where(OidcLink.user_id == user.id))
    assert link is not None and (link.provider, link.subject) == ("test-id", "new-person-1")
    assert not link.verified_route
    assert browser.get("/account/").status_code == 200  # logged in
    actions = db.session.scalars(db.select(AuditEntry.action)).all()
    assert "account.created_oidc" in actions
    # Nobody knows the new account's password: it cannot be guessed into.
    assert login(browser, "nieuw@example.nl", "").status_code == 200


def test_an_existing_account_is_linked_by_verified_email_then_found_by_subject(
    oidc_app: Flask, browser: FlaskClient, oidc_mock: MockProvider,
    make_user: Callable[..., User],
) -> None:
    anna = make_user("anna.oidc@example.nl")
    oidc_mock.set_user("anna-sub", email="anna.oidc@example.nl", email_verified=True)
    assert log_in_at_provider(browser, oidc_mock, "anna-sub").status_code == 302
    links = db.session.scalars(db.select(OidcLink)).all()
    assert [(link.user_id, link.subject) for link in links] == [(anna.id, "anna-sub")]
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1
    browser.post("/account/logout")

    # She changes her address at the provider: the next login still finds her, by subject.
    oidc_mock.set_user("anna-sub", email="anna.elders@example.nl", email_verified=True)
    assert log_in_at_provider(browser, oidc_mock, "anna-sub").status_code == 302
    assert browser.get("/account/").status_code == 200
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1
    assert db.session.get(User, anna.id).email == "anna.oidc@example.nl"
    # Her password still works as before.
    browser.post("/account/logout")
    assert login(browser, "anna.oidc@example.nl", PASSWORD).status_code == 302


def test_an_unverified_address_neither_links_nor_creates(
    oidc_app: Flask, browser: FlaskClient, oidc_mock: MockProvider,
    make_user: Callable[..., User],
) -> None:
    make_user("bram.oidc@example.nl")
    oidc_mock.set_user("bram-sub", email="bram.oidc@example.nl", email_verified=False)
    response = log_in_at_provider(browser, oidc_mock, "bram-sub")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Test-ID did not give us a confirmed email address" in page
    assert db.session.scalar(db.select(db.func.count(OidcLink.id))) == 0
    assert browser.get("/account/").status_code == 302  # not logged in


def test_an_unconfirmed_account_loses_its_unproven_password_when_linked(
    oidc_app: Flask, browser: FlaskClient, oidc_mock: MockProvider,
    make_user: Callable[..., User],
) -> None:
    # Someone registered the address first, with a password of their own choosing.
    make_user("carla.oidc@example.nl", confirmed=False)
    oidc_mock.set_user("carla-sub", email="carla.oidc@example.nl", email_verified=True)
    assert log_in_at_provider(browser, oidc_mock, "carla-sub").status_code == 302
    browser.post("/account/logout")
    page = login(browser, "carla.oidc@example.nl", PASSWORD).get_data(as_text=True)
    assert "The email address or password is not correct." in page


def test_a_provider_that_vouches_for_organisations_marks_the_route(
    oidc_app: Flask, browser: FlaskClient, oidc_mock: MockProvider
) -> None:
    oidc_mock.set_user("org-sub", email="inkoop@bedrijf.example.nl", email_verified=True)
    response = log_in_at_provider(browser, oidc_mock, "org-sub", provider="eherkenning")
    assert response.status_code == 302
    user = db.session.scalar(db.select(User).where(User.email == "inkoop@bedrijf.example.nl"))
    assert user is not None and signed_in_through_verified_route(user)
    link = db.session.scalar(db.select(OidcLink).where(OidcLink.user_id == user.id))
    assert link is not None and link.verified_route and link.verified_at is not None


def test_an_organisation_the_provider_vouches_for_by_kvk_number_is_verified(
    oidc_app: Flask, browser: FlaskClient, oidc_mock: MockProvider,
    make_user: Callable[..., User],
) -> None:
    from consult.models import Organisation, VerificationStatus
    from tests.factories.organisations import declared_organisation

    user = make_user("directie@zuivel.example.nl")
    other = make_user("iemand@elders.example.nl")
    vouched = declared_organisation(user, "Zuivel BV", kvk_number="87654321")
    unrelated = declared_organisation(user, "Andere Stichting", kvk_number="11112222")
    claimed_by_someone_else = declared_organisation(other, "Zuivel (nep)", kvk_number="87654321")
    db.session.commit()
    ids = (vouched.id, unrelated.id, claimed_by_someone_else.id)

    oidc_mock.set_user("zuivel-sub", email="directie@zuivel.example.nl", email_verified=True,
                       kvk="87654321")
    response = log_in_at_provider(browser, oidc_mock, "zuivel-sub", provider="eherkenning")
    assert response.status_code == 302
    db.session.expire_all()
    statuses = [db.session.get(Organisation, i).status for i in ids]  # type: ignore[union-attr]
    # Only the organisation this person declared with the vouched-for number.
    assert statuses == [VerificationStatus.VERIFIED, VerificationStatus.PENDING,
                        VerificationStatus.PENDING]
    assert db.session.get(Organisation, ids[0]).verified_route == "eherkenning"  # type: ignore[union-attr]
    entry = db.session.scalar(db.select(AuditEntry).where(
        AuditEntry.action == "organisation.verified_by_route"))
    assert entry is not None and entry.actor_id is None


def test_a_provider_that_does_not_vouch_verifies_no_organisation(
    oidc_app: Flask, browser: FlaskClient, oidc_mock: MockProvider,
    make_user: Callable[..., User],
) -> None:
    from consult.models import Organisation, VerificationStatus
    from tests.factories.organisations import declared_organisation

    user = make_user("gewoon@zuivel.example.nl")
    organisation_id = declared_organisation(user, "Zuivel BV", kvk_number="87654321").id
    db.session.commit()
    oidc_mock.set_user("plain-sub", email="gewoon@zuivel.example.nl", email_verified=True,
                       kvk="87654321")
    assert log_in_at_provider(browser, oidc_mock, "plain-sub").status_code == 302
    db.session.expire_all()
    organisation = db.session.get(Organisation, organisation_id)
    assert organisation is not None and organisation.status == VerificationStatus.PENDING


def test_a_safe_next_page_is_followed_and_an_unsafe_one_dropped(
    oidc_app: Flask, browser: FlaskClient, oidc_mock: MockProvider
) -> None:
    oidc_mock.set_user("next-sub", email="next@example.nl", email_verified=True)
    response = log_in_at_provider(browser, oidc_mock, "next-sub", next_url="/account/")
    assert response.headers["Location"] == "/account/"
    browser.post("/account/logout")
    response = log_in_at_provider(browser, oidc_mock, "next-sub", next_url="https:/evil.example")
    assert response.headers["Location"] == "/account/overview"


def test_denied_consent_shows_a_clear_page_in_dutch_and_english(
    oidc_app: Flask, browser: FlaskClient, oidc_mock: MockProvider
) -> None:
    back = oidc_mock.deny(start(browser))
    assert query(back)["error"] == "access_denied"
    response = browser.get(path_and_query(back) + "&lang=en")
    assert response.status_code == 400
    assert "Logging in at Test-ID was cancelled or refused" in response.get_data(as_text=True)

    back = oidc_mock.deny(start(browser))
    dutch = browser.get(path_and_query(back) + "&lang=nl").get_data(as_text=True)
    assert "Inloggen bij Test-ID is afgebroken of geweigerd" in dutch


def test_a_replayed_answer_is_refused(
    oidc_app: Flask, browser: FlaskClient, oidc_mock: MockProvider
) -> None:
    oidc_mock.set_user("replay-sub", email="replay@example.nl", email_verified=True)
    back = oidc_mock.consent(start(browser), "replay-sub")
    assert browser.get(path_and_query(back)).status_code == 302
    browser.post("/account/logout")
    # The same answer again, in the same browser and in another one.
    again = browser.get(path_and_query(back))
    assert again.status_code == 400
    assert "it was used already" in again.get_data(as_text=True)
    other = oidc_app.test_client()
    assert other.get(path_and_query(back) + "&lang=en").status_code == 400
    assert other.get("/account/").status_code == 302


def test_an_answer_with_another_state_is_refused_and_its_code_not_used(
    oidc_app: Flask, browser: FlaskClient, oidc_mock: MockProvider
) -> None:
    oidc_mock.set_user("state-sub", email="state@example.nl", email_verified=True)
    back = oidc_mock.consent(start(browser), "state-sub")
    params = query(back)
    forged = f"/account/oidc/test-id/callback?code={params['code']}&state=not-the-state"
    response = browser.get(forged)
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_a_provider_that_is_down_gets_a_clear_page(
    app_factory: Callable[..., Flask], caplog: pytest.LogCaptureFixture
) -> None:
    app = app_factory(OIDC_PROVIDERS=[provider_config(f"http://127.0.0.1:{free_port()}")])
    client = app.test_client()
    with caplog.at_level(logging.WARNING):
        response = client.get("/account/oidc/test-id/start?lang=en")
    assert response.status_code == 502
    assert "We could not reach Test-ID" in response.get_data(as_text=True)
    dutch = client.get("/account/oidc/test-id/start?lang=nl").get_data(as_text=True)
    assert "We konden Test-ID niet bereiken" in dutch
    assert "kind=unavailable" in caplog.text


def test_an_unknown_provider_is_not_found(browser: FlaskClient) -> None:
    assert browser.get("/account/oidc/nobody/start").status_code == 404
    assert browser.get("/account/oidc/nobody/callback?code=x&state=y").status_code == 404


def test_the_link_is_in_my_data_and_goes_with_the_account(
    oidc_app: Flask, browser: FlaskClient, oidc_mock: MockProvider
) -> None:
    from consult.services import privacy

    oidc_mock.set_user("data-sub", email="data@example.nl", email_verified=True)
    log_in_at_provider(browser, oidc_mock, "data-sub")
    user = db.session.scalar(db.select(User).where(User.email == "data@example.nl"))
    assert user is not None
    exported = privacy.export_user(user)["areas"]["account"]["login_providers"]
    assert [(item["provider"], item["subject"]) for item in exported] == [("test-id", "data-sub")]
    privacy.erase_user(user)
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(OidcLink.id))) == 0


def test_first_and_second_login_on_each_database(
    app_factory: Callable[..., Flask], backend: str, oidc_mock: MockProvider
) -> None:
    app = app_factory(backend, OIDC_PROVIDERS=[provider_config(oidc_mock.issuer)])
    client = app.test_client()
    oidc_mock.set_user(f"db-{backend}", email=f"db.{backend}@example.nl", email_verified=True)
    for _login in range(2):
        assert log_in_at_provider(client, oidc_mock, f"db-{backend}").status_code == 302
        assert client.get("/account/").status_code == 200
        client.post("/account/logout")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == 1
        assert db.session.scalar(db.select(db.func.count(OidcLink.id))) == 1
