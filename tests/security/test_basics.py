"""Security basics: headers everywhere, CSRF, POST-only state changes, rate limits."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from consult.models import User
from tests.support.apps import REDIS_URL, need
from tests.support.sessions import login


def simple_get_urls(app: Flask) -> list[str]:
    """Every GET route that takes no arguments."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" in (rule.methods or set()) and not rule.arguments and rule.endpoint != "static":
            urls.append(rule.rule)
    return sorted(urls)


def test_every_page_sends_the_security_headers(app: Flask) -> None:
    client = app.test_client()
    urls = simple_get_urls(app) + ["/no-such-page", "/static/css/consult.css"]
    assert "/" in urls and "/account/login" in urls
    for url in urls:
        response = client.get(url)
        headers = response.headers
        csp = headers.get("Content-Security-Policy", "")
        for directive in ("default-src", "frame-ancestors", "base-uri", "form-action"):
            assert directive in csp, (url, directive)
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, url
        assert headers.get("X-Content-Type-Options") == "nosniff", url
        assert headers.get("Referrer-Policy") == "same-origin", url
        assert "Strict-Transport-Security" not in headers, url  # plain HTTP here


def test_hsts_over_https(app: Flask) -> None:
    response = app.test_client().get("/", base_url="https://consult.test")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_pages_have_no_inline_script_or_style(app: Flask) -> None:
    client = app.test_client()
    for url in simple_get_urls(app):
        html = client.get(url).get_data(as_text=True)
        assert "<script>" not in html and "style=" not in html and "<style" not in html, url


def test_session_cookie_is_httponly_and_samesite_lax(
    app: Flask, make_user: Callable[..., User]
) -> None:
    make_user("anna@example.nl")
    client = app.test_client()
    response = login(client, "anna@example.nl")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.fixture
def csrf_app(app_factory: Callable[..., Flask]) -> Flask:
    return app_factory(WTF_CSRF_ENABLED=True)


def test_a_form_without_csrf_token_gets_the_friendly_400_page(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    response = client.post(
        "/account/login?lang=en", data={"email": "a@example.nl", "password": "whatever12"}
    )
    assert response.status_code == 400
    assert "The form had expired" in response.get_data(as_text=True)
    response = client.post("/account/login?lang=nl", data={"csrf_token": "forged"})
    assert response.status_code == 400
    assert "Het formulier was verlopen" in response.get_data(as_text=True)


def test_the_form_with_its_token_is_accepted(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    html = client.get("/account/login").get_data(as_text=True)
    token = html.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/account/login", data={"csrf_token": token, "email": "a@example.nl", "password": "x"}
    )
    assert response.status_code == 200  # the form itself answers: wrong password


def test_logging_out_is_post_only(app: Flask, make_user: Callable[..., User]) -> None:
    make_user("anna@example.nl")
    client = app.test_client()
    login(client, "anna@example.nl")
    assert client.get("/account/logout").status_code == 405
    assert client.get("/account/").status_code == 200  # still logged in


def limited_app(app_factory: Callable[..., Flask], storage: str | None = None) -> Flask:
    config: dict[str, object] = {
        "RATELIMIT_ENABLED": True,
        "LOGIN_LIMIT_PER_ACCOUNT": "3 per minute",
        "LOGIN_LIMIT_PER_IP": "5 per minute",
    }
    if storage:
        config["REDIS_URL"] = storage
        config["RATELIMIT_STORAGE_URI"] = storage
    return app_factory(**config)


def test_login_attempts_are_limited_per_account_with_a_translated_429(
    app_factory: Callable[..., Flask],
) -> None:
    app = limited_app(app_factory)
    client = app.test_client()
    for _ in range(3):
        assert login(client, "anna@example.nl", "wrong password").status_code == 200
    response = client.post(
        "/account/login?lang=nl", data={"email": "anna@example.nl", "password": "x"}
    )
    assert response.status_code == 429
    assert "Te veel pogingen" in response.get_data(as_text=True)
    # Another account from the same address is not blocked by that account's limit.
    assert login(client, "other@example.nl", "wrong password").status_code == 200


def test_login_attempts_are_limited_per_address_across_accounts(
    app_factory: Callable[..., Flask],
) -> None:
    client = limited_app(app_factory).test_client()
    codes = [
        login(client, f"person{n}@example.nl", "wrong password").status_code for n in range(6)
    ]
    assert codes == [200, 200, 200, 200, 200, 429]


def test_reset_requests_are_limited_too(app_factory: Callable[..., Flask]) -> None:
    app = limited_app(app_factory)
    client = app.test_client()
    codes = [
        client.post("/account/forgot-password", data={"email": "a@example.nl"}).status_code
        for _ in range(4)
    ]
    assert codes == [302, 302, 302, 429]


def test_workers_share_the_count_in_redis(app_factory: Callable[..., Flask]) -> None:
    need(bool(REDIS_URL), "Redis: set CONSULT_TEST_REDIS_URL")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    worker_one = limited_app(app_factory, REDIS_URL).test_client()
    worker_two = limited_app(app_factory, REDIS_URL).test_client()
    codes = [
        login(worker, "anna@example.nl", "wrong password").status_code
        for worker in (worker_one, worker_two, worker_one, worker_two)
    ]
    assert codes == [200, 200, 200, 429]
