"""Error pages: 400 (including a failed CSRF check), 403, 404, 405, 413, 429 and 500."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

PAGES = {400, 403, 404, 405, 413, 429, 500}


def render_error(status: int, csrf: bool = False) -> tuple[str, int]:
    template = f"errors/{status if status in PAGES else 'generic'}.html"
    return render_template(template, status=status, csrf=csrf), status


def handle_http_error(error: HTTPException) -> tuple[str, int]:
    if request.path.startswith("/api/"):
        from flask import jsonify

        return jsonify(error=error.name, status=error.code), error.code or 500  # type: ignore[return-value]
    return render_error(error.code or 500)


def handle_csrf_error(_error: CSRFError) -> tuple[str, int]:
    return render_error(400, csrf=True)


def handle_unexpected(error: Exception) -> tuple[str, int]:
    if isinstance(error, HTTPException):
        return handle_http_error(error)
    log.exception("unhandled error on %s %s", request.method, request.path)
    return handle_http_error(InternalServerError())


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
