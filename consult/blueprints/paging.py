"""The `?page=` and `?per_page=` arguments of every paged list, read one way with one
limit, and the links of the one pager macro (templates/macros/paging.html)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Flask, request

from consult.services.paging import DEFAULT_PER_PAGE, PAGE_SIZES

from ..security import MAX_URL_INT

#: Query arguments that are not a list's filters: the pages, the size and the language.
NOT_FILTERS = frozenset({"page", "spage", "per_page", "lang"})


def page_arg(name: str = "page") -> int:
    """The page asked for, counting from 1. Anything else (not a number, 0, negative or
    above MAX_URL_INT, the limit of the ids in URLs) is page 1, never an error page."""
    value = request.args.get(name, "")
    if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_URL_INT:
        return int(value)
    return 1


def size_arg(name: str = "per_page") -> int:
    """The page size asked for when it is one of PAGE_SIZES; anything else is the
    default size, never an error page (and never a page of a million rows)."""
    value = request.args.get(name, "")
    if value.isascii() and value.isdigit() and int(value) in PAGE_SIZES:
        return int(value)
    return DEFAULT_PER_PAGE


def kept_args(*also_dropped: str) -> list[tuple[str, str]]:
    """The list's filters in the query string, as (name, value) pairs, to keep them in
    every link and form of the pager."""
    dropped = NOT_FILTERS | set(also_dropped)
    return [(name, value) for name, values in request.args.lists() if name not in dropped
            for value in values if value]


def page_url(number: int, name: str = "page") -> str:
    """This list's address at page `number`, with its filters, size and other pages."""
    kept = [(k, v) for k, v in request.args.items(multi=True) if k not in {name, "lang"}]
    return request.path + "?" + urlencode([*kept, (name, str(number))])


#: The query arguments that say where a person is in a list, carried through an action
#: on one of its rows so that the redirect comes back to the same page.
PLACE = ("status", "page", "spage", "per_page")


def place_args() -> dict[str, Any]:
    """Where the person is in the list (its view, page and size), for an action's form
    address and the redirect after it. Only these names: nothing else from the query
    string reaches url_for."""
    return {name: request.args[name] for name in PLACE if request.args.get(name)}


def init_app(app: Flask) -> None:
    app.add_template_global(page_url, "page_url")
    app.add_template_global(kept_args, "kept_args")
    app.add_template_global(place_args, "place_args")
    app.jinja_env.globals["page_sizes"] = PAGE_SIZES
