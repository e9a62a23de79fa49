"""Form fields whose "could not read this" message is our own, translated text."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from wtforms import DateField, DateTimeLocalField, Form, IntegerField, ValidationError

from ...timezone import NONEXISTENT_MESSAGE, local_time_exists, to_local, to_utc


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
    """A date and time typed in Europe/Amsterdam; `utc` gives it as aware UTC.

    A time in the hour skipped in spring is refused (the rule of consult.timezone).
    """

    def __init__(self, *args: Any, invalid_message: object = "", **kwargs: Any) -> None:
        kwargs.setdefault("format", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"])
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message

    def pre_validate(self, form: Form) -> None:
        if self.data is not None and not local_time_exists(self.data):
            raise ValidationError(str(NONEXISTENT_MESSAGE))

    @property
    def utc(self) -> datetime | None:
        return to_utc(self.data) if self.data is not None else None

    def set_utc(self, value: datetime | None) -> None:
        self.data = to_local(value) if value else None
