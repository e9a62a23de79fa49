"""The security suite's world: one of everything, and helpers that find every URL and form.

`world` seeds, through the real services and respondent pages: six accounts (two
citizens, two organisers, an official, an admin), an open consultation with every
question kind and a PDF document, responses (one by a logged-in citizen, one anonymous
with an edit link), an analysis run, a tasting (organiser A) with a dietary note and a
workshop (organiser B), each with a registration and its personal link.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, inspect, select
from werkzeug.routing import Rule

from consult.extensions import db
from consult.models import (
    Answer,
    Consultation,
    ConsultationDocument,
    Event,
    QuestionKind,
    Registration,
    Response,
    Role,
    User,
    utcnow,
)
from consult.services.consultations import editing as consultation_service
from consult.services.events import registration as registration_service
from tests.consultations.factories import build_consultation, official_user, q
from tests.consultations.flow import respond
from tests.events.conftest import adult, make_event_in_db

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


def log_in(client: FlaskClient, user: User) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


def _user(email: str, role: Role) -> User:
    user = User(email=email, password_hash="x", role=role, confirmed_at=utcnow(), locale="en")
    db.session.add(user)
    db.session.flush()
    return user


def seed_world(app: Flask) -> World:
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        consultation = build_consultation()
        users = {
            "citizen_a": _user("alice@example.nl", Role.CITIZEN),
            "citizen_b": _user("bob@example.nl", Role.CITIZEN),
            "organiser_a": _user("org-a@example.nl", Role.ORGANISER),
            "organiser_b": _user("org-b@example.nl", Role.ORGANISER),
            "official": official_user(),
            "admin": _user("admin@example.nl", Role.ADMIN),
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
    from consult.services.insights import run as analysis
    from tests.insights.factories import two_camps

    with app.test_request_context("/"):
        two_camps(consultation, per_camp=6)
        partial.extra["run"] = analysis.run(consultation)
        db.session.commit()
    return partial


@pytest.fixture
def world(app: Flask) -> World:
    return seed_world(app)


# --- row counts --------------------------------------------------------------------------------

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


# --- URLs from the app's own map ---------------------------------------------------------------

def _arguments(world: World, own: str) -> dict[str, Any]:
    """Values for every URL argument; `own` = "a" (organiser/citizen A's) or "b"."""
    c = world.consultation
    event = world.tasting if own == "a" else world.workshop
    registration = world.registration_a if own == "a" else world.registration_b
    return {
        "slug": c.slug, "page": 1, "document_id": world.document.id,
        "public_id": world.response_a.public_id, "token": world.edit_token,
        "event_id": event.id, "registration_id": registration.id,
        "secret": world.secret_a if own == "a" else world.secret_b, "kind": "svg",
        "fmt": "csv", "question_id": q(c, QuestionKind.OPEN_TEXT).id,
        "action": "up", "item_id": 1, "product_id": 1, "year": utcnow().year,
        "user_id": world.users["citizen_b"].id, "filename": "css/consult.css",
    }


def url_for_rule(rule: Rule, values: dict[str, Any]) -> str:
    """The rule's path with the given argument values (no url_for: no server name needed)."""
    path = rule.rule
    for name in rule.arguments:
        path = re.sub(r"<(?:[a-z]+:)?" + name + ">", str(values[name]), path)
    return path


def routes(app: Flask, method: str = "GET") -> list[Rule]:
    return sorted((r for r in app.url_map.iter_rules()
                   if method in (r.methods or set()) and r.endpoint != "static"),
                  key=lambda r: r.rule)


def every_url(world: World, method: str = "GET", own: str = "a") -> list[tuple[str, str]]:
    """(endpoint, path) for every route answering `method`, arguments from the world."""
    values = _arguments(world, own)
    return [(r.endpoint, url_for_rule(r, values)) for r in routes(world.app, method)]


# --- forms parsed from the pages ---------------------------------------------------------------

@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: dict[str, list[dict[str, str]]]  # name -> the elements (attributes) with that name
    enctype: str = ""

    def text_fields(self) -> list[str]:
        names = []
        for name, elements in self.fields.items():
            element = elements[0]
            tag, kind = element["_tag"], element.get("type", "text")
            if name == "csrf_token" or element.get("readonly") is not None:
                continue
            if tag == "textarea" or (tag == "input" and kind in {
                    "text", "email", "search", "url", "tel", "password", ""}):
                names.append(name)
        return names

    def default_data(self) -> dict[str, Any]:
        """What a person submitting the form unchanged would send."""
        data: dict[str, Any] = {}
        for name, elements in self.fields.items():
            first = elements[0]
            tag, kind = first["_tag"], first.get("type", "text")
            if tag == "select":
                if first.get("_selected"):
                    data[name] = first["_selected"]
                elif first.get("_first_option") is not None:
                    data[name] = first["_first_option"]
            elif kind in {"checkbox", "radio"}:
                checked = [e.get("value", "on") for e in elements if "checked" in e]
                if checked:
                    data[name] = checked if kind == "checkbox" else checked[0]
            elif kind in {"submit", "button", "file", "image", "reset"}:
                continue
            elif tag == "textarea":
                data[name] = first.get("_text", "")
            else:
                data[name] = first.get("value", "")
        return data


class _FormParser(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: dict[str, str] | None = None
        self._textarea: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = Form(self.page, a.get("action") or self.page,
                              (a.get("method") or "get").upper(), {}, a.get("enctype", ""))
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag in {"input", "textarea", "select"} and a.get("name"):
            element = dict(a, _tag=tag)
            self._form.fields.setdefault(a["name"], []).append(element)
            if tag == "select":
                self._select = element
            if tag == "textarea":
                self._textarea = element
                element["_text"] = ""
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select.setdefault("_first_option", value)
            if "selected" in a:
                self._select["_selected"] = value

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea["_text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def parse_forms(page: str, html: str) -> list[Form]:
    parser = _FormParser(page)
    parser.feed(html)
    return parser.forms


ROLES = ["citizen_a", "organiser_a", "official", "admin"]

#: Forms that end a session or delete the account: the sweeps leave them alone.
SESSION_ENDING = ("/account/logout", "/account/delete")


def discover_forms(world: World, who: str | None) -> list[Form]:
    """Every form on every page the person can GET (argument-free and id URLs)."""
    client = world.client(who)
    found: dict[tuple[str, str, tuple[str, ...]], Form] = {}
    slug = world.consultation.slug
    extra = [("consultations.respond", f"/consultations/{slug}/respond/{n}") for n in (2, 3)]
    for endpoint, path in every_url(world) + extra:
        if endpoint.startswith("api.") or path.endswith((".ics", ".svg", ".png", ".csv",
                                                          ".json", ".xlsx")):
            continue
        response = client.get(path)
        if response.status_code != 200 or "html" not in (response.mimetype or ""):
            continue
        for form in parse_forms(path, response.get_data(as_text=True)):
            key = (form.action, form.method, tuple(sorted(form.fields)))
            found.setdefault(key, form)
    return list(found.values())


@pytest.fixture
def forms_by_role(world: World) -> Callable[[str | None], list[Form]]:
    cache: dict[str | None, list[Form]] = {}

    def get(who: str | None) -> list[Form]:
        if who not in cache:
            cache[who] = discover_forms(world, who)
        return cache[who]

    return get


def all_answers_text() -> list[str]:
    return list(db.session.scalars(select(Answer.text).where(Answer.text.is_not(None))))


def columns_of(model: type) -> list[str]:
    return [c.key for c in inspect(model).columns]


@pytest.fixture
def csrf_world(app_factory: Callable[..., Flask]) -> Iterator[World]:
    """The same world in an app that checks CSRF tokens."""
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        app.config["WTF_CSRF_ENABLED"] = False  # seeding drives the forms without tokens
        world = seed_world(app)
        app.config["WTF_CSRF_ENABLED"] = True
        yield world


def fill(form: Form, value: str | bytes) -> dict[str, Any]:
    """The form's own data with `value` in every text field."""
    data = form.default_data()
    for name in form.text_fields():
        data[name] = value
    return data


def submit_every_form(world: World, who: str | None, value: str,
                      forms: list[Form]) -> list[tuple[Form, Any]]:
    """Post `value` in every text field of every form (GET forms as a query); the
    forms that end the session are left out. Returns (form, response) pairs."""
    client = world.client(who)
    done = []
    for form in forms:
        if form.action.startswith(SESSION_ENDING) or not form.text_fields():
            continue
        data = fill(form, value)
        if form.method == "GET":
            response = client.get(form.action, query_string=data)
        else:
            response = client.post(form.action, data=data)
        done.append((form, response))
    return done


@pytest.fixture
def db_world(db_app: Flask) -> World:
    """The world on each database backend (SQLite, then PostgreSQL when configured)."""
    return seed_world(db_app)
