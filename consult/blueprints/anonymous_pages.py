"""Public pages as anonymous visitors see them, rendered once per worker.

Most visitors of a consultation or event page are anonymous and see exactly the same
HTML: it depends only on what the page shows (a key the view builds: the consultation's
version, or the event's rows as loaded), the language, and the state the clock or
other people change (status, counts, seats). For them the rendered page is kept (at
most `MAX_PAGES` per process) and served again while the key is unchanged.

Anyone else gets a fresh rendering: a logged-in person (their menu, the logout form's
CSRF token), a visitor with something of their own or a message waiting to be shown,
and any request with a query string (`?lang=` changes the session and the links).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from flask import request, session
from flask_login import current_user
from sqlalchemy import inspect

MAX_PAGES = 128

_pages: OrderedDict[tuple[object, ...], str] = OrderedDict()
_lock = threading.Lock()


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
    with _lock:
        html = _pages.get(key)
        if html is not None:
            _pages.move_to_end(key)
        return html


def rendered(key: tuple[object, ...], render: Callable[[], str]) -> str:
    with _lock:
        html = _pages.get(key)
        if html is not None:
            _pages.move_to_end(key)
            return html
    html = render()
    with _lock:
        _pages[key] = html
        while len(_pages) > MAX_PAGES:
            _pages.popitem(last=False)
    return html


#: Where a kept page has a form's CSRF token: each request puts its own token there
#: (the token belongs to the visitor's session, so one visitor's cannot be kept).
CSRF_MARKER = "@@csrf-token-of-this-request@@"


def with_csrf(html: str) -> str:
    """The kept page with this request's CSRF token in its forms."""
    if CSRF_MARKER not in html:
        return html
    from flask_wtf.csrf import generate_csrf

    return html.replace(CSRF_MARKER, generate_csrf())


def clear() -> None:
    with _lock:
        _pages.clear()
