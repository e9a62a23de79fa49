"""Public pages as anonymous visitors see them, rendered once per worker.

Most visitors of a consultation or event page are anonymous and see exactly the same
HTML: it depends only on what the page shows (a key the view builds: the consultation's
version, or the event's rows as loaded), the language, and the state the clock or
other people change (status, counts, seats). For them the rendered page is kept (at
most `MAX_PAGES` per process) and served again while the key is unchanged.

Anyone else gets a fresh rendering: a logged-in person (their menu, the logout form's
CSRF token), a visitor with something of their own or a message waiting to be shown,
and any request with a query string (`?lang=` changes the session and the links).

A kept page holds no form token: a token belongs to the visitor's session, and making
one writes that session (a signed cookie on every answer). Where an anonymous visitor
would need a form, the kept page links to the form's own page instead (the consultation
page's follow box), so a warm anonymous request reads no session and sets no cookie.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import request, session
from flask_login import current_user
from sqlalchemy import inspect

from consult.services.kept import KeptCopies

MAX_PAGES = 128

_pages: KeptCopies[str] = KeptCopies(MAX_PAGES)


def shareable() -> bool:
    """True when this request sees the page every anonymous visitor sees."""
    return (not current_user.is_authenticated and not request.args
            and "_flashes" not in session)


def row_state(obj: object | None) -> tuple[object, ...]:
    """Every column value of a loaded row, for a key (all columns: none can be forgotten)."""
    if obj is None:
        return ()
    mapper = inspect(obj).mapper
    values = (getattr(obj, attr.key) for attr in mapper.column_attrs)
    return tuple(repr(v) if isinstance(v, (list, dict, set)) else v for v in values)


def kept(key: tuple[object, ...]) -> str | None:
    """The page kept under `key`, or None (nothing rendered)."""
    return _pages.get(key)


def rendered(key: tuple[object, ...], render: Callable[[], str]) -> str:
    return _pages.get_or_make(key, render)


def clear() -> None:
    _pages.clear()
