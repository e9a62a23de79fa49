"""Security headers on every response, the safe-redirect rule, the hidden CSRF field."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, request, session
from markupsafe import Markup
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if _is_private():
        headers["Cache-Control"] = "no-store"
    return response


def _is_private() -> bool:
    """No browser or proxy may keep this response: it went to a logged-in person (or to
    one whose session claims a login), or it is an account page (log in, register, reset,
    settings). Static files are the same for everybody and stay cacheable."""
    if request.endpoint == "static":
        return False
    return request.blueprint == "accounts" or "_user_id" in session


def is_safe_redirect(target: str | None) -> bool:
    """True only for a path on this site: one leading "/", then no second "/" or "\\",
    no backslash or control character anywhere, and no scheme or host once split.

    Joining the target to the host's URL is not enough: `urljoin("https://site/",
    "https:/evil.example")` is a path on the site, but Werkzeug's `redirect()` sends it as
    `https:///evil.example`, which browsers open as `https://evil.example/`.
    """
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return False
    if "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


#: The largest id a URL may carry: a signed 32-bit integer, PostgreSQL's `integer`.
MAX_URL_INT = 2**31 - 1


class BoundedIntegerConverter(IntegerConverter):
    """`<int:...>` in every route: at most MAX_URL_INT, so /x/99999999999999999999 is a 404
    (an id beyond the database's integer range would raise an overflow, a 500)."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:  # noqa: A002
        kwargs.setdefault("max", MAX_URL_INT)
        super().__init__(map, *args, **kwargs)


def refuse_nul_bytes() -> None:
    """A NUL byte in the path, a query parameter or a form field is a 400.

    Nobody types one, and PostgreSQL refuses it in text (a DataError, so a 500 in any
    query or insert that carried it); refusing it here covers every view at once.
    """
    fields = [request.path]
    for multidict in (request.args, request.form):
        for key, value in multidict.items(multi=True):
            fields.extend((key, value))
    if any("\x00" in field for field in fields):
        abort(400)


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, take the client's address, scheme and host
    from the X-Forwarded-For, -Proto and -Host headers those proxies add (only the last
    N values: anything before was written by the client and is ignored).

    The per-address rate limits key on that address; with no trusted proxy the headers
    are ignored, so a client cannot dodge a limit by inventing an X-Forwarded-For.
    """
    count = int(app.config["TRUSTED_PROXIES"])
    if count > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=count, x_proto=count, x_host=count
        )


def csrf_field() -> Markup:
    """A form's hidden CSRF field, without an id: a page may hold several forms, and ids
    must be unique (WTForms' own field renders id="csrf_token" in each). Nothing when
    CSRF protection is off (tests)."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return Markup("")
    from flask_wtf.csrf import generate_csrf

    return Markup('<input name="csrf_token" type="hidden" value="{}">').format(generate_csrf())


def init_app(app: Flask) -> None:
    """The proxies trusted; headers on every response; bounded integers in URLs (before
    blueprints add routes); no NUL bytes in what a request carries."""
    trust_proxies(app)
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.before_request(refuse_nul_bytes)
    app.after_request(add_security_headers)
    app.add_template_global(csrf_field)
