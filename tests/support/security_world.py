"""The security suite's world: one of everything, seeded through the real services.

`seed_world` seeds, through the real services and respondent pages: six accounts (two
citizens, two organisers, an official, an admin), an open consultation with every
question kind and a PDF document, responses (one by a logged-in citizen, one anonymous
with an edit link), an analysis run, a tasting (organiser A) with a dietary note and a
workshop (organiser B), each with a registration and its personal link. Row counts and
table snapshots show that a request changed nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import (
    Consultation,
    ConsultationDocument,
    Event,
    Registration,
    Response,
    Role,
    User,
)
from consult.services.consultations import editing as consultation_service
from consult.services.events import registration as registration_service
from tests.factories.consultations import build_consultation
from tests.factories.events import adult, make_event_in_db
from tests.factories.insights import two_camps
from tests.factories.organisations import declared_organisation
from tests.factories.users import new_user, official_user
from tests.support.responding import respond
from tests.support.sessions import log_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NOTE = "Allergic to celery (private note)"


@dataclass
class World:
    app: Flask
    users: dict[str, User]
    consultation: Consultation
    document: ConsultationDocument
    response_a: Response  # by citizen A, logged in
    response_anon: Response  # anonymous, with an edit link
    edit_token: str
    tasting: Event  # organiser A's, citizen A registered with a dietary note
    workshop: Event  # organiser B's, citizen B registered
    registration_a: Registration
    registration_b: Registration
    secret_a: str
    secret_b: str
    anon_client: FlaskClient  # the browser that gave the anonymous response
    extra: dict[str, Any] = field(default_factory=dict)

    def client(self, who: str | None = None) -> FlaskClient:
        """A browser logged in as `who` (a key of `users`), or anonymous for None."""
        client = self.app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        if who is not None:
            log_in(client, self.users[who])
        return client


def seed_world(app: Flask) -> World:
    """Seed one of everything in `app` (see the module's docstring) and return it."""
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        consultation = build_consultation()
        users = {
            "citizen_a": new_user("alice@example.nl", Role.CITIZEN),
            "citizen_b": new_user("bob@example.nl", Role.CITIZEN),
            "organiser_a": new_user("org-a@example.nl", Role.ORGANISER),
            "organiser_b": new_user("org-b@example.nl", Role.ORGANISER),
            "official": official_user(),
            "admin": new_user("admin@example.nl", Role.ADMIN),
        }
        document = consultation_service.add_document(
            users["official"], consultation, "Achtergrond", "Background",
            filename="background.pdf", content=PDF)
        tasting = make_event_in_db(users["organiser_a"], tasting=True)
        workshop = make_event_in_db(users["organiser_b"], title_en="Other workshop",
                                    title_nl="Andere werkplaats")
        registration_a, secret_a = registration_service.register(tasting, adult(
            "alice@example.nl", user=users["citizen_a"], dietary_note=NOTE,
            dietary_consent=True))
        registration_b, secret_b = registration_service.register(workshop, adult(
            "bob@example.nl", user=users["citizen_b"], name="Bob"))
        organisation = declared_organisation(users["citizen_b"], "Bobs Stichting")
        db.session.commit()
    partial = World(app=app, users=users, consultation=consultation, document=document,
                    response_a=None, response_anon=None, edit_token="",  # type: ignore[arg-type]
                    tasting=tasting, workshop=workshop, registration_a=registration_a,
                    registration_b=registration_b, secret_a=secret_a, secret_b=secret_b,
                    anon_client=None)  # type: ignore[arg-type]
    alice = partial.client("citizen_a")
    respond(alice, consultation, text="Alice's own words")
    anon = partial.client(None)
    receipt = respond(anon, consultation, text="Anonymous words").headers["Location"]
    body = anon.get(receipt).get_data(as_text=True)  # the receipt shows the edit link
    match = re.search(r"/edit/([^/?#\s\"<]+)", body)
    assert match, body
    responses = db.session.scalars(select(Response).order_by(Response.id)).all()
    partial.response_a = responses[0]
    partial.response_anon = responses[1]
    partial.edit_token = match.group(1)
    partial.anon_client = anon
    partial.extra["organisation"] = organisation
    from consult.services.insights import run as analysis

    with app.test_request_context("/"):
        two_camps(consultation, per_camp=6)
        partial.extra["run"] = analysis.run(consultation)
        db.session.commit()
    return partial


def row_counts() -> dict[str, int]:
    """Rows in every table (to show that a request changed nothing)."""
    db.session.rollback()
    counts = {}
    for table in db.metadata.sorted_tables:
        counts[table.name] = int(db.session.scalar(select(func.count()).select_from(table)) or 0)
    return counts


def table_snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted (to show that nothing changed at all)."""
    db.session.rollback()
    snapshot = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table)).all()
        snapshot[table.name] = sorted(tuple(map(repr, row)) for row in rows)
    return snapshot
