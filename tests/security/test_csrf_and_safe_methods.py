"""CSRF and safe methods: every state-changing POST without a token, or with a forged one,
gets the friendly 400 page and changes nothing; a GET of any page, as any role, changes
no row in any table."""

from __future__ import annotations

import re

from tests.support.crawl import every_url
from tests.support.security_world import World, table_snapshot

CSRF_ROLES: list[str | None] = [None, "citizen_a", "organiser_a", "official", "admin"]
#: The one POST exempt from CSRF on purpose: RFC 8058's one-click unsubscribe, which mail
#: programs send with no cookie and no token (the secret in its URL is the authority; see
#: blueprints/follow/views.py and tests/follow/test_unsubscribing.py).
EXEMPT = {"follow.unsubscribe"}


def test_every_post_needs_its_token(csrf_world: World) -> None:
    before = table_snapshot()
    checked = 0
    for who in CSRF_ROLES:
        client = csrf_world.client(who)
        client.get("/")  # a session exists, so a forged token is compared with a real one
        for endpoint, path in every_url(csrf_world, "POST"):
            if endpoint in EXEMPT:
                continue
            for data in ({}, {"csrf_token": "forged"}, {"csrf_token": ""}):
                response = client.post(path, data={**data, "email": "x@example.nl",
                                                   "password": "whatever12"})
                assert response.status_code == 400, (who, endpoint, path, data)
                assert "The form had expired" in response.get_data(as_text=True), path
                checked += 1
    assert checked > 150
    assert table_snapshot() == before


def test_a_token_from_another_session_is_refused(csrf_world: World) -> None:
    alice, bob = csrf_world.client("citizen_a"), csrf_world.client("citizen_b")
    html = alice.get("/account/").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    before = table_snapshot()
    response = bob.post("/account/", data={"csrf_token": token, "prefs-display_name": "Mallory"})
    assert response.status_code == 400
    assert table_snapshot() == before


def test_get_never_changes_state(world: World) -> None:
    before = table_snapshot()
    requests = 0
    for who in [None, *world.users]:
        client = world.client(who)
        for own in ("a", "b"):
            for _endpoint, path in every_url(world, "GET", own=own):
                response = client.get(path)
                assert response.status_code < 500, (who, path)
                requests += 1
        # The anonymous respondent's own browser (its token in the session) too.
    for _endpoint, path in every_url(world, "GET"):
        world.anon_client.get(path)
    assert requests > 500
    assert table_snapshot() == before
