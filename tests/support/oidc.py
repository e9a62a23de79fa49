"""OpenID Connect providers on loopback for the login tests.

`MockProvider` runs the real provider package from PyPI (oidc-provider-mock) in a
subprocess on a free port: discovery, JWKS, authorisation (a form where the test picks
the subject, or denies) and the token endpoint, with the nonce required. Its users'
claims are set over HTTP (`set_user`).

`ForgingProvider` serves discovery, a JWKS and a token endpoint from a thread, and hands
out whatever ID token the test signed (`sign`): a bad signature, a wrong audience, an
expired token, a missing or wrong nonce. It records the token requests, so a test can
check the PKCE code verifier against the challenge. The real provider cannot be made to
send such tokens.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

CLIENT_ID = "consult-test"
CLIENT_SECRET = "consult-test-secret"  # noqa: S105 - a test client's secret


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def provider_config(
    issuer: str, name: str = "test-id", verifies_organisations: bool = False,
    labels: dict[str, str] | None = None,
) -> dict[str, Any]:
    """One entry of OIDC_PROVIDERS for a provider at `issuer`."""
    return {
        "name": name,
        "issuer": issuer,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "label": labels or {"nl": "Test-ID", "en": "Test-ID"},
        "verifies_organisations": verifies_organisations,
        "scope": "openid email profile",
    }


def query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


class MockProvider:
    """The oidc-provider-mock package, served by its own command in a subprocess."""

    def __init__(self) -> None:
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "oidc_provider_mock", "--port", str(self.port),
             "--host", "127.0.0.1", "--require-nonce"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        self._wait_until_up()

    def _wait_until_up(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("oidc-provider-mock stopped at start")
            try:
                requests.get(self.issuer + "/.well-known/openid-configuration", timeout=1)
                return
            except requests.ConnectionError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("oidc-provider-mock did not start in time")

    def set_user(self, sub: str, **claims: Any) -> None:
        response = requests.put(f"{self.issuer}/users/{sub}", json=claims, timeout=5)
        assert response.status_code == 204, response.text

    def consent(self, authorize_url: str, sub: str) -> str:
        """Log in at the provider as `sub`; the URL it sends the browser back to."""
        response = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False,
                                 timeout=5)
        assert response.status_code == 302, response.text
        return str(response.headers["Location"])

    def deny(self, authorize_url: str) -> str:
        response = requests.post(authorize_url, data={"action": "deny"},
                                 allow_redirects=False, timeout=5)
        assert response.status_code == 302, response.text
        return str(response.headers["Location"])

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@contextmanager
def running_mock_provider() -> Iterator[MockProvider]:
    provider = MockProvider()
    try:
        yield provider
    finally:
        provider.stop()


class ForgingProvider:
    """Discovery, JWKS and a token endpoint that returns the ID token the test signed."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "key-1"}, private=True)
        self.next_id_token: str | None = None
        self.token_requests: list[dict[str, str]] = []
        self.server = make_server("127.0.0.1", 0, self._app, threaded=True)
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def claims(self, sent_nonce: str, **changes: Any) -> dict[str, Any]:
        """Valid claims for the nonce we sent, with `changes` (None drops a claim)."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer, "aud": CLIENT_ID, "sub": "forged-subject",
            "iat": now, "exp": now + 300, "nonce": sent_nonce,
            "email": "forged@example.nl", "email_verified": True,
        }
        claims.update(changes)
        return {key: value for key, value in claims.items() if value is not None}

    def sign(self, claims: dict[str, Any], key: RSAKey | None = None) -> str:
        """Sign `claims` (with this provider's key unless another is given) as the next token."""
        signing_key = key or self.key
        header = {"alg": "RS256", "kid": signing_key.kid}
        self.next_id_token = jwt.encode(header, claims, signing_key)
        return self.next_id_token

    def _app(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        if request.path == "/.well-known/openid-configuration":
            body: Any = {
                "issuer": self.issuer,
                "authorization_endpoint": self.issuer + "/authorize",
                "token_endpoint": self.issuer + "/token",
                "jwks_uri": self.issuer + "/jwks",
                "id_token_signing_alg_values_supported": ["RS256"],
            }
        elif request.path == "/jwks":
            body = {"keys": [self.key.as_dict(private=False)]}
        elif request.path == "/token" and request.method == "POST":
            self.token_requests.append(dict(request.form))
            body = {"access_token": "at", "token_type": "Bearer", "expires_in": 300,
                    "id_token": self.next_id_token}
        else:
            return Response("not found", 404)(environ, start_response)
        response = Response(json.dumps(body), content_type="application/json")
        return response(environ, start_response)

    def stop(self) -> None:
        if self.thread.is_alive():
            self.server.shutdown()
            self.server.server_close()
