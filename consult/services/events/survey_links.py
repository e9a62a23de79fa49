"""Questionnaires before and after a tasting (issue 4).

A tasting can link a consultation to answer before it and one (or the same) after it.
The rules:

- only a tasting links consultations (the analysis calls them "before and after the
  tasting"); any other kind must keep both on "none";
- only consultations that are not drafts can be chosen (a draft is not public, so its
  link would lead nowhere); an id that is not one of them (a forged form) is refused at
  its field, and nothing is stored;
- the answers are tied to the participant by their **registration**: the links a
  registrant is shown (personal page, mails) carry a signed token of their registration
  and the round ("before" or "after"), not a guessable id. Following one keeps the
  registration and round with the browser's answers to that consultation; the response
  it starts records both (`Response.registration_id`, `Response.survey_round`). The
  analysis (`services.insights.tasting_shift`) pairs the two rounds of one registration,
  and of an account registered for the tasting, whether or not the person has an
  account, by default only for those checked in at the door;
- a forged, damaged or expired link, or one for another consultation, gets a clear page
  (`SurveyLinkProblem`), never an error; the links on the personal page are always fresh;
- choosing the same consultation before and after is allowed: a person then answers it
  twice, once per round (one response per account per consultation *and round*);
- a person who already answered the consultation in the ordinary way keeps that one
  response when they follow the "before" link, or any link when the two questionnaires
  are different consultations: it takes the round and registration (`adopts`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from consult.services.accounts.tokens import TokenExpired, TokenInvalid, make_token, read_token

from ...extensions import db
from ...models import (
    NO_ROUND,
    ROUND_AFTER,
    ROUND_BEFORE,
    SURVEY_ROUNDS,
    Audience,
    Consultation,
    Event,
    EventKind,
    Registration,
    RegistrationStatus,
)
from .. import DomainError

#: The token's purpose (its salt): a token made for anything else does not read as one.
PURPOSE = "tasting-survey"
LINK_EXPIRED = _l("This questionnaire link has expired. Open your registration page (the "
                  "link in your confirmation mail) for a new one.")
LINK_INVALID = _l("This questionnaire link is not valid. It may have been copied "
                  "incompletely. Open your registration page for the right link.")
LINK_ELSEWHERE = _l("This questionnaire link belongs to another questionnaire or is no "
                    "longer linked to the tasting.")
LINK_CANCELLED = _l("This registration was cancelled, so its questionnaire link no longer "
                    "works. You can still answer the consultation in the ordinary way.")

NOT_IN_LIST = _l("Choose a consultation from the list, or “none”.")
ONLY_TASTINGS = _l("Only a tasting links questionnaires before and after. Choose “none”.")


def linkable_consultations() -> list[Consultation]:
    """The consultations an organiser may link: every one that is not a draft."""
    return list(
        db.session.scalars(
            select(Consultation)
            .where(Consultation.is_public)
            .order_by(Consultation.created_at.desc(), Consultation.id.desc())
        )
    )


def parse_choice(raw: object) -> int | None:
    """The form's value as an id: "" means none; anything not a number becomes -1."""
    text = str(raw or "").strip()
    if not text:
        return None
    return int(text) if text.isdigit() and len(text) < 12 else -1


def link_problems(kind: EventKind, before_id: int | None, after_id: int | None,
                  unknown: frozenset[str] = frozenset()) -> list[DomainError]:
    """A DomainError at each link field that breaks the rules above (fields in `unknown`,
    and the kind's rule when the kind is unknown, are not judged)."""
    problems = []
    for field, value in (("before_consultation_id", before_id),
                         ("after_consultation_id", after_id)):
        if value is None or field in unknown:
            continue
        consultation = db.session.get(Consultation, value) if value > 0 else None
        if consultation is None or not consultation.is_public:
            problems.append(DomainError(NOT_IN_LIST, field))
        elif kind != EventKind.TASTING and "kind" not in unknown:
            problems.append(DomainError(ONLY_TASTINGS, field))
    return problems


@dataclass(frozen=True)
class SurveyLink:
    """One questionnaire to show: `moment` is "before", "after" or "both"."""

    moment: str
    consultation: Consultation

    @property
    def needs_account(self) -> bool:
        return self.consultation.audience == Audience.ACCOUNT


