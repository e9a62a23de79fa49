"""Security headers on every response, and the safe-redirect rule."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from flask import Flask, Response, request

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
    return response


def is_safe_redirect(target: str | None) -> bool:
    """True for a path on this site; False for other hosts, schemes and tricks like //x."""
    if not target:
        return False
    if target.startswith(("//", "\\")) or "\\" in target or any(ord(c) < 32 for c in target):
        return False
    host = urlsplit(request.host_url)
    joined = urlsplit(urljoin(request.host_url, target))
    return joined.scheme in {"http", "https"} and joined.netloc == host.netloc


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
