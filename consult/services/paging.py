"""One page of a list that can grow: its rows, the total, and where it sits among the pages.

Every paged list (the officials' response browser, the moderation queue, the published
responses, an event's registrations, the audit log and the accounts) reads its rows
through `paginate`: one count and one page of rows, whatever the number of rows. A page
beyond the last shows the last page (its links lead back from there), never an error.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select

from consult.extensions import db

T = TypeVar("T")

#: The page sizes a person can choose; anything else is the default.
PAGE_SIZES = (25, 50, 100)
DEFAULT_PER_PAGE = 50

#: How many page numbers the links show on each side of the current page.
AROUND = 2


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of `total` rows, `per_page` a page; `page` counts from 1."""

    items: Sequence[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """The number of pages; an empty list still has its one (empty) page."""
        return max(1, -(-self.total // self.per_page))

    @property
    def first(self) -> int:
        """The number of the first row shown, counting from 1 (0 when none)."""
        return (self.page - 1) * self.per_page + 1 if self.items else 0

    @property
    def last(self) -> int:
        """The number of the last row shown (0 when none)."""
        return self.first + len(self.items) - 1 if self.items else 0

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    def numbers(self, around: int = AROUND) -> list[int | None]:
        """The page numbers to link: the first, the last and those around the current
        one; None where two or more numbers are left out (shown as an ellipsis)."""
        wanted = {1, self.pages, *range(self.page - around, self.page + around + 1)}
        shown = sorted(n for n in wanted if 1 <= n <= self.pages)
        result: list[int | None] = []
        previous = 0
        for number in shown:
            if number - previous == 2:
                result.append(previous + 1)
            elif number - previous > 2:
                result.append(None)
            result.append(number)
            previous = number
        return result

    def map(self, change: Callable[[Sequence[T]], Sequence[Any]]) -> Page[Any]:
        """The same page with its rows changed (for example, rows to groups)."""
        return Page(change(self.items), self.total, self.page, self.per_page)


def empty(per_page: int = DEFAULT_PER_PAGE) -> Page[Any]:
    """A page of a list that has no rows at all."""
    return Page([], 0, 1, per_page)


def clamp(page: int, per_page: int, total: int) -> int:
    """`page`, or the last page when it lies beyond it (and 1 for anything below 1)."""
    last = max(1, -(-total // per_page))
    return min(max(page, 1), last)


def paginate(query: Select[Any], page: int, per_page: int = DEFAULT_PER_PAGE,
             options: Sequence[Any] = (), beyond_last: str = "last") -> Page[Any]:
    """One page of the entities `query` selects (already ordered): two queries, a count
    and the rows (plus one per `options` loader, never one per row).

    A page beyond the last is the last page; with `beyond_last="empty"` (the API, whose
    clients stop at an empty page) it is that page, empty."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None)
                                                                .subquery())) or 0
    page = clamp(page, per_page, total) if beyond_last == "last" else max(page, 1)
    rows: Sequence[Any] = []
    if total > (page - 1) * per_page:
        rows = db.session.scalars(
            query.options(*options).offset((page - 1) * per_page).limit(per_page)
        ).all()
    return Page(list(rows), total, page, per_page)
