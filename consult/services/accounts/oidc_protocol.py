"""OpenID Connect's authorisation code flow with PKCE, from the relying party's side.

`begin` builds the provider's authorisation URL with a fresh state, nonce and PKCE code
verifier (S256); the caller keeps those three for the callback. `finish` exchanges the
code at the token endpoint (Authlib's OAuth2Session, with the code verifier) and returns
the ID token's claims once `verify_id_token` has checked them: the signature against the
provider's JWKS (from its discovery document; asymmetric algorithms only), `iss`, `aud`
(and `azp` when there are several audiences), `exp`, `iat` and the nonce.

Every failure is an `OidcFailure` with a kind (what the person is told) and a reason (a
short code for the log, never a token, a subject or an address). The discovery document
and the keys are cached per app for an hour; a token signed with a key id the cache does
not know makes one fresh fetch of the keys (the provider rotated them).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from flask import current_app
from joserfc import jwt
from joserfc.errors import (
    ExpiredTokenError,
    InvalidClaimError,
    InvalidKeyIdError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import KeySet

from consult.services.accounts.oidc_providers import Provider

#: Seconds to wait for the provider (discovery, keys, token endpoint).
TIMEOUT_SECONDS = 5
#: How long a discovery document and its keys are reused.
CACHE_SECONDS = 3600
#: Clock difference tolerated between the provider and this server.
LEEWAY_SECONDS = 60
#: Signature algorithms accepted for ID tokens: never "none", never a shared secret.
ASYMMETRIC_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
                         "ES256", "ES384", "ES512", "EdDSA")


class OidcFailure(Exception):
    """A login through a provider failed.

    kind: "unavailable" (the provider cannot be reached or answers nonsense), "denied"
    (the person or the provider refused), "state" (the answer does not belong to a login
    started here, or came twice), "token" (the ID token is not valid).
    """

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(f"{kind}: {reason}")
        self.kind = kind
        self.reason = reason


@dataclass(frozen=True)
class AuthorizationRequest:
    url: str
    state: str
    nonce: str
    code_verifier: str


def _cache() -> dict[str, tuple[float, Any]]:
    cache: dict[str, tuple[float, Any]] = current_app.extensions.setdefault("oidc_cache", {})
    return cache


def _get_json(url: str, what: str) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise OidcFailure("unavailable", f"{what}: {type(error).__name__}") from error
    if not isinstance(document, dict):
        raise OidcFailure("unavailable", f"{what}: not a JSON object")
    return document


def _cached(key: str, fetch: Any, refresh: bool = False) -> Any:
    cache = _cache()
    hit = cache.get(key)
    if hit is not None and not refresh and time.monotonic() - hit[0] < CACHE_SECONDS:
        return hit[1]
    value = fetch()
    cache[key] = (time.monotonic(), value)
    return value


def metadata(provider: Provider) -> dict[str, Any]:
    """The provider's discovery document, checked to be the configured issuer's."""

    def fetch() -> dict[str, Any]:
        document = _get_json(provider.issuer + "/.well-known/openid-configuration", "discovery")
        if document.get("issuer") != provider.issuer:
            raise OidcFailure("unavailable", "discovery: issuer differs from the configured one")
        for endpoint in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not isinstance(document.get(endpoint), str):
                raise OidcFailure("unavailable", f"discovery: no {endpoint}")
        return document

    result: dict[str, Any] = _cached("meta:" + provider.issuer, fetch)
    return result


def _key_set(provider: Provider, refresh: bool = False) -> KeySet:
    def fetch() -> KeySet:
        document = _get_json(metadata(provider)["jwks_uri"], "jwks")
        try:
            return KeySet.import_key_set(document)  # type: ignore[arg-type]
        except (JoseError, ValueError, KeyError, TypeError) as error:
            raise OidcFailure("unavailable", "jwks: unreadable key set") from error

    return _cached("jwks:" + provider.issuer, fetch, refresh)  # type: ignore[no-any-return]


def _algorithms(provider: Provider) -> list[str]:
    offered = metadata(provider).get("id_token_signing_alg_values_supported") or ["RS256"]
    return [alg for alg in offered if alg in ASYMMETRIC_ALGORITHMS] or ["RS256"]


def _client(provider: Provider, redirect_uri: str) -> OAuth2Session:
    return OAuth2Session(
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        scope=provider.scope,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        default_timeout=TIMEOUT_SECONDS,
    )


def begin(provider: Provider, redirect_uri: str, locale: str) -> AuthorizationRequest:
    """The URL to send the person to, with the state, nonce and code verifier to keep."""
    endpoint = metadata(provider)["authorization_endpoint"]
    state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
    with _client(provider, redirect_uri) as client:
        url, _state = client.create_authorization_url(
            endpoint, state=state, code_verifier=verifier, nonce=nonce, ui_locales=locale
        )
    return AuthorizationRequest(url=url, state=state, nonce=nonce, code_verifier=verifier)


def finish(
    provider: Provider, redirect_uri: str, code: str, code_verifier: str, nonce: str
) -> dict[str, Any]:
    """Exchange the code for tokens and return the verified ID token's claims."""
    endpoint = metadata(provider)["token_endpoint"]
    with _client(provider, redirect_uri) as client:
        try:
            token = client.fetch_token(
                endpoint, grant_type="authorization_code", code=code, code_verifier=code_verifier
            )
        except OAuthError as error:
            raise OidcFailure("token", f"token endpoint refused: {error.error}") from error
        except (requests.RequestException, ValueError) as error:
            raise OidcFailure("unavailable", f"token endpoint: {type(error).__name__}") from error
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise OidcFailure("token", "no id_token in the token response")
    return verify_id_token(provider, id_token, nonce)


def _decode(provider: Provider, id_token: str) -> dict[str, Any]:
    algorithms = _algorithms(provider)
    try:
        try:
            decoded = jwt.decode(id_token, _key_set(provider), algorithms)
        except InvalidKeyIdError:
            decoded = jwt.decode(id_token, _key_set(provider, refresh=True), algorithms)
    except JoseError as error:
        raise OidcFailure("token", f"id_token: {type(error).__name__}") from error
    except ValueError as error:  # not three base64 parts
        raise OidcFailure("token", "id_token: malformed") from error
    return dict(decoded.claims)


def verify_id_token(provider: Provider, id_token: str, nonce: str) -> dict[str, Any]:
    """The claims of `id_token` once its signature and claims are checked."""
    claims = _decode(provider, id_token)
    registry = jwt.JWTClaimsRegistry(
        leeway=LEEWAY_SECONDS,
        iss={"essential": True, "value": provider.issuer},
        aud={"essential": True, "value": provider.client_id},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(claims)
    except ExpiredTokenError as error:
        raise OidcFailure("token", "id_token: expired") from error
    except MissingClaimError as error:
        raise OidcFailure("token", f"id_token: missing {error.claim}") from error
    except InvalidClaimError as error:
        raise OidcFailure("token", f"id_token: invalid {error.claim}") from error
    audience = claims["aud"]
    if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != provider.client_id:
        raise OidcFailure("token", "id_token: invalid azp")
    return claims
