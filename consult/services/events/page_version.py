"""Raise `Event.version` when a part of an event that lives in its own table changes.

An event's public page shows its products, eligibility items and approval, and the
registration form its information sheet. A worker may keep the page rendered, keyed by
the event row's values (see blueprints/anonymous_pages.py); a change to one of these
rows raises the event's version in the same flush, so that key changes too. A listener
on every session's flush does it, so no service can forget.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from ...models import EligibilityItem, Event, InfoSheet, TastingApproval, TastingProduct

_PARTS = (TastingProduct, EligibilityItem, TastingApproval, InfoSheet)


def _raise_versions(session: Session, _context: Any, _instances: Any) -> None:
    parts = [o for o in (*session.new, *session.dirty, *session.deleted)
             if isinstance(o, _PARTS)]
    if not parts:
        return
    touched: dict[int, Event] = {}
    with session.no_autoflush:
        for part in parts:
            if part in session.dirty and not session.is_modified(part,
                                                                 include_collections=False):
                continue
            owner = part.event
            if owner is None and part.event_id is not None:
                owner = session.get(Event, part.event_id)
            if owner is not None and owner not in session.new:
                touched[id(owner)] = owner
    for owner in touched.values():
        owner.version = (owner.version or 1) + 1


event.listen(Session, "before_flush", _raise_versions)
