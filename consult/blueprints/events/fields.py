"""Form fields whose "could not read this" message is our own, translated text."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from wtforms import DateField, DateTimeLocalField, Field, Form, IntegerField, ValidationError
from wtforms.utils import unset_value
from wtforms.validators import NumberRange

from ...i18n import local_number
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


class DayMonthYearField(Field):
    """A date typed as day, month and year in three boxes (the GOV.UK and NL Design
    System pattern for dates people know, such as a date of birth): no date picker whose
    order of day and month depends on the browser's own language.

    The boxes post as `<name>-day`, `<name>-month` and `<name>-year`; one ISO value
    under `<name>` (2026-05-14) is read too, for clients that send the date whole.
    `parts` keeps what was typed, so a page with an error shows it again.
    """

    PARTS = ("day", "month", "year")

    def __init__(self, *args: Any, invalid_message: object = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message
        self.parts = self._parts(None)

    def process(self, formdata: Any, data: Any = unset_value,
                extra_filters: Any = None) -> None:
        self.process_errors = []
        self.data = None if data is unset_value else data
        if formdata:
            typed = {part: (formdata.get(f"{self.name}-{part}") or "").strip()
                     for part in self.PARTS}
            whole = (formdata.get(self.name) or "").strip()
            self.raw_data = [value for value in (*typed.values(), whole) if value]
            if any(typed.values()):
                self.data = self._date(typed)
            else:
                self.data = self._iso_date(whole)
                typed = self._parts(self.data)
            if self.raw_data and self.data is None:
                self.process_errors.append(str(self.invalid_message))
            self.parts = typed  # what was typed is shown again, valid or not
        elif isinstance(self.data, date):
            self.parts = self._parts(self.data)

    @classmethod
    def _parts(cls, value: date | None) -> dict[str, str]:
        if value is None:
            return {part: "" for part in cls.PARTS}
        return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}

    @staticmethod
    def _iso_date(whole: str) -> date | None:
        try:
            return date.fromisoformat(whole) if whole else None
        except ValueError:
            return None

    @staticmethod
    def _date(typed: dict[str, str]) -> date | None:
        if not all(value.isascii() and value.isdigit() for value in typed.values()):
            return None
        day, month, year = (int(typed[part]) for part in DayMonthYearField.PARTS)
        if year < 1000:
            return None
        try:
            return date(year, month, day)
        except ValueError:
            return None


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
        """None when empty, or when the time was refused (it has its message then)."""
        if self.data is None or not local_time_exists(self.data):
            return None
        return to_utc(self.data)

    def set_utc(self, value: datetime | None) -> None:
        self.data = to_local(value) if value else None


class LocalNumberRange(NumberRange):
    """NumberRange whose message writes its limits in the page's locale: "van 1 tot
    100.000" on a Dutch page, "from 1 to 100,000" on an English one (not "100000").
    Give it a message with %(min)s and %(max)s."""

    def __call__(self, form: Form, field: Field) -> None:
        try:
            super().__call__(form, field)
        except ValidationError:
            raise ValidationError(str(self.message) % {"min": local_number(self.min),
                                                       "max": local_number(self.max)}) from None
