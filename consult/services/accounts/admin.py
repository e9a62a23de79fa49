"""Administration: reading the audit log, finding accounts, changing roles.

Role changes are audit-logged with the old and new role (never an email address), and
an administrator cannot change their own role: a site must not lose its last admin by
a slip, and nobody raises or lowers themself.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import AuditEntry, Role, User
from consult.services import DomainError, audit, paging
from consult.services.paging import Page


def _like(text: str) -> str:
    """A LIKE pattern for "contains `text`", with the wildcards in it taken literally."""
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def audit_actions() -> list[str]:
    """The actions that occur in the log, for the filter."""
    query = select(AuditEntry.action).distinct().order_by(AuditEntry.action)
    return list(db.session.scalars(query))


def audit_page(page: int, action: str = "", actor_email: str = "",
               per_page: int = paging.DEFAULT_PER_PAGE) -> Page[AuditEntry]:
    """One page of audit entries, newest first; by action, and by actors' addresses."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if action:
        query = query.where(AuditEntry.action == action)
    if actor_email.strip():
        actors = select(User.id).where(
            func.lower(User.email).like(_like(actor_email), escape="\\")
        )
        query = query.where(AuditEntry.actor_id.in_(actors))
    return paging.paginate(query, page, per_page)


def actor_emails(entries: list[AuditEntry]) -> dict[int, str]:
    """The email address of each actor of `entries`, by user id."""
    ids = {entry.actor_id for entry in entries if entry.actor_id is not None}
    if not ids:
        return {}
    rows = db.session.execute(select(User.id, User.email).where(User.id.in_(ids)))
    return {user_id: email for user_id, email in rows}


def users_page(page: int, email: str = "",
               per_page: int = paging.DEFAULT_PER_PAGE) -> Page[User]:
    """One page of accounts, by email address, optionally those containing `email`."""
    query = select(User).order_by(User.email)
    if email.strip():
        query = query.where(func.lower(User.email).like(_like(email), escape="\\"))
    return paging.paginate(query, page, per_page)


def change_role(admin: User, user: User, role: Role) -> bool:
    """Give `user` the role `role`; True when it changed. Audit-logged."""
    if user.id == admin.id:
        raise DomainError(_l("You cannot change your own role."), "role")
    if user.role == role:
        return False
    old = user.role
    user.role = role
    audit.record(admin, "user.role_changed", user, old=old.value, new=role.value)
    return True
