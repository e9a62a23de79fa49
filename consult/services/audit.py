"""Recording acts in the audit log."""

from __future__ import annotations

from typing import Any

from ..extensions import db
from ..models import AuditEntry, User


def record(
    actor: User | None,
    action: str,
    obj: Any | None = None,
    **detail: Any,
) -> AuditEntry:
    """Log that `actor` did `action` to `obj` (a model instance), with a few details.

    Werkzeug proxies (such as `current_user`) are unwrapped, so the log names the real
    object's type rather than "localproxy".
    """
    if obj is not None and hasattr(obj, "_get_current_object"):
        obj = obj._get_current_object()
    entry = AuditEntry(
        actor_id=actor.id if actor is not None and getattr(actor, "id", None) else None,
        action=action,
        object_type=type(obj).__name__.lower() if obj is not None else "",
        object_id=getattr(obj, "id", None),
        detail={k: v for k, v in detail.items() if v is not None},
    )
    db.session.add(entry)
    db.session.flush()
    return entry
