"""What the organisers' confirmation pages say: cancelling an event and marking it as
completed (see blueprints/confirmation.py)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from ...i18n import select_locale
from ...models import Event
from ..confirmation import Confirmation


def cancel(event: Event) -> Confirmation:
    return Confirmation(
        heading=_("Cancel the event?"),
        subject=event.title(select_locale()),
        consequences=[
            _("Everyone who is registered, offered a seat, waiting for approval or on "
              "the waiting list gets an email that the event is cancelled, with a "
              "calendar update."),
            _("Their registrations are cancelled; open seat offers end, and the dietary "
              "notes given for this event are deleted."),
            _("The public page of the event says that it is cancelled."),
            _("The event cannot be published again."),
        ],
        confirm_label=_("Cancel the event"),
        action=url_for("organisers.cancel", event_id=event.id),
        back=url_for("organisers.event", event_id=event.id))


def complete(event: Event) -> Confirmation:
    return Confirmation(
        heading=_("Mark the event as completed?"),
        subject=event.title(select_locale()),
        consequences=[
            _("The event is recorded as held: nobody can register or join the waiting "
              "list any more."),
            _("The public page of the event says that it has taken place."),
            _("The event cannot be cancelled or published again."),
        ],
        confirm_label=_("Mark as completed"),
        action=url_for("organisers.complete", event_id=event.id),
        back=url_for("organisers.event", event_id=event.id), danger=False)
