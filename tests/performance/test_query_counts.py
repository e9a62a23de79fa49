"""Database queries per page: a fixed number, whatever the number of rows.

Each page is requested on a small data set, then again after more of everything was
added (consultations, statements, documents, responses, events, products,
registrations). A page whose count grows with the rows has an N+1 query; the counts must
be equal and stay under the page's ceiling. Counted with SQLAlchemy's
`before_cursor_execute`, after one warm-up request, with the consultation caches
emptied first (so the consultation page's cold path is what is counted).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from consult.blueprints import anonymous_pages
from consult.extensions import db
from consult.models import (
    Consultation,
    Event,
    QuestionKind,
    Role,
    Statement,
    TastingProduct,
    User,
)
from consult.services import catalogue
from consult.services.consultations import editing as service
from consult.services.consultations import page_cache as consultation_cache
from consult.services.consultations import structure
from consult.services.events import registration as reg_service
from tests.factories.consultations import build_consultation, q
from tests.factories.events import adult, make_event_in_db
from tests.factories.users import new_user, official_user
from tests.support.responding import PROFILE, respond
from tests.support.sessions import log_in

#: page -> most queries it may make (anonymous pages: the cold path, caches empty).
CEILINGS = {
    "home": 5,
    "about": 1,  # cold: the topics' names; warm (kept page, names kept): none
    "consultations list": 4,
    # cold: the key's light query (page_cache.anonymous_state), then the row, its
    # count and parts; warm it is the light query alone (test_request_path.py)
    "consultation page": 5,
    # cold: the questions, options, statements, conditions are read into the worker's
    # kept copy (structure.py); warm they are not read at all (test_structure_cache.py)
    "respond page": 12,
    "events list": 4,
    "event page": 5,
    # cold: the answers are described from the worker's kept copy of the questions
    # (structure.py), read in 6 queries; warm that copy is kept and the page makes 13
    # (15 before, when it read the ORM questions every time)
    "officials' response browser": 19,
    "organisers' registrations": 7,
    "officials' moderation queue": 18,  # one option row lazy-loaded once, not per row
    "published responses": 11,
    "audit log": 6,
    "accounts": 5,
}

pytestmark = pytest.mark.usefixtures("fresh_page_caches")


@dataclass
class World:
    consultation: Consultation
    tasting: Event
    organiser: User
    official: User
    admin: User
    added: int = 0
    extra: list[object] = field(default_factory=list)


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *_args: object) -> None:
        self.count += 1


@pytest.fixture
def counter(db_app: Flask) -> Iterator[QueryCounter]:
    counting = QueryCounter()
    event.listen(db.engine, "before_cursor_execute", counting)
    yield counting
    event.remove(db.engine, "before_cursor_execute", counting)


def _build(app: Flask) -> World:
    with app.test_request_context("/"):
        consultation = build_consultation()
        organiser = new_user("org@example.nl", Role.ORGANISER)
        tasting = make_event_in_db(organiser, tasting=True, capacity=100)
        world = World(consultation, tasting, organiser, official_user(),
                      new_user("admin@example.nl", Role.ADMIN))
        db.session.commit()
    return world


def _grow(app: Flask, world: World, n: int) -> None:
    """n more of everything a page lists."""
    with app.test_request_context("/"):
        statements = q(world.consultation, QuestionKind.STATEMENTS)
        for i in range(n):
            k = world.added + i
            build_consultation(slug=f"extra-{k}")
            db.session.add(Statement(question=statements, text_nl=f"Stelling {k}",
                                     text_en=f"Statement {k}"))
            service.add_document(world.official, world.consultation, f"Bijlage {k}",
                                 f"Annex {k}", url=f"https://example.org/{k}")
            make_event_in_db(world.organiser, title_nl=f"Werkplaats {k}",
                             title_en=f"Workshop {k}")
            db.session.add(TastingProduct(event=world.tasting, position=k + 1,
                                          name_nl=f"Product {k}", name_en=f"Product {k}",
                                          allergens=["milk"]))
            reg_service.register(world.tasting, adult(f"person{k}@example.nl",
                                                      birth_date=date(1980, 1, 1)))
        db.session.commit()
    for i in range(n):
        respondent = app.test_client()
        respondent.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        respond(respondent, world.consultation, text=f"Mening nummer {world.added + i}")
    world.added += n


def _pages(app: Flask, world: World) -> dict[str, tuple[FlaskClient, str]]:
    def client(user: User | None = None) -> FlaskClient:
        made = app.test_client()
        made.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        if user is not None:
            log_in(made, user)
        return made

    slug = world.consultation.slug
    respondent = client()
    assert respondent.post(f"/consultations/{slug}/respond", data=PROFILE).status_code == 302
    return {
        "home": (client(), "/"),
        "about": (client(), "/about"),
        "consultations list": (client(), "/consultations/"),
        "consultation page": (client(), f"/consultations/{slug}"),
        "respond page": (respondent, f"/consultations/{slug}/respond/1"),
        "events list": (client(), "/events/"),
        "event page": (client(), f"/events/{world.tasting.id}"),
        "officials' response browser": (client(world.official),
                                        f"/officials/consultations/{slug}/responses"),
        "organisers' registrations": (client(world.organiser),
                                      f"/organise/events/{world.tasting.id}/registrations"),
        "officials' moderation queue": (client(world.official),
                                        f"/officials/consultations/{slug}/moderation"),
        "published responses": (client(), f"/consultations/{slug}/responses"),
        "audit log": (client(world.admin), "/admin/audit"),
        "accounts": (client(world.admin), "/admin/users"),
    }


def _count(counter: QueryCounter, pages: dict[str, tuple[FlaskClient, str]]) -> dict[str, int]:
    counts = {}
    for name, (client, url) in pages.items():
        assert client.get(url).status_code == 200, name  # warm-up
        anonymous_pages.clear()
        consultation_cache.clear()
        structure.clear()
        catalogue.forget_topic_names()
        db.session.expire_all()
        before = counter.count
        answer = client.get(url)
        assert answer.status_code == 200, name
        counts[name] = counter.count - before
    return counts


def test_queries_per_page_do_not_grow_with_the_rows(
    db_app: Flask, counter: QueryCounter, capsys: pytest.CaptureFixture[str]
) -> None:
    world = _build(db_app)
    _grow(db_app, world, 2)
    small = _count(counter, _pages(db_app, world))
    _grow(db_app, world, 10)
    large = _count(counter, _pages(db_app, world))
    with capsys.disabled():
        print("\nqueries per page (12 rows of each kind):", large)
    assert large == small, {k: (small[k], large[k]) for k in small if small[k] != large[k]}
    for name, count in large.items():
        assert count <= CEILINGS[name], f"{name}: {count} queries, ceiling {CEILINGS[name]}"


def test_the_counter_sees_an_n_plus_one(db_app: Flask, counter: QueryCounter) -> None:
    """The method can fail: touching each row's relation lazily is counted per row."""
    world = _build(db_app)
    _grow(db_app, world, 3)

    def lazy_titles() -> int:
        db.session.expire_all()
        before = counter.count
        for c in db.session.scalars(db.select(Consultation)):
            _ = [question.options for question in c.questions]
        return counter.count - before

    assert lazy_titles() > 4 * 2


