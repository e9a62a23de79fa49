"""Behind a reverse proxy the per-address limits key on the client, not on the proxy.

CONSULT_TRUSTED_PROXIES says how many proxies add X-Forwarded-* headers. With 0 (the
default) those headers are ignored, so a client cannot dodge a limit by forging one; with
1 the address the proxy saw is the client's, and two clients get two limits.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from consult import create_app
from consult.config import ConfigError

PROXY = "10.0.0.5"


def _limited(app_factory: Callable[..., Flask], proxies: int) -> Flask:
    return app_factory(
        RATELIMIT_ENABLED=True, LOGIN_LIMIT_PER_IP="3 per minute",
        LOGIN_LIMIT_PER_ACCOUNT="100 per minute", TRUSTED_PROXIES=proxies,
    )


def _login(client: FlaskClient, n: int, forwarded_for: str) -> int:
    return client.post(
        "/account/login",
        data={"email": f"person{n}@example.nl", "password": "wrong password"},
        headers={"X-Forwarded-For": forwarded_for},
        environ_base={"REMOTE_ADDR": PROXY},
    ).status_code


def test_without_trusted_proxies_a_forged_forwarded_for_does_not_dodge_the_limit(
    app_factory: Callable[..., Flask],
) -> None:
    client = _limited(app_factory, 0).test_client()
    codes = [_login(client, n, f"192.0.2.{n}") for n in range(4)]
    assert codes == [200, 200, 200, 429]


def test_behind_one_trusted_proxy_each_client_has_its_own_limit(
    app_factory: Callable[..., Flask],
) -> None:
    client = _limited(app_factory, 1).test_client()
    first = [_login(client, n, "192.0.2.10") for n in range(4)]
    second = [_login(client, n, "198.51.100.20") for n in range(4)]
    assert first == [200, 200, 200, 429]
    assert second == [200, 200, 200, 429]


def test_behind_one_proxy_only_the_address_it_added_counts(
    app_factory: Callable[..., Flask],
) -> None:
    """A client's own X-Forwarded-For comes before the proxy's value and is ignored."""
    client = _limited(app_factory, 1).test_client()
    codes = [_login(client, n, f"203.0.113.{n}, 192.0.2.10") for n in range(4)]
    assert codes == [200, 200, 200, 429]


def test_the_proxy_scheme_and_host_are_trusted_only_when_configured(
    app_factory: Callable[..., Flask],
) -> None:
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "consult.example.nl"}
    for proxies, secure in ((0, False), (1, True)):
        app = app_factory(TRUSTED_PROXIES=proxies, SERVER_NAME=None)
        response = app.test_client().get("/", headers=headers)
        assert response.status_code == 200
        assert ("Strict-Transport-Security" in response.headers) is secure


def test_a_negative_number_of_proxies_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.setenv("CONSULT_TRUSTED_PROXIES", "-1")
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigError, match="TRUSTED_PROXIES"):
        create_app({"TESTING": True, "SECRET_KEY": "x"})
