"""Consultations in the privacy registry: download, delete-my-account, and purging drafts.

Whose responses: a response belongs to the person when its `user_id` is the account's, or
when its email address (given on the profile page) is the account's address, compared
without case. The account's owner has proven that address, so both are "held about the
person".

**Download** (`export_responses`): every such response with its consultation, status,
times, profile fields, consent, every answer (with the question and the chosen options'
labels), every statement vote and the statements the person proposed.

**Delete my account** (`erase_responses`), decided as follows:

- A response that is not *published* (a draft, a withdrawn one, spam, or one whose consent
  is "do not publish" or missing) is deleted with its answers and votes. The consent said
  it would never be shown, so nothing published depends on it. Officials' internal
  counts and the next analysis run therefore drop it; a stored analysis snapshot may
  keep its random reference (`public_id`), which names no one.
- A submitted response the person let be published (with name or anonymously) is kept,
  so the published results, report and open-data API stay right, but everything that
  ties it to the person goes: `user_id` (so before/after pairing of a tasting drops it
  too), the email address and the private edit link (`edit_token_hash`; nobody can change
  the response any more).
- The organisation's name: for a **citizen** it is cleared and "publish with name" becomes
  "publish anonymously", because a name given by a citizen can only name a person. For an
  organisation (civil society, knowledge institution, company, government) the name stays:
  it names the organisation, not the person who typed it, and the organisation's published
  position should not vanish when one employee deletes their account. Likewise an
  organisation the person declared stays, with its link to them (`requested_by_id`)
  cut; "download my data" lists those declarations under `declared_organisations`.
- Age band and province stay: they are coarse, and the published breakdowns count them.
- Open-text answers stay as moderated; a name someone typed into their own text cannot be
  found automatically. Moderators can hide such a text on request.

**Purge** (`purge_drafts`): drafts never submitted and untouched for
`DRAFT_RESPONSE_DAYS` (default 30, env CONSULT_DRAFT_RESPONSE_DAYS) are deleted. Running
it again at the same time removes nothing more.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import selectinload

from consult.extensions import db
from consult.models import (
    Organisation,
    PublicationConsent,
    RespondentCategory,
    Response,
    ResponseStatus,
    Statement,
    User,
)
from consult.services import audit, privacy
from consult.services.privacy import iso


def responses_of(user: User) -> list[Response]:
    """The person's responses: by account, or by the account's email address."""
    conditions = [Response.user_id == user.id]
    if user.email:
        conditions.append(func.lower(Response.email) == user.email.lower())
    return list(
        db.session.scalars(
            select(Response)
            .where(or_(*conditions))
            .options(selectinload(Response.answers), selectinload(Response.votes))
            .order_by(Response.started_at, Response.id)
        )
    )


def kept_anonymised(response: Response) -> bool:
    """Is this response kept (anonymised) when its author deletes their account?"""
    return response.is_published


# --- Download my data -------------------------------------------------------------------


def _answer(answer: Any) -> dict[str, Any]:
    question = answer.question
    labels = {o.id: (o.label_nl, o.label_en) for o in question.options}
    chosen = []
    if isinstance(answer.value, list):
        chosen = [
            {"nl": labels[int(v)][0], "en": labels[int(v)][1]}
            for v in answer.value
            if isinstance(v, int | str) and str(v).isdigit() and int(v) in labels
        ]
    return {
        "question": {"position": question.position, "kind": question.kind.value,
                     "text_nl": question.text_nl, "text_en": question.text_en},
        "value": answer.value,
        "number": answer.number,
        "text": answer.text,
        "options_chosen": chosen,
        "moderation": answer.moderation.value if answer.moderation else None,
    }


def _response(response: Response) -> dict[str, Any]:
    consultation = response.consultation
    proposed = db.session.scalars(
        select(Statement).where(Statement.proposed_by_response_id == response.id)
        .order_by(Statement.id)
    )
    return {
        "reference": response.public_id,
        "consultation": {"slug": consultation.slug, "title_nl": consultation.title_nl,
                         "title_en": consultation.title_en},
        "status": response.status.value,
        "started_at": iso(response.started_at),
        "updated_at": iso(response.updated_at),
        "submitted_at": iso(response.submitted_at),
        "withdrawn_at": iso(response.withdrawn_at),
        "linked_to_account": response.user_id is not None,
        "email": response.email,
        "locale": response.locale,
        "profile": {
            "category": response.category.value if response.category else None,
            "organisation_name": response.organisation_name,
            "age_band": response.age_band,
            "province": response.province,
            "age_confirmed": response.age_confirmed,
        },
        "consent": response.consent.value if response.consent else None,
        "answers": [_answer(a) for a in sorted(response.answers,
                                               key=lambda a: a.question.position)],
        "statement_votes": [
            {"statement_nl": v.statement.text_nl, "statement_en": v.statement.text_en,
             "vote": v.vote}
            for v in sorted(response.votes, key=lambda v: v.statement_id)
        ],
        "proposed_statements": [
            {"text": s.text_nl, "status": s.status.value, "created_at": iso(s.created_at)}
            for s in proposed
        ],
    }


def _declared(organisation: Organisation) -> dict[str, Any]:
    return {"name": organisation.name, "type": organisation.kind.value,
            "kvk_number": organisation.kvk_number, "register_id": organisation.register_id,
            "website": organisation.website,
            "declared_interest": organisation.declared_interest,
            "verification": organisation.status.value,
            "requested_at": iso(organisation.requested_at),
            "decided_at": iso(organisation.decided_at)}


def export_responses(user: User) -> dict[str, Any]:
    """Everything the consultations hold about the person (see the module docstring),
    and the organisations they declared to respond for."""
    declared = db.session.scalars(select(Organisation).where(
        Organisation.requested_by_id == user.id).order_by(Organisation.id))
    return {"responses": [_response(r) for r in responses_of(user)],
            "declared_organisations": [_declared(o) for o in declared]}


# --- Delete my account ------------------------------------------------------------------


def anonymise(response: Response) -> None:
    """Cut every tie between a published response and its author (the rule above)."""
    response.user_id = None
    response.email = None
    response.edit_token_hash = None
    if response.category in (None, RespondentCategory.CITIZEN):
        response.organisation_name = None
        if response.consent == PublicationConsent.PUBLISH_WITH_NAME:
            response.consent = PublicationConsent.PUBLISH_ANONYMOUSLY


def erase_responses(user: User) -> None:
    """Delete the unpublished responses, anonymise the published ones."""
    deleted = anonymised = 0
    for response in responses_of(user):
        if kept_anonymised(response):
            anonymise(response)
            anonymised += 1
        else:
            db.session.delete(response)
            deleted += 1
    # A declared organisation stays (it names the organisation, not the person), without
    # the person who declared it.
    db.session.execute(update(Organisation).where(Organisation.requested_by_id == user.id)
                       .values(requested_by_id=None))
    db.session.flush()
    if deleted or anonymised:
        audit.record(None, "responses.erased", user, deleted=deleted, anonymised=anonymised)


# --- Purging drafts ---------------------------------------------------------------------


def purge_drafts(now: datetime) -> int:
    """Delete drafts untouched for DRAFT_RESPONSE_DAYS; returns how many went."""
    days = int(current_app.config.get("DRAFT_RESPONSE_DAYS", 30))
    cutoff = now - timedelta(days=days)
    stale = list(
        db.session.scalars(
            select(Response).where(
                Response.status == ResponseStatus.DRAFT, Response.updated_at < cutoff
            )
        )
    )
    for response in stale:
        db.session.delete(response)
    db.session.flush()
    if stale:
        audit.record(None, "responses.drafts_purged", None, count=len(stale))
    return len(stale)


#: The consultations area of the privacy registry (registered by `create_app`).
AREA = privacy.Area(
    "consultations", exporter=export_responses, eraser=erase_responses, purge=purge_drafts
)
