"""Column types shared by the models."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database.

    PostgreSQL keeps `timestamptz`; SQLite has no time zones, so the value is stored as
    naive UTC and given its zone back on the way out. A naive value going in is refused:
    every time in the code is aware.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class OtherValue(str):
    """A value of an open enum column that is not a member of its enum class.

    It has `.value` like a member, so code and templates that read `kind.value` work
    for it too."""

    __slots__ = ()

    @property
    def value(self) -> str:
        return str.__str__(self)


class OpenEnum(TypeDecorator[enum.Enum | OtherValue]):
    """A string-valued enum stored as VARCHAR, open to values added at run time.

    Reading gives the enum member when the stored text is one of its values and an
    `OtherValue` otherwise; writing stores the text of a member or of any string.

    Why: question kinds can be added by registering a class in
    `services.consultations.kinds` (a test registers a toy kind). The registry is in the
    services layer, which the models may not import, so the column cannot check a value
    against it; the service that saves a question does (it only takes registered kinds).
    The column was a non-native `Enum` of the same length without a CHECK constraint,
    so the database schema is the same VARCHAR and no migration is needed.
    """

    impl = String
    cache_ok = True

    def __init__(self, enum_class: type[enum.Enum], length: int = 24) -> None:
        super().__init__(length)
        self.length = length
        self.enum_class = enum_class
        self._members = {str(m.value): m for m in enum_class}

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        text = str(value.value if isinstance(value, enum.Enum) else value)
        if len(text) > self.length:
            raise ValueError(f"value too long for {self.enum_class.__name__}: {text!r}")
        return text

    def process_result_value(self, value: Any, dialect: Dialect) -> enum.Enum | OtherValue | None:
        if value is None:
            return None
        return self._members.get(value) or OtherValue(value)
