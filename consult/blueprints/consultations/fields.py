"""Form field names and values for question pages (shape only; the rules are in services)."""

from __future__ import annotations

from typing import Any

from ...models import QuestionKind, Response
from ...models.consultation import Question

Typed = dict[str, list[str]]


def typed_from_response(response: Response | None, questions: list[Question]) -> Typed:
    """The stored answers as the form values a page would post."""
    typed: Typed = {}
    if response is None:
        return typed
    votes = {v.statement_id: v.vote for v in response.votes}
    for question in questions:
        name = f"q{question.id}"
        if question.kind == QuestionKind.STATEMENTS:
            for s in question.statements:
                if s.id in votes:
                    typed[f"{name}-s{s.id}"] = [str(votes[s.id])]
            continue
        answer = response.answer_for(question.id)
        if answer is None:
            continue
        if question.kind == QuestionKind.PRINCIPLE_RATING:
            for code, value in (answer.value or {}).items():
                typed[f"{name}-{code}"] = [str(value)]
        elif question.kind == QuestionKind.LIKERT and answer.number is not None:
            typed[name] = [str(int(answer.number))]
        elif question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
            typed[name] = [str(v) for v in answer.value or []]
        elif question.kind == QuestionKind.RANKING:
            for place, option_id in enumerate(answer.value or [], start=1):
                typed[f"{name}-o{option_id}"] = [str(place)]
        elif question.kind == QuestionKind.OPEN_TEXT:
            typed[name] = [answer.text or ""]
    return typed


def profile_from_response(response: Response | None) -> Typed:
    if response is None:
        return {}
    typed: Typed = {}
    for name in ("organisation_name", "age_band", "province", "email"):
        value = getattr(response, name)
        if value:
            typed[name] = [value]
    if response.category:
        typed["category"] = [response.category.value]
    if response.consent:
        typed["consent"] = [response.consent.value]
    if response.age_confirmed:
        typed["age_confirmed"] = ["y"]
    return typed


def first_input_id(question: Question, principle_codes: list[str]) -> str:
    """Where an error-summary link for this question goes."""
    name = f"q{question.id}"
    kind = question.kind
    if kind == QuestionKind.PRINCIPLE_RATING and principle_codes:
        return f"{name}-{principle_codes[0]}-1"
    if kind == QuestionKind.STATEMENTS:
        statements = question.approved_statements()
        return f"{name}-s{statements[0].id}-agree" if statements else f"{name}-new"
    if kind == QuestionKind.LIKERT:
        return f"{name}-1"
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE) and question.options:
        return f"{name}-{question.options[0].id}"
    if kind == QuestionKind.RANKING and question.options:
        return f"{name}-o{question.options[0].id}"
    return name


def error_links(errors: dict[str, Any], questions: list[Question],
                principle_codes: list[str]) -> list[tuple[str, Any]]:
    """(anchor, message) in page order for the error summary."""
    links = []
    for question in questions:
        name = f"q{question.id}"
        if name in errors:
            links.append((first_input_id(question, principle_codes), errors[name]))
        if f"{name}-new" in errors:
            links.append((f"{name}-new", errors[f"{name}-new"]))
    return links
