"""The one paging helper: a Page's counts and links, `paginate` on the database, and the
?page= / ?per_page= arguments as a person (or a tamperer) sends them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from consult.blueprints.paging import kept_args, page_arg, page_url, size_arg
from consult.extensions import db
from consult.models import AuditEntry, utcnow
from consult.services import audit
from consult.services.paging import DEFAULT_PER_PAGE, Page, clamp, paginate


def test_a_middle_page_knows_its_rows_and_neighbours() -> None:
    page = Page(items=list(range(50)), total=3002, page=2, per_page=50)
    assert (page.first, page.last, page.pages) == (51, 100, 61)
    assert page.has_prev and page.has_next
    assert page.numbers() == [1, 2, 3, 4, None, 61]


def test_the_last_page_is_short_and_has_no_next() -> None:
    page = Page(items=list(range(2)), total=3002, page=61, per_page=50)
    assert (page.first, page.last) == (3001, 3002)
    assert page.has_prev and not page.has_next
    assert page.numbers() == [1, None, 59, 60, 61]


def test_an_empty_list_is_one_empty_page_without_links() -> None:
    page: Page[int] = Page(items=[], total=0, page=1, per_page=50)
    assert (page.first, page.last, page.pages) == (0, 0, 1)
    assert not page.has_prev and not page.has_next
    assert page.numbers() == [1]


def test_numbers_leave_no_gap_of_one_page_unexplained() -> None:
    assert Page([0], 250, 4, 50).numbers() == [1, 2, 3, 4, 5]
    assert Page([0], 400, 5, 50).numbers() == [1, 2, 3, 4, 5, 6, 7, 8]
    assert Page([0], 500, 5, 50).numbers() == [1, 2, 3, 4, 5, 6, 7, None, 10]


@pytest.mark.parametrize(("asked", "total", "shown"), [
    (0, 120, 1), (-4, 120, 1), (3, 120, 3), (4, 120, 3), (10**9, 120, 3), (7, 0, 1),
])
def test_clamp_keeps_a_page_between_the_first_and_the_last(
    asked: int, total: int, shown: int
) -> None:
    assert clamp(asked, 50, total) == shown


@pytest.fixture
def entries(db_app: Flask) -> None:
    """120 audit entries, on each database in turn."""
    start = utcnow()
    for n in range(120):
        audit.record(None, "test.step", n=n).at = start + timedelta(seconds=n)
    db.session.commit()


def _log() -> object:
    return select(AuditEntry).order_by(AuditEntry.at, AuditEntry.id)


def test_paginate_reads_one_page_and_the_total(entries: None) -> None:
    page = paginate(_log(), 3, 50)  # type: ignore[arg-type]
    assert (page.total, page.page, page.first, page.last) == (120, 3, 101, 120)
    assert [e.detail["n"] for e in page.items] == list(range(100, 120))


def test_a_page_beyond_the_last_is_the_last_page(entries: None) -> None:
    page = paginate(_log(), 99, 50)  # type: ignore[arg-type]
    assert page.page == 3 and len(page.items) == 20 and page.has_prev


def test_the_api_asks_for_an_empty_page_beyond_the_last(entries: None) -> None:
    page = paginate(_log(), 99, 50, beyond_last="empty")  # type: ignore[arg-type]
    assert page.page == 99 and page.items == [] and page.total == 120


def test_paginate_of_nothing_is_an_empty_first_page(db_app: Flask) -> None:
    page = paginate(_log(), 5, 25)  # type: ignore[arg-type]
    assert (page.total, page.page, list(page.items)) == (0, 1, [])


@pytest.mark.parametrize(("query", "size"), [
    ("per_page=25", 25), ("per_page=100", 100), ("per_page=50", 50),
    ("per_page=1000000", DEFAULT_PER_PAGE), ("per_page=0", DEFAULT_PER_PAGE),
    ("per_page=-25", DEFAULT_PER_PAGE), ("per_page=25.0", DEFAULT_PER_PAGE),
    ("per_page=abc", DEFAULT_PER_PAGE), ("per_page=%D9%A2%D9%A5", DEFAULT_PER_PAGE),
    ("per_page=7", DEFAULT_PER_PAGE), ("", DEFAULT_PER_PAGE),
])
def test_a_page_size_other_than_the_offered_ones_is_the_default(
    app: Flask, query: str, size: int
) -> None:
    with app.test_request_context("/list?" + query):
        assert size_arg() == size


@pytest.mark.parametrize(("query", "number"), [
    ("page=3", 3), ("page=0", 1), ("page=-2", 1), ("page=x", 1), ("page=" + "9" * 40, 1),
])
def test_a_page_that_is_not_a_page_number_is_the_first(
    app: Flask, query: str, number: int
) -> None:
    with app.test_request_context("/list?" + query):
        assert page_arg() == number


def test_page_links_keep_the_filters_and_the_size_but_not_the_language(app: Flask) -> None:
    with app.test_request_context(
        "/list?category=company&page=3&lang=en&per_page=25&option=4&option=5&q="
    ):
        assert page_url(4) == "/list?category=company&per_page=25&option=4&option=5&q=&page=4"
        assert page_url(2, "spage") == (
            "/list?category=company&page=3&per_page=25&option=4&option=5&q=&spage=2")
        assert kept_args() == [("category", "company"), ("option", "4"), ("option", "5")]
