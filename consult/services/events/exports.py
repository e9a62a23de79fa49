"""The organisers' CSV of an event's registrations: who, status, guests, check-in.

One row per registration (the order of `queries.registrations`), written by
consult.csv_files, so a name or address typed like a formula is shown as text. Headers
and statuses are in the organiser's language.
"""

from __future__ import annotations

from flask_babel import gettext as _

from ...csv_files import csv_text
from ...models import Event
from . import queries
from .codes import format_code
from .labels import REGISTRATION_STATUS_LABELS


def registrations_csv(event: Event) -> str:
    """The whole file, starting with a byte order mark."""
    header = [_("Name"), _("Email address"), _("Status"), _("Guests"), _("Check-in code"),
              _("Registered at"), _("Checked in at")]
    rows = [
        [r.name, r.email, str(REGISTRATION_STATUS_LABELS[r.status]), r.guests,
         format_code(r.checkin_code), r.created_at.isoformat(),
         r.checked_in_at.isoformat() if r.checked_in_at else ""]
        for r in queries.registrations(event)
    ]
    return csv_text(header, rows)
