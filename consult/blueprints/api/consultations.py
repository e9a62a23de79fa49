"""Open data on consultations: the list, one consultation with its questions, aggregated
results and published responses. Drafts are never listed; results and responses include
only responses whose authors consented to publication (and open texts only once approved).
"""

from __future__ import annotations

from typing import Any

from flask import Response as FlaskResponse
from flask import abort, jsonify, request

from consult.services.consultations import editing as service
from consult.services.consultations import kinds, results

from ...models import Consultation, Question, Response
from ..paging import page_arg
from . import openapi
from .blueprint import bp

MAX_PER_PAGE = 100


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _public(slug: str) -> Consultation:
    consultation = service.by_slug(slug)
    if consultation is None or not consultation.is_public:
        abort(404)
    return consultation


def _summary(c: Consultation) -> dict[str, Any]:
    return {
        "slug": c.slug,
        "status": c.effective_status().value,
        "title": {"nl": c.title_nl, "en": c.title_en},
        "summary": {"nl": c.summary_nl, "en": c.summary_en},
        "topic": c.topic.code if c.topic else None,
        "opens_at": _iso(c.opens_at),
        "closes_at": _iso(c.closes_at),
        "audience": c.audience.value,
        "report_published_at": _iso(c.report_published_at),
    }


def _question(q: Question) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": q.id, "kind": q.kind.value, "position": q.position, "page": q.page,
        "text": {"nl": q.text_nl, "en": q.text_en},
        "help": {"nl": q.help_nl, "en": q.help_en},
        "required": q.required,
    }
    if q.options:
        item["options"] = [{"id": o.id, "label": {"nl": o.label_nl, "en": o.label_en}}
                           for o in q.options]
    item.update(kinds.get(q.kind).api_fields(q))
    option = q.condition_option
    if option is not None:
        item["shown_when"] = {"question_id": option.question_id, "option_id": option.id}
    return item


@bp.get("/consultations")
def consultations_list() -> FlaskResponse:
    groups = service.public_consultations(request.args.get("topic") or None)
    items = [_summary(c) for key in ("open", "upcoming", "closed") for c in groups[key]]
    return jsonify({"consultations": items})


@bp.get("/consultations/<slug>")
def consultation_detail(slug: str) -> FlaskResponse:
    c = _public(slug)
    body = _summary(c)
    body["body"] = {"nl": c.body_nl, "en": c.body_en}
    body["questions"] = [_question(q) for q in c.questions]
    return jsonify(body)


@bp.get("/consultations/<slug>/results")
def consultation_results(slug: str) -> FlaskResponse:
    c = _public(slug)
    counts = results.response_counts(c, public=True)
    items = []
    for r in results.results(c, public=True):
        items.append({"question_id": r.question.id, "kind": r.question.kind.value,
                      "answered": r.answered, "measure": r.measure, "rows": r.rows})
    return jsonify({"slug": c.slug, "responses": counts, "questions": items,
                    "note": "Counts only responses whose authors consented to publication."})


def _published(r: Response, texts: dict[int, str], c: Consultation) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    votes = {v.statement_id: v.vote for v in r.votes}
    for q in c.questions:
        answers.update(kinds.get(q.kind).api_answers(q, r, votes, texts))
    return {
        "id": r.id, "submitted_at": _iso(r.submitted_at),
        "category": r.category.value if r.category else None,
        "organisation": r.public_name,
        "organisation_unverified": r.name_awaits_verification,
        "age_band": r.age_band, "province": r.province,
        "answers": answers,
    }


@bp.get("/consultations/<slug>/responses")
def consultation_responses(slug: str) -> FlaskResponse:
    c = _public(slug)
    page = page_arg()
    size_arg = request.args.get("per_page", "50")
    per_page = min(int(size_arg), MAX_PER_PAGE) if size_arg.isdigit() and int(size_arg) else 50
    found = results.published_responses(
        c, request.args.get("q", ""), request.args.get("category", ""), page, per_page,
        beyond_last="empty")
    rows, total = found.items, found.total
    texts = results.approved_texts([r.id for r in rows])
    return jsonify({
        "slug": c.slug, "page": page, "per_page": per_page, "total": total,
        "responses": [_published(r, texts.get(r.id, {}), c) for r in rows],
    })


_SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
_NOT_FOUND = {"description": "No such public consultation",
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
_BILINGUAL = {"type": "object", "properties": {"nl": {"type": "string"},
                                               "en": {"type": "string"}}}

openapi.SCHEMAS.update({
    "ConsultationSummary": {
        "type": "object",
        "required": ["slug", "status", "title", "opens_at", "closes_at"],
        "properties": {
            "slug": {"type": "string"},
            "status": {"type": "string", "enum": ["scheduled", "open", "closed",
                                                  "report_published"]},
            "title": _BILINGUAL, "summary": _BILINGUAL,
            "topic": {"type": ["string", "null"]},
            "opens_at": {"type": ["string", "null"], "format": "date-time"},
            "closes_at": {"type": ["string", "null"], "format": "date-time"},
            "audience": {"type": "string", "enum": ["anyone", "account"]},
            "report_published_at": {"type": ["string", "null"], "format": "date-time"},
        },
    },
    "Question": {
        "type": "object",
        "required": ["id", "kind", "text", "required"],
        "properties": {
            "id": {"type": "integer"},
            "kind": {"type": "string", "enum": [k.value for k in kinds.all_kinds()]},
            "position": {"type": "integer"}, "page": {"type": "integer"},
            "text": _BILINGUAL, "help": _BILINGUAL, "required": {"type": "boolean"},
            "options": {"type": "array", "items": {"type": "object"}},
            "statements": {"type": "array", "items": {"type": "object"}},
            "principles": {"type": "array", "items": {"type": "string"}},
            "shown_when": {"type": "object"},
        },
    },
    "PublishedResponse": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "submitted_at": {"type": "string", "format": "date-time"},
            "category": {"type": "string"},
            "organisation": {"type": ["string", "null"],
                             "description": "Only with consent to publish with the name, "
                                            "and once an official verified the organisation."},
            "organisation_unverified": {
                "type": "boolean",
                "description": "Responded for an organisation, with consent to publish its "
                               "name, that is not verified (yet): the name is withheld."},
            "age_band": {"type": ["string", "null"]}, "province": {"type": ["string", "null"]},
            "answers": {"type": "object", "description": "q<id> or s<statement id> -> answer"},
        },
    },
})

openapi.PATHS.update({
    "/api/v1/consultations": {"get": {
        "summary": "Public consultations (open, upcoming, closed)",
        "parameters": [{"name": "topic", "in": "query", "schema": {"type": "string"}}],
        "responses": {"200": {"description": "The consultations", "content": {
            "application/json": {"schema": {"type": "object", "properties": {
                "consultations": {"type": "array", "items": {
                    "$ref": "#/components/schemas/ConsultationSummary"}}}}}}}},
    }},
    "/api/v1/consultations/{slug}": {"get": {
        "summary": "One consultation with its questions (each with its kind)",
        "parameters": [_SLUG],
        "responses": {"200": {"description": "The consultation", "content": {
            "application/json": {"schema": {"allOf": [
                {"$ref": "#/components/schemas/ConsultationSummary"},
                {"type": "object", "properties": {"questions": {
                    "type": "array", "items": {"$ref": "#/components/schemas/Question"}}}},
            ]}}}}, "404": _NOT_FOUND},
    }},
    "/api/v1/consultations/{slug}/results": {"get": {
        "summary": "Aggregated results over responses published with consent",
        "parameters": [_SLUG],
        "responses": {"200": {"description": "Counts per category and per question"},
                      "404": _NOT_FOUND},
    }},
    "/api/v1/consultations/{slug}/responses": {"get": {
        "summary": "Published responses (only with consent; open texts once approved)",
        "parameters": [_SLUG,
                       {"name": "q", "in": "query", "schema": {"type": "string"}},
                       {"name": "category", "in": "query", "schema": {"type": "string"}},
                       {"name": "page", "in": "query", "schema": {"type": "integer"}},
                       {"name": "per_page", "in": "query",
                        "schema": {"type": "integer", "maximum": MAX_PER_PAGE}}],
        "responses": {"200": {"description": "A page of published responses", "content": {
            "application/json": {"schema": {"type": "object", "properties": {
                "total": {"type": "integer"},
                "responses": {"type": "array", "items": {
                    "$ref": "#/components/schemas/PublishedResponse"}}}}}}},
            "404": _NOT_FOUND},
    }},
})
