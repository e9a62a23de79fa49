"""Form fields whose "could not read this" message is our own, translated text."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from wtforms import DateField, DateTimeLocalField, IntegerField

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class _Friendly:
    """Replace WTForms' parse error with `invalid_message`."""

    invalid_message: object = ""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)  # type: ignore[misc]
        except ValueError as error:
            raise ValueError(self.invalid_message) from error


class FriendlyDateField(_Friendly, DateField):
    def __init__(self, *args: Any, invalid_message: object = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message


class FriendlyIntegerField(_Friendly, IntegerField):
    def __init__(self, *args: Any, invalid_message: object = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message


class LocalDateTimeField(_Friendly, DateTimeLocalField):
    """A date and time typed in Europe/Amsterdam; `utc` gives it as aware UTC."""

    def __init__(self, *args: Any, invalid_message: object = "", **kwargs: Any) -> None:
        kwargs.setdefault("format", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"])
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message

    @property
    def utc(self) -> datetime | None:
        if self.data is None:
            return None
        return self.data.replace(tzinfo=AMSTERDAM).astimezone(UTC)

    def set_utc(self, value: datetime | None) -> None:
        self.data = value.astimezone(AMSTERDAM).replace(tzinfo=None) if value else None
