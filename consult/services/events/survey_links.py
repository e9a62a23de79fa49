"""Questionnaires before and after a tasting (issue 4).

A tasting can link a consultation to answer before it and one (or the same) after it.
The rules:

- only a tasting links consultations (the analysis calls them "before and after the
  tasting"); any other kind must keep both on "none";
- only consultations that are not drafts can be chosen (a draft is not public, so its
  link would lead nowhere); an id that is not one of them (a forged form) is refused at
  its field, and nothing is stored;
- the answers are tied to the participant by their **account**: the analysis
  (`services.insights.run.opinion_shift_between`) pairs a person's before and after
  response by `user_id`, and only for people registered for the tasting (by default only
  those checked in at the door). Someone who registered by email only, or answers without
  logging in, can answer (unless the consultation is for account holders only) but is not
  paired yet: pairing through the registration itself is not built (see issue 10). The
  pages and mails therefore ask people to answer both while logged in to the same
  account, and suggest creating one with the address they registered with;
- choosing the same consultation before and after is allowed, but as a person has one
  response per consultation no change can be measured then; the analysis shows a shift
  only for two different consultations (a second, "after" round of the same consultation
  is not built yet).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...extensions import db
from ...models import Audience, Consultation, Event, EventKind
from .. import DomainError

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


def check_links(kind: EventKind, before_id: int | None, after_id: int | None) -> None:
    """Raise a DomainError at the field when a link breaks the rules above."""
    for field, value in (("before_consultation_id", before_id),
                         ("after_consultation_id", after_id)):
        if value is None:
            continue
        consultation = db.session.get(Consultation, value) if value > 0 else None
        if consultation is None or not consultation.is_public:
            raise DomainError(NOT_IN_LIST, field)
        if kind != EventKind.TASTING:
            raise DomainError(ONLY_TASTINGS, field)


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
