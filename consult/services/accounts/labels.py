"""Translated names of the accounts' codes: roles, and the audit log's actions, object
types and detail keys (what services record with `audit.record`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from ...models import Role
from ..events.labels import VERDICT_LABELS

ROLE_LABELS = {
    Role.CITIZEN: _l("Citizen"),
    Role.ORGANISER: _l("Organiser"),
    Role.OFFICIAL: _l("Official"),
    Role.ADMIN: _l("Administrator"),
}

ACTION_LABELS = {
    "account.created_oidc": _l("Account created at a login through a login provider"),
    "account.deleted": _l("Account deleted"),
    "account.locked": _l("Account locked after wrong passwords"),
    "account.oidc_linked": _l("Account linked to a login provider"),
    "analysis.queued": _l("Analysis requested"),
    "answer.approve": _l("Answer approved"),
    "answer.hide": _l("Answer hidden"),
    "consultation.close": _l("Consultation closed"),
    "consultation.create": _l("Consultation created"),
    "consultation.open": _l("Consultation opened"),
    "consultation.report_publish": _l("Report published"),
    "consultation.report_save": _l("Report saved"),
    "consultation.schedule": _l("Consultation scheduled"),
    "consultation.update": _l("Consultation changed"),
    "dietary_notes.purged": _l("Dietary notes deleted after the event"),
    "document.add": _l("Document added"),
    "document.remove": _l("Document removed"),
    "event.approval_saved": _l("Tasting approval saved"),
    "event.cancelled": _l("Event cancelled"),
    "event.completed": _l("Event marked as completed"),
    "event.created": _l("Event created"),
    "event.eligibility_added": _l("Eligibility question added"),
    "event.eligibility_removed": _l("Eligibility question removed"),
    "event.info_sheet_saved": _l("Information sheet saved"),
    "event.organiser_added": _l("Organiser added"),
    "event.product_added": _l("Product added"),
    "event.product_removed": _l("Product removed"),
    "event.published": _l("Event published"),
    "event.updated": _l("Event changed"),
    "organisation.rejected": _l("Organisation not verified"),
    "organisation.requested": _l("Organisation declared, verification asked"),
    "organisation.verified": _l("Organisation verified"),
    "organisation.verified_by_route": _l("Organisation verified by its login route"),
    "privacy.exported": _l("Personal data downloaded"),
    "question.create": _l("Question added"),
    "question.delete": _l("Question deleted"),
    "question.update": _l("Question changed"),
    "registration.approved": _l("Registration approved"),
    "registration.cancelled": _l("Registration cancelled"),
    "registration.promoted": _l("Seat offered from the waiting list"),
    "registration.rejected": _l("Registration not selected"),
    "registrations.erased": _l("Registrations erased with an account"),
    "responses.drafts_purged": _l("Unsent responses deleted"),
    "responses.erased": _l("Responses erased with an account"),
    "statement.approve": _l("Statement approved"),
    "statement.hide": _l("Statement hidden"),
    "user.role_changed": _l("Role changed"),
}

#: The audit entry's object type (the model's class name in lower case).
OBJECT_LABELS = {
    "analysisrun": _l("Analysis"),
    "answer": _l("Answer"),
    "consultation": _l("Consultation"),
    "consultationdocument": _l("Document"),
    "event": _l("Event"),
    "organisation": _l("Organisation"),
    "question": _l("Question"),
    "registration": _l("Registration"),
    "statement": _l("Statement"),
    "user": _l("Account"),
}

DETAIL_LABELS = {
    "anonymised": _l("Kept without a name"),
    "cancelled": _l("Cancelled"),
    "consultation": _l("Consultation"),
    "count": _l("Number"),
    "deleted": _l("Deleted"),
    "events": _l("Events"),
    "mailed": _l("Emails sent"),
    "new": _l("New role"),
    "old": _l("Old role"),
    "product": _l("Product"),
    "provider": _l("Login provider"),
    "reason": _l("Reason"),
    "route": _l("Login route"),
    "run": _l("Analysis"),
    "slug": _l("Web address"),
    "text": _l("Text"),
    "user": _l("Account"),
    "verdict": _l("Verdict"),
    "version": _l("Version"),
}


def action_label(action: str) -> Any:
    return ACTION_LABELS.get(action, _l("Other act"))


def object_label(object_type: str) -> Any:
    return OBJECT_LABELS.get(object_type, _l("Other object"))


def _value(key: str, value: Any) -> Any:
    if key in ("old", "new") and value in Role._value2member_map_:
        return ROLE_LABELS[Role(value)]
    if key == "verdict" and value in VERDICT_LABELS:
        return VERDICT_LABELS[value]
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


#: Details that hold what a person typed (a reason, a text), in whatever language they
#: wrote it: the page marks them as of unknown language.
TYPED_DETAILS = frozenset({"reason", "text"})


def detail_lines(detail: Mapping[str, Any] | None) -> list[tuple[Any, Any, bool]]:
    """(label, value, typed) per detail of an audit entry, in the labels' order; `typed`
    says the value is text a person typed, in a language the page cannot know."""
    return [(DETAIL_LABELS.get(key, _l("Other detail")), _value(key, value),
             key in TYPED_DETAILS) for key, value in sorted((detail or {}).items())]


def template_labels() -> dict[str, object]:
    return {"audit_action_label": action_label, "audit_object_label": object_label,
            "audit_detail_lines": detail_lines}
