"""The `?page=` argument of every paged list, read one way with one limit."""

from __future__ import annotations

from flask import request

from ..security import MAX_URL_INT


def page_arg(name: str = "page") -> int:
    """The page asked for, counting from 1. Anything else (not a number, 0, negative or
    above MAX_URL_INT, the limit of the ids in URLs) is page 1, never an error page."""
    value = request.args.get(name, "")
    if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_URL_INT:
        return int(value)
    return 1
