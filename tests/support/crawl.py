"""Every URL and every form of the app, found from the security world, and helpers that
submit a value in every text field of every form."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from flask import Flask
from werkzeug.routing import Rule

from consult.models import QuestionKind, utcnow
from tests.factories.consultations import q
from tests.support.security_world import World

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
        "action": "up", "item_id": 1, "answer_id": 1, "product_id": 1, "year": utcnow().year,
        "user_id": world.users["citizen_b"].id, "filename": "css/consult.css",
        "provider": "test-id",
        "organisation_id": world.extra["organisation"].id,
        "subscription_id": 1,
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
