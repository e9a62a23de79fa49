"""Local time and UTC: the one place for Europe/Amsterdam and the conversion between them.

People type and read Dutch local time; the database keeps aware UTC. The rule for the
two days a year the clocks move:
- spring: a local time in the skipped hour (02:00-03:00) does not exist and is refused
  (`NonexistentLocalTime`, with `NONEXISTENT_MESSAGE` for the person who typed it);
- autumn: a local time in the repeated hour is taken as its first occurrence.

Infrastructure: any layer may import it (like consult.i18n).
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

#: The zone every local time in the application is in.
LOCAL_ZONE = ZoneInfo("Europe/Amsterdam")

NONEXISTENT_MESSAGE = _l("This time does not exist in the Netherlands (the clocks "
                         "move forward then). Choose another time.")


class NonexistentLocalTime(ValueError):
    """A local time in the hour skipped when the clocks move forward."""


def local_time_exists(local: datetime) -> bool:
    """False for a naive local time in the spring-forward gap."""
    aware = local.replace(tzinfo=LOCAL_ZONE, fold=0)
    return aware.astimezone(UTC).astimezone(LOCAL_ZONE).replace(tzinfo=None) == local


def to_utc(local: datetime) -> datetime:
    """A naive local time as aware UTC; raises NonexistentLocalTime in the spring gap."""
    if not local_time_exists(local):
        raise NonexistentLocalTime(local.isoformat())
    return local.replace(tzinfo=LOCAL_ZONE, fold=0).astimezone(UTC)


def to_local(value: datetime) -> datetime:
    """An aware time as naive local time (what a datetime-local form field shows)."""
    return value.astimezone(LOCAL_ZONE).replace(tzinfo=None)
