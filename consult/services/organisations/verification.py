"""Verifying declared organisations: the officials' queue, their decisions, and the hook
for a login route that vouches for an organisation.

Every decision is in the audit log (who, when, which decision and why). A decision can
be taken again: an organisation verified by mistake can be rejected later, and its name
then disappears from every public place at once (they all ask `Response.public_name`).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from consult.extensions import db
from consult.models import Organisation, User, VerificationStatus, utcnow
from consult.services import DomainError, audit, paging
from consult.services.paging import Page

REASON_MAX = 500
ROUTE_MAX = 80


def queue(status: VerificationStatus | None, page: int = 1,
          per_page: int = paging.DEFAULT_PER_PAGE) -> Page[Organisation]:
    """Organisations with `status` (every one when None), waiting ones first, oldest
    request first."""
    query = select(Organisation)
    if status is not None:
        query = query.where(Organisation.status == status)
    waiting_first = case((Organisation.status == VerificationStatus.PENDING, 0), else_=1)
    return paging.paginate(
        query.order_by(waiting_first, Organisation.requested_at, Organisation.id),
        page, per_page)


def waiting_count() -> int:
    """How many declared organisations wait for an official's decision."""
    return db.session.scalar(select(func.count()).select_from(Organisation).where(
        Organisation.status == VerificationStatus.PENDING)) or 0


def _decide(official: User, organisation: Organisation, status: VerificationStatus,
            reason: str, action: str) -> None:
    reason = reason.strip()
    if len(reason) > REASON_MAX:
        raise DomainError(_l("Use at most %(max)d characters.", max=REASON_MAX), "reason")
    organisation.status = status
    organisation.decided_by_id = official.id
    organisation.decided_at = utcnow()
    organisation.decision_reason = reason or None
    organisation.verified_route = None
    db.session.flush()
    audit.record(official, action, organisation, reason=reason or None)


def verify(official: User, organisation: Organisation, reason: str = "") -> None:
    """The official checked the evidence: the name is published from now on."""
    _decide(official, organisation, VerificationStatus.VERIFIED, reason,
            "organisation.verified")


def reject(official: User, organisation: Organisation, reason: str) -> None:
    """The evidence does not hold: the name stays unpublished. A reason is required."""
    if not reason.strip():
        raise DomainError(_l("Say why the organisation is not verified."), "reason")
    _decide(official, organisation, VerificationStatus.REJECTED, reason,
            "organisation.rejected")


def mark_verified_by_route(organisation: Organisation, route: str) -> None:
    """Verify `organisation` because its user signed in through a route that vouches
    for it, such as eHerkenning through an OpenID Connect provider marked as such.

    The hook for the login code: call it with the organisation the route identified
    and a short name of the route (the provider's configured name, at most 80
    characters). It needs no official, is audited with the route (actor: nobody), and
    leaves an organisation an official rejected alone: a route does not overrule a
    person's decision.
    """
    route = route.strip()
    if not route or len(route) > ROUTE_MAX:
        raise ValueError("a route is named in 1 to 80 characters")
    if organisation.status == VerificationStatus.REJECTED:
        return
    organisation.status = VerificationStatus.VERIFIED
    organisation.decided_by_id = None
    organisation.decided_at = utcnow()
    organisation.decision_reason = None
    organisation.verified_route = route
    db.session.flush()
    audit.record(None, "organisation.verified_by_route", organisation, route=route)
