"""The privacy registry: what each area holds about a person, and how it goes away.

Every area of the site that stores personal data describes itself as an `Area` with up to
three functions:

- an **exporter** ``(user) -> dict``: everything the area holds about the person, as plain
  JSON-ready values (strings, numbers, ISO 8601 times, lists, dicts). "Download my data"
  (`export_user`) puts each area's dict under the area's name in one JSON file.
- an **eraser** ``(user) -> None``: removes (or anonymises) what the area holds about the
  person. "Delete my account" (`delete_account`, through `erase_user`) runs the erasers
  last-registered first, so areas that refer to the account are cleaned before the account
  itself goes (the account area is registered first and therefore erased last). Erasers
  add/flush/delete, never commit.
- a **purge step** ``(now) -> int``: deletes what has passed its retention period at the
  time ``now`` (aware UTC) and returns how many records went. `purge_expired`, run daily
  from cron by ``flask --app consult data purge-expired``, runs every step; a step must be
  idempotent, so running it twice in a row removes nothing the second time.

The areas are registered in one place, in order: `create_app` calls `register_areas` with
the account area (`ACCOUNT_AREA`, here), the events area (`services/events/retention.py`)
and the consultations area (`services/consultations/privacy.py`). A new area adds an
`Area` beside its own service code and one entry to that list. `register` adds or replaces
one area by name (tests use it to plug in an area of their own).

The audit log keeps its entries when an account is deleted, with the actor set to NULL:
the acts stay accountable, the person is no longer named. Audit details must therefore
never hold an email address or other personal data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from consult.services.accounts.oidc import links_of
from consult.services.accounts.passwords import verify_password

from ..extensions import db
from ..mail import send_mail
from ..models import AuditEntry, Role, User, utcnow
from . import DomainError, audit

Exporter = Callable[[User], dict[str, Any]]
Eraser = Callable[[User], None]
PurgeStep = Callable[[datetime], int]

#: The version of the export file's layout; raise it when its shape changes.
EXPORT_FORMAT = 1


@dataclass(frozen=True)
class Area:
    """One area's privacy functions; any of them may be None."""

    name: str
    exporter: Exporter | None = None
    eraser: Eraser | None = None
    purge: PurgeStep | None = None


_AREAS: dict[str, Area] = {}


def register(
    name: str,
    *,
    exporter: Exporter | None = None,
    eraser: Eraser | None = None,
    purge: PurgeStep | None = None,
) -> Area:
    """Register (or replace) an area's exporter, eraser and purge step."""
    area = Area(name, exporter, eraser, purge)
    _AREAS.pop(name, None)  # a replaced entry moves to the end, like a new one
    _AREAS[name] = area
    return area


def register_areas(ordered: Sequence[Area]) -> None:
    """Register the areas in this order (`create_app` does, for every app it builds).

    The registry belongs to the process, as the areas are code. Each area is registered
    again, at the end, so afterwards the registry ends with exactly these areas in this
    order, however often apps were created before: calling it again changes nothing.
    """
    for area in ordered:
        register(area.name, exporter=area.exporter, eraser=area.eraser, purge=area.purge)


def areas() -> list[Area]:
    """The registered areas, in the order they registered."""
    return list(_AREAS.values())


def iso(value: datetime | None) -> str | None:
    """A time for an export: ISO 8601 in UTC, or None."""
    return value.isoformat() if value is not None else None


# --- Download my data -------------------------------------------------------------------


def export_user(user: User) -> dict[str, Any]:
    """Everything held about `user`, one key per area; the export is audit-logged."""
    data: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "exported_at": iso(utcnow()),
        "areas": {},
    }
    for area in areas():
        if area.exporter is not None:
            data["areas"][area.name] = area.exporter(user)
    audit.record(user, "privacy.exported", user)
    return data


# --- Delete my account ------------------------------------------------------------------


def _admin_count() -> int:
    return db.session.scalar(select(func.count(User.id)).where(User.role == Role.ADMIN)) or 0


def erase_user(user: User) -> None:
    """Run every eraser for `user`, the most recently registered area first."""
    for area in reversed(areas()):
        if area.eraser is not None:
            area.eraser(user)
    db.session.flush()


def delete_account(user: User, password: str) -> None:
    """Delete the person's account and everything the areas hold, after a password check.

    The last administrator cannot delete their account (nobody could manage the site
    after). A confirmation goes to the old address, in the person's language.
    """
    if not verify_password(user.password_hash, password):
        raise DomainError(_l("Your password is not correct."), "password")
    if user.role == Role.ADMIN and _admin_count() <= 1:
        raise DomainError(
            _l("You are the only administrator. Make another account administrator first."),
            "password",
        )
    email, locale = user.email, user.locale or "nl"
    # Only the id is kept: after restoring an older backup the deletion can be redone.
    audit.record(None, "account.deleted", user)
    erase_user(user)
    send_mail(email, "account_deleted", locale)


# --- Purging what has expired -----------------------------------------------------------


def purge_expired(now: datetime | None = None) -> dict[str, int]:
    """Run every area's purge step at time `now`; how many records each removed."""
    moment = now or utcnow()
    return {area.name: area.purge(moment) for area in areas() if area.purge is not None}


# --- The account area (the foundation's own data) --------------------------------------


def export_account(user: User) -> dict[str, Any]:
    """The account itself and the audit entries of the person's own acts."""
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.actor_id == user.id).order_by(AuditEntry.at)
    )
    return {
        "email": user.email,
        "role": user.role.value,
        "display_name": user.display_name,
        "locale": user.locale,
        "created_at": iso(user.created_at),
        "confirmed_at": iso(user.confirmed_at),
        "login_providers": [
            {
                "provider": link.provider,
                "subject": link.subject,
                "verified_route": link.verified_route,
                "verified_at": iso(link.verified_at),
                "linked_at": iso(link.created_at),
                "last_login_at": iso(link.last_login_at),
            }
            for link in links_of(user)
        ],
        "audit_entries_as_actor": [
            {
                "at": iso(entry.at),
                "action": entry.action,
                "object_type": entry.object_type,
                "object_id": entry.object_id,
                "detail": entry.detail,
            }
            for entry in entries
        ],
    }


def erase_account(user: User) -> None:
    """Delete the account; audit entries of the person's acts stay, with no actor."""
    db.session.execute(
        update(AuditEntry).where(AuditEntry.actor_id == user.id).values(actor_id=None)
    )
    db.session.delete(user)


def purge_unconfirmed_accounts(now: datetime) -> int:
    """Delete accounts never confirmed within UNCONFIRMED_ACCOUNT_DAYS of registering."""
    cutoff = now - timedelta(days=int(current_app.config["UNCONFIRMED_ACCOUNT_DAYS"]))
    stale = list(
        db.session.scalars(
            select(User).where(User.confirmed_at.is_(None), User.created_at < cutoff)
        )
    )
    for user in stale:
        erase_user(user)
    return len(stale)


#: The account area: registered first, so erased last.
ACCOUNT_AREA = Area("account", exporter=export_account, eraser=erase_account,
                    purge=purge_unconfirmed_accounts)
