"""Pages for a logged-in person, and the account pages, are never kept by a browser or proxy.

Each role (official, organiser, citizen) crawls every page of the app the security world
can name: every answer it gets (a page, a download, a redirect or a refusal) says
`Cache-Control: no-store`. The account pages say it to anonymous visitors too; public
pages for anonymous visitors and static files stay cacheable.
"""

from __future__ import annotations

import pytest

from tests.support.crawl import every_url
from tests.support.security_world import World


@pytest.mark.parametrize("who", ["official", "organiser_a", "citizen_a"])
def test_every_answer_to_a_logged_in_person_says_no_store(world: World, who: str) -> None:
    client = world.client(who)
    seen = 0
    for endpoint, path in every_url(world):
        if endpoint == "accounts.confirm_email_change":
            continue  # following it would log the person out
        response = client.get(path)
        assert response.headers.get("Cache-Control") == "no-store", (who, path)
        seen += response.status_code == 200
    assert seen > 20, seen  # a real crawl: many pages opened, not only refusals


@pytest.mark.parametrize("path", [
    "/account/login", "/account/register", "/account/forgot-password",
    "/account/reset/not-a-token", "/account/check-your-mail",
])
def test_the_account_pages_say_no_store_to_anybody(world: World, path: str) -> None:
    response = world.client().get(path)
    assert response.headers.get("Cache-Control") == "no-store", path


def test_after_logging_in_the_answers_say_no_store(world: World) -> None:
    client = world.client()
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    response = client.post("/account/login", data={"email": "official@example.nl",
                                                   "password": "wrong password"})
    assert response.headers["Cache-Control"] == "no-store"
    logged_in = world.client("citizen_a")
    assert logged_in.get("/").headers["Cache-Control"] == "no-store"
    assert "no-store" not in logged_in.get("/static/css/consult.css").headers.get(
        "Cache-Control", "")


def test_no_store_on_both_databases(db_world: World) -> None:
    client = db_world.client("citizen_a")
    for path in ("/", "/account/", "/consultations/", f"/events/{db_world.tasting.id}/mine",
                 "/account/login"):
        response = client.get(path)
        assert response.status_code in (200, 302, 404), path
        assert response.headers.get("Cache-Control") == "no-store", path
