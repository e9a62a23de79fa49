"""ID tokens the real provider would never send: a bad signature, another audience, an
expired token, a missing or wrong nonce. Signed here (joserfc) and handed out by a token
endpoint on loopback whose JWKS holds the provider's real key; our side fetches both over
HTTP as it would from any provider."""

from __future__ import annotations

import base64
import hashlib
import logging
import time
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey

from consult.extensions import db
from consult.models import OidcLink, User
from tests.support.oidc import ForgingProvider, provider_config, query


@pytest.fixture
def forger() -> Iterator[ForgingProvider]:
    provider = ForgingProvider()
    yield provider
    provider.stop()


@pytest.fixture
def browser(app_factory: Callable[..., Flask], forger: ForgingProvider) -> Iterator[FlaskClient]:
    app = app_factory(OIDC_PROVIDERS=[provider_config(forger.issuer)])
    with app.app_context():
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        yield client


def start(client: FlaskClient) -> dict[str, str]:
    response = client.get("/account/oidc/test-id/start")
    assert response.status_code == 302
    return query(response.headers["Location"])


def come_back(client: FlaskClient, params: dict[str, str]):  # noqa: ANN201
    return client.get(f"/account/oidc/test-id/callback?code=the-code&state={params['state']}")


def refused(response: object) -> bool:
    page = response.get_data(as_text=True)  # type: ignore[attr-defined]
    return (response.status_code == 400  # type: ignore[attr-defined]
            and "Test-ID sent an answer we could not verify" in page)


def nobody_logged_in(client: FlaskClient) -> bool:
    return (client.get("/account/").status_code == 302
            and db.session.scalar(db.select(db.func.count(User.id))) == 0)


def test_a_well_made_token_logs_in_and_the_code_verifier_fits_the_challenge(
    browser: FlaskClient, forger: ForgingProvider
) -> None:
    params = start(browser)
    forger.sign(forger.claims(params["nonce"]))
    assert come_back(browser, params).status_code == 302
    assert browser.get("/account/").status_code == 200
    [request] = forger.token_requests
    assert request["grant_type"] == "authorization_code" and request["code"] == "the-code"
    assert request["redirect_uri"] == params["redirect_uri"]
    digest = hashlib.sha256(request["code_verifier"].encode()).digest()
    assert base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == params["code_challenge"]


def test_a_bad_signature_is_refused(browser: FlaskClient, forger: ForgingProvider) -> None:
    params = start(browser)
    impostor = RSAKey.generate_key(2048, parameters={"kid": forger.key.kid}, private=True)
    forger.sign(forger.claims(params["nonce"]), key=impostor)
    assert refused(come_back(browser, params))
    assert nobody_logged_in(browser)


def test_a_token_whose_signature_was_edited_is_refused(
    browser: FlaskClient, forger: ForgingProvider
) -> None:
    params = start(browser)
    header, payload, signature = forger.sign(forger.claims(params["nonce"])).split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    forger.next_id_token = ".".join([header, payload, flipped])
    assert refused(come_back(browser, params))
    assert nobody_logged_in(browser)


def test_a_token_with_a_shared_secret_algorithm_is_refused(
    browser: FlaskClient, forger: ForgingProvider
) -> None:
    params = start(browser)
    secret = OctKey.import_key(b"a-secret-anyone-could-guess-xxxxxxxx")
    forger.next_id_token = jwt.encode({"alg": "HS256"}, forger.claims(params["nonce"]), secret)
    assert refused(come_back(browser, params))
    assert nobody_logged_in(browser)


@pytest.mark.parametrize(
    "changes",
    [
        {"aud": "another-client"},
        {"aud": ["another-client", "a-third-client"]},
        {"aud": ["consult-test", "another-client"], "azp": "another-client"},
        {"iss": "http://127.0.0.1:1"},
        {"exp": int(time.time()) - 600},
        {"iat": int(time.time()) + 3600},
        {"nonce": None},
        {"nonce": "not-the-nonce-we-sent"},
        {"sub": None},
    ],
    ids=["wrong-audience", "audience-list-without-us", "azp-of-another-client",
         "wrong-issuer", "expired", "issued-in-the-future", "missing-nonce", "wrong-nonce",
         "no-subject"],
)
def test_a_token_with_a_wrong_claim_is_refused(
    browser: FlaskClient, forger: ForgingProvider, changes: dict[str, object]
) -> None:
    params = start(browser)
    forger.sign(forger.claims(params["nonce"], **changes))
    assert refused(come_back(browser, params))
    assert nobody_logged_in(browser)
    assert db.session.scalar(db.select(db.func.count(OidcLink.id))) == 0


def test_failures_are_logged_without_personal_data(
    browser: FlaskClient, forger: ForgingProvider, caplog: pytest.LogCaptureFixture
) -> None:
    params = start(browser)
    forger.sign(forger.claims(params["nonce"], exp=int(time.time()) - 600,
                              sub="secret-subject-42"))
    with caplog.at_level(logging.INFO):
        assert refused(come_back(browser, params))
    assert "kind=token reason=id_token: expired" in caplog.text
    for private in ("secret-subject-42", "forged@example.nl", params["nonce"], "the-code",
                    forger.next_id_token or "-"):
        assert private not in caplog.text


def test_a_token_response_without_an_id_token_is_refused(
    browser: FlaskClient, forger: ForgingProvider
) -> None:
    params = start(browser)
    forger.next_id_token = None
    assert refused(come_back(browser, params))
    assert nobody_logged_in(browser)


def test_a_rotated_key_is_fetched_again(browser: FlaskClient, forger: ForgingProvider) -> None:
    params = start(browser)
    forger.sign(forger.claims(params["nonce"]))
    assert come_back(browser, params).status_code == 302
    browser.post("/account/logout")
    # The provider rotates its key: the cached JWKS does not know the new key id.
    forger.key = RSAKey.generate_key(2048, parameters={"kid": "key-2"}, private=True)
    params = start(browser)
    forger.sign(forger.claims(params["nonce"]))
    assert come_back(browser, params).status_code == 302
    assert browser.get("/account/").status_code == 200


def test_a_provider_gone_at_the_token_endpoint_gets_a_clear_page(
    browser: FlaskClient, forger: ForgingProvider
) -> None:
    params = start(browser)
    forger.stop()
    response = come_back(browser, params)
    assert response.status_code == 502
    assert "We could not reach Test-ID" in response.get_data(as_text=True)
    assert nobody_logged_in(browser)


def test_a_login_left_pending_too_long_must_start_again(
    browser: FlaskClient, forger: ForgingProvider
) -> None:
    params = start(browser)
    with browser.session_transaction() as session:
        pending = dict(session["oidc_pending"])
        pending["at"] -= 11 * 60
        session["oidc_pending"] = pending
    forger.sign(forger.claims(params["nonce"]))
    response = come_back(browser, params)
    assert response.status_code == 400
    assert "the login took too long" in response.get_data(as_text=True)
    assert forger.token_requests == []  # the code was never exchanged
    assert nobody_logged_in(browser)
