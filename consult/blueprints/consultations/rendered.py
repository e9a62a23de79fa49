"""The consultation page as anonymous visitors see it, rendered once per worker.

Most visitors of a consultation page are anonymous and see exactly the same HTML: it
depends only on the consultation's content (`ConsultationPage.key`, which carries its
version), the language, the status (the clock moves it) and the count of published
responses. For them the rendered page is kept (at most `MAX_PAGES` per process) and
served again while those four are unchanged.

Anyone else gets a fresh rendering: a logged-in person (their menu, the logout form's
CSRF token), a visitor with a response of their own or a message waiting to be shown,
and any request with a query string (`?lang=` changes the session and the links).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from flask import request, session
from flask_login import current_user

MAX_PAGES = 128

_pages: OrderedDict[tuple[object, ...], str] = OrderedDict()
_lock = threading.Lock()


def shareable() -> bool:
    """True when this request sees the page every anonymous visitor sees."""
    return (not current_user.is_authenticated and not request.args
            and "_flashes" not in session)


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


def clear() -> None:
    with _lock:
        _pages.clear()
