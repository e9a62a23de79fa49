"""Domain rules. Functions add and flush, never commit, and never touch the request."""

from __future__ import annotations


class DomainError(Exception):
    """A rule said no. `message` is a lazily translated text fit to show the person."""

    def __init__(self, message: object, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
