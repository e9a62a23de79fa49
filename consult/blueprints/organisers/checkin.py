"""Organisers at the door: the attendance list, checking people in by code (typed or
from a scanned QR image), and each registration's QR image."""

from __future__ import annotations

from flask import Response, abort, render_template, request

from ...services.events import checkin, queries
from ...services.events.codes import format_code
from ..access import current_actor
from ..events.helpers import qr_response
from ..outcome import commit_or_show
from .blueprint import bp, event_or_404
from .forms import CheckinForm


@bp.get("/events/<int:event_id>/attendance")
def attendance(event_id: int) -> str:
    found = event_or_404(event_id)
    rows = [r for r in queries.registrations(found) if r.holds_seats]
    rows.sort(key=lambda r: (r.name.lower() or r.email))
    return render_template("organisers/attendance.html", event=found, registrations=rows,
                           format_code=format_code)


@bp.route("/events/<int:event_id>/checkin", methods=["GET", "POST"])
def checkin_page(event_id: int) -> tuple[str, int]:
    found = event_or_404(event_id)
    form = CheckinForm()
    result = None
    if request.method == "GET" and request.args.get("code"):
        form.code.data = request.args["code"][:20]  # from a scanned QR: confirm with a tap
    if form.validate_on_submit():
        with commit_or_show(form) as outcome:
            result = checkin.check_in(found, form.code.data or "", current_actor())
        if outcome.ok:
            form = CheckinForm(formdata=None)
    checked = sum(1 for r in queries.registrations(found) if r.checked_in_at is not None)
    return render_template("organisers/checkin.html", event=found, form=form, result=result,
                           checked=checked, format_code=format_code), (
        400 if form.errors else 200
    )


@bp.get("/events/<int:event_id>/registrations/<int:registration_id>/qr.<kind>")
def registration_qr(event_id: int, registration_id: int, kind: str) -> Response:
    found = event_or_404(event_id)
    registration = queries.registration_of(found, registration_id)
    if registration is None:
        abort(404)
    return qr_response(registration, kind)
