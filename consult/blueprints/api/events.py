"""/api/v1/events: published events as open data (kind, dates, seats left, allergens).

Never included: online links, registrations, or anything about a registrant.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, jsonify, request, url_for

from ...extensions import db
from ...models import Event, EventKind
from ...services.events import queries
from .blueprint import bp
from .openapi import PATHS, SCHEMAS


def event_json(event: Event) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": event.id,
        "kind": event.kind.value,
        "status": event.status.value,
        "topic": event.topic.code,
        "title": {"nl": event.title_nl, "en": event.title_en},
        "description": {"nl": event.description_nl, "en": event.description_en},
        "starts_at": event.starts_at.isoformat(),
        "ends_at": event.ends_at.isoformat(),
        "venue": event.venue,
        "online": event.venue is None,
        "capacity": event.capacity,
        "seats_left": event.seats_left,
        "registration_mode": event.registration_mode.value,
        "url": url_for("events.show", event_id=event.id, _external=True),
    }
    if event.is_tasting:
        data["allergens"] = event.allergens
        data["products"] = [
            {"name": {"nl": p.name_nl, "en": p.name_en}, "allergens": list(p.allergens)}
            for p in event.products
        ]
        data["min_age"] = event.min_age
    return data


@bp.get("/events")
def events_list() -> Response:
    kind_arg = request.args.get("kind")
    kind = None
    if kind_arg:
        if kind_arg not in {k.value for k in EventKind}:
            response = jsonify(error="unknown kind", status=400,
                               kinds=[k.value for k in EventKind])
            response.status_code = 400
            return response
        kind = EventKind(kind_arg)
    events = [e for e in queries.published() if kind is None or e.kind == kind]
    return jsonify(events=[event_json(e) for e in events])


@bp.get("/events/<int:event_id>")
def event_detail(event_id: int) -> Response:
    event = db.session.get(Event, event_id)
    if event is None or event.status not in queries.PUBLIC_STATUSES:
        abort(404)
    return jsonify(event_json(event))


_BILINGUAL = {
    "type": "object",
    "properties": {"nl": {"type": "string"}, "en": {"type": "string"}},
    "required": ["nl", "en"],
}

SCHEMAS["Event"] = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "kind": {"type": "string", "enum": [k.value for k in EventKind]},
        "status": {"type": "string", "enum": ["published", "completed", "cancelled"]},
        "topic": {"type": "string", "description": "The topic's stable code"},
        "title": _BILINGUAL,
        "description": _BILINGUAL,
        "starts_at": {"type": "string", "format": "date-time"},
        "ends_at": {"type": "string", "format": "date-time"},
        "venue": {"type": ["string", "null"]},
        "online": {"type": "boolean"},
        "capacity": {"type": "integer"},
        "seats_left": {"type": "integer"},
        "registration_mode": {"type": "string", "enum": ["fcfs", "selection"]},
        "url": {"type": "string", "format": "uri"},
        "allergens": {
            "type": "array",
            "description": "Tastings only: codes of the 14 allergens of EU Regulation "
                           "1169/2011 Annex II found in any product",
            "items": {"type": "string", "enum": [
                "gluten", "crustaceans", "eggs", "fish", "peanuts", "soybeans", "milk",
                "nuts", "celery", "mustard", "sesame", "sulphites", "lupin", "molluscs",
            ]},
        },
        "products": {
            "type": "array",
            "items": {"type": "object", "properties": {
                "name": _BILINGUAL,
                "allergens": {"type": "array", "items": {"type": "string"}},
            }},
        },
        "min_age": {"type": "integer"},
    },
    "required": ["id", "kind", "status", "title", "starts_at", "ends_at", "seats_left"],
}

PATHS["/api/v1/events"] = {
    "get": {
        "summary": "Published events (upcoming and past), with seats left and allergens",
        "parameters": [{
            "name": "kind", "in": "query", "required": False,
            "schema": {"type": "string", "enum": [k.value for k in EventKind]},
        }],
        "responses": {
            "200": {"description": "The events", "content": {"application/json": {"schema": {
                "type": "object",
                "properties": {"events": {"type": "array",
                                          "items": {"$ref": "#/components/schemas/Event"}}},
            }}}},
            "400": {"description": "Unknown kind", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Error"}}}},
        },
    }
}
PATHS["/api/v1/events/{event_id}"] = {
    "get": {
        "summary": "One published event",
        "parameters": [{"name": "event_id", "in": "path", "required": True,
                        "schema": {"type": "integer"}}],
        "responses": {
            "200": {"description": "The event", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Event"}}}},
            "404": {"description": "No such published event", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        },
    }
}
