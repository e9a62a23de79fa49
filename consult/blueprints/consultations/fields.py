"""Form field names and values for question pages (shape only; the rules are in services)."""

from __future__ import annotations

from typing import Any

from consult.services.consultations import kinds
from consult.services.consultations.kinds import names

from ...models import Response
from ...models.consultation import Question

Typed = dict[str, list[str]]


def typed_from_response(response: Response | None, questions: list[Question]) -> Typed:
    """The stored answers as the form values a page would post."""
    typed: Typed = {}
    if response is None:
        return typed
    for question in questions:
        typed.update(kinds.get(question.kind).typed(question, response))
    return typed


def profile_from_response(response: Response | None) -> Typed:
    if response is None:
        return {}
    typed: Typed = {}
    for name in ("organisation_name", "age_band", "province", "email"):
        value = getattr(response, name)
        if value:
            typed[name] = [value]
    if response.organisation_id:
        typed["organisation_id"] = [str(response.organisation_id)]
    if response.category:
        typed["category"] = [response.category.value]
    if response.consent:
        typed["consent"] = [response.consent.value]
    if response.age_confirmed:
        typed["age_confirmed"] = ["y"]
    return typed


def first_input_id(question: Question, principle_codes: list[str]) -> str:
    """Where an error-summary link for this question goes."""
    return kinds.get(question.kind).first_input_id(question, principle_codes)


def error_links(errors: dict[str, Any], questions: list[Question],
                principle_codes: list[str]) -> list[tuple[str, Any]]:
    """(anchor, message) in page order for the error summary."""
    links = []
    for question in questions:
        name, proposal = names.field(question.id), names.proposal_field(question.id)
        if name in errors:
            links.append((first_input_id(question, principle_codes), errors[name]))
        if proposal in errors:
            links.append((proposal, errors[proposal]))
    return links
