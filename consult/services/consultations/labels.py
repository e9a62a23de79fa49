"""Translated names of the consultations' stable codes: statuses, moderation, audience,
response status. The question kinds carry their own `label` (kinds/); the respondent
categories and publication consents are in profile.py."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from ...models import (
    Audience,
    ConsultationStatus,
    ModerationStatus,
    Principle,
    Question,
    ResponseStatus,
)
from . import kinds

STATUS_LABELS = {
    ConsultationStatus.DRAFT: _l("Draft"),
    ConsultationStatus.SCHEDULED: _l("Upcoming"),
    ConsultationStatus.OPEN: _l("Open"),
    ConsultationStatus.CLOSED: _l("Closed"),
    ConsultationStatus.REPORT_PUBLISHED: _l("Report published"),
}

MODERATION_LABELS = {
    ModerationStatus.PENDING: _l("Waiting for moderation"),
    ModerationStatus.APPROVED: _l("Approved"),
    ModerationStatus.HIDDEN: _l("Hidden"),
}

AUDIENCE_LABELS = {
    Audience.ANYONE: _l("Anyone (an account is not needed)"),
    Audience.ACCOUNT: _l("Only people with an account"),
}

RESPONSE_STATUS_LABELS = {
    ResponseStatus.DRAFT: _l("Not sent yet"),
    ResponseStatus.SUBMITTED: _l("Sent"),
    ResponseStatus.WITHDRAWN: _l("Withdrawn"),
}


def kind_label(question: Question) -> Any:
    """The question's kind in words (a kind no longer registered: "Other question")."""
    try:
        return kinds.get(question.kind).label
    except KeyError:
        return _l("Other question")


def principle_names(principles: list[Principle], locale: str) -> str:
    return ", ".join(p.name(locale) for p in principles)


def template_labels() -> dict[str, object]:
    """The label tables and helpers, for a context processor."""
    return {
        "consultation_status_labels": STATUS_LABELS,
        "moderation_labels": MODERATION_LABELS,
        "response_status_labels": RESPONSE_STATUS_LABELS,
        "question_kind_label": kind_label,
        "principle_names": principle_names,
    }
