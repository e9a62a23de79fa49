"""Open redirects: `next` (the login page, and the login redirect of every protected page)
only ever leads to a path on this site."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
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
    # A scheme with one slash or none: urljoin calls them paths on an https site, and
    # Werkzeug's redirect() turned them into https:///evil.example (browsers open
    # https://evil.example/).
    "https:/evil.example", "https:evil.example/x", "http:/evil.example", "HTTPS:/evil.example",
    "/\t/evil.example", "/\n/evil.example", "/%5Cevil.example\\", "\\/evil.example",
    "/\\/evil.example", "https:\\\\evil.example",
]


def _is_local(location: str) -> bool:
    """A path on this site ("/x", not "//x" or "/\\x"), or this site's own URL."""
    if location.startswith("/"):
        return not location.startswith(("//", "/\\"))
    parts = urlsplit(location)
    return parts.scheme in ("http", "https") and parts.netloc == "consult.test"


@pytest.mark.parametrize("base_url", ["http://consult.test", "https://consult.test"])
def test_login_next_never_leaves_the_site(app: Flask, base_url: str) -> None:
    with app.test_request_context("/"):
        create_user("anna@example.nl", "correct horse battery", confirmed=True)
        db.session.commit()
    for target in EVIL:
        client = app.test_client()
        page = client.get("/account/login", query_string={"next": target}, base_url=base_url)
        assert page.status_code == 200
        assert "<script>alert" not in page.get_data(as_text=True)
        response = client.post("/account/login", query_string={"next": target}, data={
            "email": "anna@example.nl", "password": "correct horse battery", "next": target},
            base_url=base_url)
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
