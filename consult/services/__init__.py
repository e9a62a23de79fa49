"""Domain rules. Functions add and flush, never commit, and never touch the request."""

from __future__ import annotations


class DomainError(Exception):
    """A rule said no. `message` is a lazily translated text fit to show the person."""

    def __init__(self, message: object, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class DomainErrors(DomainError):
    """Several rules said no at once; `errors` holds each, so a form shows all of them
    (each at its own field) instead of one per try."""

    def __init__(self, errors: list[DomainError]) -> None:
        super().__init__(errors[0].message, errors[0].field)
        self.errors = errors


def raise_all(problems: list[DomainError]) -> None:
    """Raise the problems found, if any: one as itself, several together."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise DomainErrors(problems)
