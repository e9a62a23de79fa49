"""The respondent's profile: who responds, and what may be published.

A person who is not responding as a citizen names their organisation, or, with an
account, chooses one of the organisations they declared (services/organisations): then
the response takes that organisation's name and type, and its name is published once an
official verified it. A typed name alone is never published. Age band and province are
optional. Publication consent is one of three choices, and the person
states they are at least the consultation's minimum age (16).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from consult.models import (
    AGE_BANDS,
    PROVINCES,
    Organisation,
    PublicationConsent,
    RespondentCategory,
    Response,
)
from consult.services.consultations.answers import FormTampered

ORGANISATION_MAX = 200
EMAIL_MAX = 254

CATEGORY_LABELS = {
    RespondentCategory.CITIZEN: _l("Citizen"),
    RespondentCategory.CIVIL_SOCIETY: _l("Civil-society organisation"),
    RespondentCategory.KNOWLEDGE_INSTITUTION: _l("Knowledge institution"),
    RespondentCategory.COMPANY: _l("Company"),
    RespondentCategory.GOVERNMENT: _l("Government body"),
    RespondentCategory.OTHER: _l("Other organisation"),
}

CONSENT_LABELS = {
    PublicationConsent.PUBLISH_WITH_NAME: _l(
        "Publish my response, with my organisation's name (citizens' names are never shown)"
    ),
    PublicationConsent.PUBLISH_ANONYMOUSLY: _l("Publish my response without a name"),
    PublicationConsent.DO_NOT_PUBLISH: _l(
        "Do not publish my response (it is only used for the analysis)"
    ),
}


@dataclass
class Profile:
    category: RespondentCategory | None = None
    organisation_name: str | None = None
    organisation: Organisation | None = None
    age_band: str | None = None
    province: str | None = None
    consent: PublicationConsent | None = None
    age_confirmed: bool = False
    email: str | None = None
    errors: dict[str, Any] = field(default_factory=dict)


def _first(raw: Mapping[str, Sequence[str]], name: str) -> str:
    values = raw.get(name) or []
    return values[0].strip() if values else ""


def _chosen_organisation(raw: Mapping[str, Sequence[str]],
                         declared: Sequence[Organisation]) -> Organisation | None:
    chosen = _first(raw, "organisation_id")
    if not chosen:
        return None
    for organisation in declared:
        if str(organisation.id) == chosen:
            return organisation
    raise FormTampered()


def parse_profile(raw: Mapping[str, Sequence[str]], ask_email: bool,
                  declared: Sequence[Organisation] = ()) -> Profile:
    """Read the profile fields; an unknown choice value is a forged form. `declared` are
    the organisations the person may respond for (those they declared)."""
    profile = Profile()
    profile.organisation = _chosen_organisation(raw, declared)
    category = _first(raw, "category")
    if profile.organisation is not None and category != RespondentCategory.CITIZEN.value:
        category = profile.organisation.kind.value
    if category:
        try:
            profile.category = RespondentCategory(category)
        except ValueError as exc:
            raise FormTampered() from exc
    else:
        profile.errors["category"] = _l("Say whether you respond as a citizen or for an "
                                        "organisation.")
    name = _first(raw, "organisation_name")
    if profile.organisation is not None:
        if profile.category == RespondentCategory.CITIZEN:
            profile.errors["organisation_id"] = _l(
                "You respond as a citizen: choose “No organisation of mine”, or respond "
                "for the organisation.")
        name = profile.organisation.name
    if profile.category and profile.category != RespondentCategory.CITIZEN:
        if not name:
            profile.errors["organisation_name"] = _l("Enter the name of your organisation.")
        elif len(name) > ORGANISATION_MAX:
            profile.errors["organisation_name"] = _l(
                "The name has %(n)s characters; at most %(max)s are allowed.",
                n=len(name), max=ORGANISATION_MAX)
        profile.organisation_name = name or None
    age_band = _first(raw, "age_band")
    if age_band and age_band not in AGE_BANDS:
        raise FormTampered()
    profile.age_band = age_band or None
    province = _first(raw, "province")
    if province and province not in PROVINCES:
        raise FormTampered()
    profile.province = province or None
    consent = _first(raw, "consent")
    if consent:
        try:
            profile.consent = PublicationConsent(consent)
        except ValueError as exc:
            raise FormTampered() from exc
    else:
        profile.errors["consent"] = _l("Choose whether we may publish your response.")
    profile.age_confirmed = _first(raw, "age_confirmed") in ("y", "on", "1", "true")
    if not profile.age_confirmed:
        profile.errors["age_confirmed"] = _l(
            "You can respond from the age of 16. Confirm that you are 16 or older.")
    if ask_email:
        email = _first(raw, "email")
        if email and (len(email) > EMAIL_MAX or "@" not in email or " " in email
                      or email.startswith("@") or email.endswith("@")):
            profile.errors["email"] = _l("Enter an email address like name@example.nl, "
                                         "or leave it empty.")
        profile.email = email or None
    return profile


def profile_is_complete(response: Response) -> bool:
    return (
        response.category is not None
        and response.consent is not None
        and response.age_confirmed
        and (response.category == RespondentCategory.CITIZEN or bool(response.organisation_name))
    )


def apply_profile(response: Response, profile: Profile) -> None:
    response.category = profile.category
    citizen = profile.category == RespondentCategory.CITIZEN
    response.organisation_name = None if citizen else profile.organisation_name
    response.organisation = None if citizen else profile.organisation
    response.age_band = profile.age_band
    response.province = profile.province
    response.consent = profile.consent
    response.age_confirmed = profile.age_confirmed
    if profile.email is not None or response.user_id is None:
        response.email = profile.email
