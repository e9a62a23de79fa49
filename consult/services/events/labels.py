"""Translated names of the events' stable codes (kinds, statuses, allergens)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ...models import (
    ALLERGEN_CODES,
    ApprovalVerdict,
    EventKind,
    EventStatus,
    OfferStatus,
    RegistrationMode,
    RegistrationStatus,
)

KIND_LABELS = {
    EventKind.TASTING: _l("Tasting"),
    EventKind.WORKSHOP: _l("Workshop"),
    EventKind.ROUND_TABLE: _l("Round table"),
    EventKind.WEBINAR: _l("Webinar"),
    EventKind.STAKEHOLDER_MEETING: _l("Stakeholder meeting"),
}

STATUS_LABELS = {
    EventStatus.DRAFT: _l("Draft"),
    EventStatus.PUBLISHED: _l("Published"),
    EventStatus.CANCELLED: _l("Cancelled"),
    EventStatus.COMPLETED: _l("Completed"),
}

MODE_LABELS = {
    RegistrationMode.FCFS: _l("First come, first served"),
    RegistrationMode.SELECTION: _l("The organisers select participants"),
}

REGISTRATION_STATUS_LABELS = {
    RegistrationStatus.CONFIRMED: _l("Confirmed"),
    RegistrationStatus.WAITLISTED: _l("On the waiting list"),
    RegistrationStatus.OFFERED: _l("Seat offered"),
    RegistrationStatus.PENDING_APPROVAL: _l("Waiting for approval"),
    RegistrationStatus.REJECTED: _l("Not selected"),
    RegistrationStatus.CANCELLED: _l("Cancelled"),
    RegistrationStatus.ATTENDED: _l("Attended"),
    RegistrationStatus.NO_SHOW: _l("Did not come"),
}

OFFER_STATUS_LABELS = {
    OfferStatus.OPEN: _l("Seat offered, waiting for an answer"),
    OfferStatus.ACCEPTED: _l("Offer accepted"),
    OfferStatus.EXPIRED: _l("Offer expired"),
    OfferStatus.DECLINED: _l("Offer declined"),
    OfferStatus.WITHDRAWN: _l("Offer withdrawn"),
}

VERDICT_LABELS = {
    ApprovalVerdict.SAFE: _l("Safe under the proposed conditions"),
    ApprovalVerdict.NOT_SAFE: _l("Not safe"),
}

#: EU Regulation 1169/2011 Annex II, in its order.
ALLERGEN_LABELS = {
    "gluten": _l("Cereals containing gluten"),
    "crustaceans": _l("Crustaceans"),
    "eggs": _l("Eggs"),
    "fish": _l("Fish"),
    "peanuts": _l("Peanuts"),
    "soybeans": _l("Soybeans"),
    "milk": _l("Milk"),
    "nuts": _l("Nuts"),
    "celery": _l("Celery"),
    "mustard": _l("Mustard"),
    "sesame": _l("Sesame seeds"),
    "sulphites": _l("Sulphur dioxide and sulphites"),
    "lupin": _l("Lupin"),
    "molluscs": _l("Molluscs"),
}

assert tuple(ALLERGEN_LABELS) == ALLERGEN_CODES


def template_labels() -> dict[str, object]:
    """The label tables, for a context processor."""
    return {
        "event_kind_labels": KIND_LABELS,
        "event_status_labels": STATUS_LABELS,
        "registration_mode_labels": MODE_LABELS,
        "registration_status_labels": REGISTRATION_STATUS_LABELS,
        "offer_status_labels": OFFER_STATUS_LABELS,
        "verdict_labels": VERDICT_LABELS,
        "allergen_labels": ALLERGEN_LABELS,
    }
