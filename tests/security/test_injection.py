"""SQL injection and hostile text on both databases: strings in every form field, every
query parameter and every path segment are stored as plain text or refused with a 4xx,
never a 500; no table loses a row."""

from __future__ import annotations

from sqlalchemy import select

from consult.extensions import db
from consult.models import Answer, Event
from tests.support.crawl import (
    _arguments,
    discover_forms,
    every_url,
    routes,
    submit_every_form,
    url_for_rule,
)
from tests.support.security_world import World, row_counts

SQL = ["' OR 1=1 --", "1; DROP TABLE users; --", "%' AND 1=1 AND '%'='",
       "\\'; SELECT pg_sleep(5)--",
       "ünïcödé ‮ 𝕏 \u0000 nul"]
QUERY_NAMES = ["q", "search", "category", "status", "page", "since", "until", "option", "spam",
               "public", "actor", "action", "kind", "topic", "year", "sort", "limit", "offset",
               "per_page", "lang", "next", "consent", "format"]
ROLES: list[str | None] = [None, "citizen_a", "organiser_a", "admin"]


def _kept(before: dict[str, int]) -> None:
    after = row_counts()
    lost = {t: (n, after[t]) for t, n in before.items() if after[t] < n}
    assert not lost, lost


def test_injection_strings_in_every_form_field(db_world: World) -> None:
    before = row_counts()
    for value in SQL:
        for who in ROLES:
            for form, response in submit_every_form(db_world, who, value,
                                                    discover_forms(db_world, who)):
                assert response.status_code < 500, (value, who, form.action)
        _kept(before)
        if "\x00" not in value:  # stored as the very text typed (NUL: a 400, see below)
            stored = set(db.session.scalars(select(Answer.text))) | set(
                db.session.scalars(select(Event.title_en)))
            assert value in stored, value


def test_injection_strings_in_query_parameters(db_world: World) -> None:
    before = row_counts()
    for who in ROLES:
        client = db_world.client(who)
        for _endpoint, path in every_url(db_world):
            for value in SQL:
                response = client.get(path, query_string={n: value for n in QUERY_NAMES})
                assert response.status_code < 500, (who, path, value)
    _kept(before)


def test_injection_strings_in_path_segments(db_world: World) -> None:
    values = _arguments(db_world, "a")
    client = db_world.client("admin")
    checked = 0
    for method in ("GET", "POST"):
        for rule in routes(db_world.app, method):
            for name in rule.arguments - {"filename"}:
                for value in SQL:
                    path = url_for_rule(rule, {**values, name: value.replace("/", "%2F")
                                               .replace("\u0000", "%00")})
                    response = client.open(path, method=method)
                    assert response.status_code < 500, (method, path)
                    if method == "GET":
                        assert response.status_code in (302, 400, 404), (path,
                                                                         response.status_code)
                    checked += 1
    assert checked > 300


def test_nul_bytes_are_a_400_with_the_error_page(db_world: World) -> None:
    """PostgreSQL cannot store NUL: before the guard each of these was a 500 there."""
    client = db_world.client("citizen_a")
    slug = db_world.consultation.slug
    for response in (
        client.get("/api/v1/consultations", query_string={"topic": "a\x00b"}),
        client.get("/api/v1/consultations/a%00b"),
        client.get(f"/consultations/{slug}/responses", query_string={"q": "\x00"}),
        client.post("/account/", data={"prefs-display_name": "Al\x00ice"}),
    ):
        assert response.status_code == 400
    page = client.get("/events/", query_string={"q": "\x00"}).get_data(as_text=True)
    assert "This request could not be handled" in page
