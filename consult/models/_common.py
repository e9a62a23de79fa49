"""What the model modules share: enum columns, bilingual fields and version bumps.

- `enum_column`: an enum stored as its values in a VARCHAR (no native database enum, so
  adding a member needs no migration of a type).
- `Bilingual`: a Dutch and an English column per text; `_pick` gives the one for the
  locale, or the other language when that one is empty.
- `raise_version_on_change`: before every flush, raise the `version` of each owner row
  whose parts change (so a page cached by that version is replaced); a listener on
  every session, so no service can forget.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

from sqlalchemy import Enum, event
from sqlalchemy.orm import Session


def enum_column(kind: type[enum.Enum], length: int = 24) -> Enum:
    """The column type for an enum, stored as its members' values."""
    return Enum(kind, native_enum=False, length=length,
                values_callable=lambda e: [m.value for m in e])


class Bilingual:
    """A mixin for rows with `<name>_nl` and `<name>_en` columns."""

    def _pick(self, name: str, locale: str) -> str:
        value_en = getattr(self, f"{name}_en")
        value_nl = getattr(self, f"{name}_nl")
        if locale == "en":
            return str(value_en or value_nl or "")
        return str(value_nl or value_en or "")

    def shown_language(self, name: str, locale: str) -> str:
        """The language of the text `_pick` gives for `locale`: the other language when
        the text was not given in this one (its fallback), else `locale`."""
        own, other = ("en", "nl") if locale == "en" else ("nl", "en")
        if not getattr(self, f"{name}_{own}") and getattr(self, f"{name}_{other}"):
            return other
        return locale


def raise_version_on_change(watched: tuple[type, ...],
                            owner_of: Callable[[Session, Any], Any | None]) -> None:
    """Raise `owner.version` in the flush that adds, changes or deletes a watched row.

    `owner_of(session, row)` gives the row whose version counts (None: no owner, or a
    change that does not count). A row changed only in its collections is skipped (the
    rows added to or removed from them are seen themselves); a new owner keeps version 1.
    """

    def _raise_versions(session: Session, _context: Any, _instances: Any) -> None:
        changed = [o for o in (*session.new, *session.dirty, *session.deleted)
                   if isinstance(o, watched)]
        if not changed:
            return
        touched: dict[int, Any] = {}
        with session.no_autoflush:
            for row in changed:
                if row in session.dirty and not session.is_modified(
                        row, include_collections=False):
                    continue
                owner = owner_of(session, row)
                if owner is not None and owner not in session.new:
                    touched[id(owner)] = owner
        for owner in touched.values():
            owner.version = (owner.version or 1) + 1

    event.listen(Session, "before_flush", _raise_versions)
