"""Small helpers shared by the events' and organisers' views."""

from __future__ import annotations

from flask import Response, abort, url_for
from flask_babel import gettext as _

from ...extensions import db
from ...models import Event, Registration
from ...services.events.codes import format_code
from ...services.events.qr import qr_image
from ...services.events.queries import PUBLIC_STATUSES


def public_event_or_404(event_id: int) -> Event:
    """An event the public may see: published, completed or cancelled."""
    event = db.session.get(Event, event_id)
    if event is None or event.status not in PUBLIC_STATUSES:
        abort(404)
    return event


def qr_response(registration: Registration, kind: str) -> Response:
    """The registration's QR image: it encodes the organisers' check-in link and code."""
    if kind not in ("svg", "png"):
        abort(404)
    code = format_code(registration.checkin_code)
    target = url_for("organisers.checkin_page", event_id=registration.event_id, code=code,
                     _external=True)
    image = qr_image(target, kind, title=_("Check-in code %(code)s", code=code))
    response = Response(image, mimetype="image/svg+xml" if kind == "svg" else "image/png")
    response.headers["Cache-Control"] = "private, no-store"
    return response
