"""Translated names of the organisations' codes (never shown raw on a page)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from consult.models import RespondentCategory, VerificationStatus

#: The types an organisation can have: every respondent category but "citizen".
KIND_LABELS = {
    RespondentCategory.CIVIL_SOCIETY: _l("Civil-society organisation"),
    RespondentCategory.KNOWLEDGE_INSTITUTION: _l("Knowledge institution"),
    RespondentCategory.COMPANY: _l("Company"),
    RespondentCategory.GOVERNMENT: _l("Government body"),
    RespondentCategory.OTHER: _l("Other organisation"),
}

STATUS_LABELS = {
    VerificationStatus.PENDING: _l("Waiting for verification"),
    VerificationStatus.VERIFIED: _l("Verified"),
    VerificationStatus.REJECTED: _l("Not verified (rejected)"),
}

#: What public places show instead of the name of an organisation not (yet) verified.
UNVERIFIED = _l("organisation (not verified)")


def template_labels() -> dict[str, object]:
    return {"organisation_kinds": KIND_LABELS, "verification_labels": STATUS_LABELS,
            "unverified_organisation": UNVERIFIED}
