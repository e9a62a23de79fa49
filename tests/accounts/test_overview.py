"""Every role at home: after login each person lands on "My overview", which shows what is
theirs and what their role asks of them; an explicit, safe `next` still wins; "My account"
lists my responses and my registrations.

The security world (tests/support/security_world.py) gives one of everything: citizen A
responded to the open consultation and registered for organiser A's tasting; the
official's consultation is open with answers to moderate; the workshop has a waiting list
once we add one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from consult.extensions import db
from consult.models import Role
from consult.services.follow import subscriptions, targets
from tests.factories.events import adult
from tests.factories.users import PASSWORD, new_user
from tests.support.apps import make_app
from tests.support.security_world import seed_world
from tests.support.sessions import login

LANGS = ("nl", "en")
WHO = ("citizen_a", "citizen_b", "organiser_a", "official", "admin")


@dataclass
class Seen:
    """What the tests need from the world, read while its session was open."""

    app: Flask
    clients: dict[str, FlaskClient]
    slug: str
    tasting_id: int
    workshop_id: int
    seats: tuple[int, int]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seen]:
    app = make_app(tmp_path_factory.mktemp("overview"))
    with app.app_context():
        db.create_all()
        found = seed_world(app)
        from consult.services.events import registration as registration_service

        with app.test_request_context("/"):
            tasting = found.tasting
            tasting.capacity = tasting.seats_taken  # full: the next one waits
            registration_service.register(tasting, adult("wacht@example.nl", name="Wim"))
            subscriptions.follow_as(found.users["citizen_a"], targets.parse("tastings"))
            for role in Role:
                new_user(f"login-{role.value}@example.nl", role, password=PASSWORD)
            db.session.commit()
        seen = Seen(app=app, clients={who: found.client(who) for who in WHO},
                    slug=found.consultation.slug, tasting_id=found.tasting.id,
                    workshop_id=found.workshop.id,
                    seats=(found.tasting.seats_taken, found.tasting.capacity))
    yield seen
    with app.app_context():
        db.engine.dispose()


def _page(world: Seen, who: str, path: str, lang: str) -> str:
    response = world.clients[who].get(f"{path}?lang={lang}")
    assert response.status_code == 200, (who, path, response.status_code)
    return response.get_data(as_text=True)


@pytest.mark.parametrize("role", list(Role))
def test_each_role_lands_on_its_overview_after_login(world: Seen, role: Role) -> None:
    app: Flask = world.app
    for lang in LANGS:
        client = app.test_client()
        client.get(f"/account/login?lang={lang}")
        response = login(client, f"login-{role.value}@example.nl")
        assert response.status_code == 302
        assert response.headers["Location"] == "/account/overview"
        page = client.get("/account/overview").get_data(as_text=True)
        assert {"nl": "Mijn overzicht", "en": "My overview"}[lang] in page


@pytest.mark.parametrize("target, lands", [
    ("/events/", "/events/"),
    ("/consultations/?topic=x", "/consultations/?topic=x"),
    ("//evil.example/", "/account/overview"),
    ("https://evil.example/", "/account/overview"),
    ("/\\evil.example", "/account/overview"),
])
def test_an_explicit_safe_next_still_wins(world: Seen, target: str, lands: str) -> None:
    client = world.app.test_client()
    response = client.post("/account/login", query_string={"next": target},
                           data={"email": "login-official@example.nl", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == lands


def test_a_citizen_sees_responses_registrations_and_follows(world: Seen) -> None:
    words = {
        "nl": ("Mijn reacties", "Mijn aanmeldingen", "Wat ik volg", "Kweekvlees in Nederland"),
        "en": ("My responses", "My registrations", "What I follow",
               "Cultivated meat in the Netherlands"),
    }
    for lang in LANGS:
        page = _page(world, "citizen_a", "/account/overview", lang)
        for word in words[lang]:
            assert word in page, (lang, word)
        assert f'href="/events/{world.tasting_id}/mine"' in page  # the ticket
        assert f'/consultations/{world.slug}"' in page
        # a citizen sees no one else's work
        for other in ("Consultations that need you", "Consultaties die u nodig hebben",
                      "My events", "Mijn bijeenkomsten", "Accounts and audit",
                      "Accounts en logboek"):
            assert other not in page
        # Citizen B's workshop is not citizen A's
        assert f'href="/events/{world.workshop_id}/mine"' not in page


def test_my_account_lists_my_responses_and_registrations(world: Seen) -> None:
    for lang in LANGS:
        page = _page(world, "citizen_a", "/account/", lang)
        assert {"nl": "Mijn reacties", "en": "My responses"}[lang] in page
        assert {"nl": "Mijn aanmeldingen", "en": "My registrations"}[lang] in page
        assert f'href="/events/{world.tasting_id}/mine"' in page
        assert f'/consultations/{world.slug}"' in page
    empty = _page(world, "citizen_b", "/account/", "en")
    assert "You have not responded to a consultation with this account yet." in empty


def test_an_organiser_sees_own_events_with_seats_and_waiting_list(world: Seen) -> None:
    seats = world.seats
    for lang in LANGS:
        page = _page(world, "organiser_a", "/account/overview", lang)
        assert {"nl": "Mijn bijeenkomsten", "en": "My events"}[lang] in page
        assert f'href="/organise/events/{world.tasting_id}"' in page
        assert f'href="/organise/events/{world.workshop_id}"' not in page  # B's
        of = {"nl": "van", "en": "of"}[lang]
        assert f"{seats[0]} {of} {seats[1]}" in page
        # one person waits: the number links to the registrations
        assert f'href="/organise/events/{world.tasting_id}/registrations">1</a>' in page


def test_an_official_sees_the_consultations_that_need_them(world: Seen) -> None:
    for lang in LANGS:
        page = _page(world, "official", "/account/overview", lang)
        heading = {"nl": "Consultaties die u nodig hebben",
                   "en": "Consultations that need you"}[lang]
        assert heading in page
        open_now = page.split({"nl": "Nu open", "en": "Open now"}[lang], 1)[1]
        assert f'href="/officials/consultations/{world.slug}"' in open_now.split(
            "<h3>", 1)[0]
        assert {"nl": "Accounts en logboek", "en": "Accounts and audit"}[lang] not in page


def test_an_admin_sees_accounts_and_audit(world: Seen) -> None:
    for lang in LANGS:
        page = _page(world, "admin", "/account/overview", lang)
        assert {"nl": "Accounts en logboek", "en": "Accounts and audit"}[lang] in page
        assert 'href="/admin/audit"' in page and 'href="/admin/users"' in page
        # an admin is an official too
        assert {"nl": "Consultaties die u nodig hebben",
                "en": "Consultations that need you"}[lang] in page


def test_the_overview_needs_a_login(world: Seen) -> None:
    response: Any = world.app.test_client().get("/account/overview")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]

