"""Open redirects: `next` (the login page, and the login redirect of every protected page)
only ever leads to a path on this site."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask

from consult.extensions import db
from consult.services.accounts.auth import create_user
from tests.support.sessions import login

EVIL = [
    "https://evil.example/", "//evil.example/", "///evil.example/", "\\\\evil.example",
    "/\\evil.example", "https:evil.example", "javascript:alert(1)",
    "http://consult.test@evil.example/", " //evil.example", "/%09/evil.example",
    "\t//evil.example", "data:text/html,<script>alert(1)</script>", "%2F%2Fevil.example",
    "https://consult.test.evil.example/",
]


def _is_local(location: str) -> bool:
    parts = urlsplit(location)
    return parts.scheme in ("", "http") and parts.netloc in ("", "consult.test") \
        and not location.startswith("//")


def test_login_next_never_leaves_the_site(app: Flask) -> None:
    with app.test_request_context("/"):
        create_user("anna@example.nl", "correct horse battery", confirmed=True)
        db.session.commit()
    for target in EVIL:
        client = app.test_client()
        page = client.get("/account/login", query_string={"next": target})
        assert page.status_code == 200
        assert "<script>alert" not in page.get_data(as_text=True)
        response = client.post("/account/login", query_string={"next": target}, data={
            "email": "anna@example.nl", "password": "correct horse battery", "next": target})
        assert response.status_code == 302, target
        assert _is_local(response.headers["Location"]), (target, response.headers["Location"])
        assert urlsplit(response.headers["Location"]).netloc in ("", "consult.test"), target


def test_a_local_next_is_followed(app: Flask) -> None:
    with app.test_request_context("/"):
        create_user("anna@example.nl", "correct horse battery", confirmed=True)
        db.session.commit()
    client = app.test_client()
    response = client.post("/account/login?next=/events/", data={
        "email": "anna@example.nl", "password": "correct horse battery"})
    assert response.headers["Location"].endswith("/events/")
    assert login  # the shared helper logs in without `next`


def test_protected_pages_send_a_local_next(app: Flask) -> None:
    client = app.test_client()
    for path in ("/officials/", "/organise/", "/admin/users", "/account/"):
        response = client.get(path)
        assert response.status_code == 302
        location = response.headers["Location"]
        assert _is_local(location) and "/account/login" in location, location