def links_for(event: Event) -> list[SurveyLink]:
    """The questionnaires of a tasting, in order; one "both" when they are the same."""
    if not event.is_tasting:
        return []
    before = event.before_consultation
    after = event.after_consultation
    before = before if before is not None and before.is_public else None
    after = after if after is not None and after.is_public else None
    if before is not None and after is not None and before.id == after.id:
        return [SurveyLink("both", before)]
    links = []
    if before is not None:
        links.append(SurveyLink("before", before))
    if after is not None:
        links.append(SurveyLink("after", after))
    return links


# --- personal links: the registration and the round, signed ---------------------------------

class SurveyLinkProblem(DomainError):
    """A questionnaire link that cannot be used; `message` says why, in plain words."""


@dataclass(frozen=True)
class SurveyRound:
    """The round a response belongs to, and the registration it came through.

    `adopts`: may an ordinary response (no round) of the same person become this round?
    Yes for "before", and for either round when the questionnaires are two consultations;
    no for "after" of one consultation answered twice (that is the "before" answer).
    """

    registration_id: int | None = None
    name: str = NO_ROUND
    adopts: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"reg": self.registration_id, "round": self.name, "adopts": self.adopts}

    @classmethod
    def from_dict(cls, data: object) -> SurveyRound | None:
        if not isinstance(data, dict) or data.get("round") not in SURVEY_ROUNDS:
            return None
        reg = data.get("reg")
        return cls(reg if isinstance(reg, int) else None, str(data["round"]),
                   bool(data.get("adopts")))


@dataclass(frozen=True)
class PersonalLink:
    """A questionnaire link for one registrant: `moment` is "before", "after" or "again"
    (the same consultation, after the tasting)."""

    moment: str
    consultation: Consultation
    token: str

    @property
    def needs_account(self) -> bool:
        return self.consultation.audience == Audience.ACCOUNT


def link_token(registration: Registration, round_name: str) -> str:
    return make_token(PURPOSE, {"reg": registration.id, "round": round_name})


#: Registrations whose links no longer work.
ENDED = (RegistrationStatus.CANCELLED, RegistrationStatus.REJECTED)


def personal_links(event: Event, registration: Registration | None) -> list[PersonalLink]:
    """The tasting's questionnaires with this registrant's signed links, in order."""
    if registration is None or registration.status in ENDED:
        return []
    out = []
    for link in links_for(event):
        if link.moment in ("before", "both"):
            out.append(PersonalLink("before", link.consultation,
                                    link_token(registration, ROUND_BEFORE)))
        if link.moment in ("after", "both"):
            out.append(PersonalLink("again" if link.moment == "both" else "after",
                                    link.consultation, link_token(registration, ROUND_AFTER)))
    return out


def read_link(consultation: Consultation, token: str) -> SurveyRound:
    """The round a personal link stands for, or a `SurveyLinkProblem` saying why not."""
    max_age = int(current_app.config["SURVEY_LINK_DAYS"]) * 24 * 3600
    try:
        data = read_token(PURPOSE, token[:500], max_age=max_age)
    except TokenExpired as error:
        raise SurveyLinkProblem(LINK_EXPIRED) from error
    except TokenInvalid as error:
        raise SurveyLinkProblem(LINK_INVALID) from error
    reg_id, round_name = data.get("reg"), data.get("round")
    if not isinstance(reg_id, int) or round_name not in SURVEY_ROUNDS:
        raise SurveyLinkProblem(LINK_INVALID)
    registration = db.session.get(Registration, reg_id)
    if registration is None:
        raise SurveyLinkProblem(LINK_ELSEWHERE)
    if registration.status in ENDED:
        raise SurveyLinkProblem(LINK_CANCELLED)
    event = registration.event
    linked = (event.before_consultation_id if round_name == ROUND_BEFORE
              else event.after_consultation_id)
    if not event.is_tasting or linked != consultation.id:
        raise SurveyLinkProblem(LINK_ELSEWHERE)
    same = event.before_consultation_id == event.after_consultation_id
    return SurveyRound(registration.id, str(round_name),
                       adopts=round_name == ROUND_BEFORE or not same)
