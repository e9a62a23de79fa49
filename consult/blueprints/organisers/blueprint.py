"""The organisers' blueprint object, its role check, and the event every page is about.

Every page needs the organiser role (checked once, before each request), except the
dietary notes, which answer for themselves: 404 for an unknown event and 403 for anyone
but its organisers, logged in or not. A page about one event also needs that the person
organises it (an admin may manage all), else 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from ...extensions import db
from ...models import Event, Role
from ...services.events import manage
from ..access import role_check
from ..outcome import commit_or_show
from .forms import ConfirmForm

bp = Blueprint("organisers", __name__, url_prefix="/organise")

#: Pages that make their own, stricter check instead of the role check.
OWN_CHECK = {"organisers.dietary_notes"}

_organiser_role = role_check(Role.ORGANISER)


@bp.before_request
def _organisers_only() -> Any:
    if request.endpoint in OWN_CHECK:
        return None
    return _organiser_role()


@bp.app_context_processor
def organiser_role() -> dict[str, object]:
    return {"organiser_role": Role.ORGANISER}


def event_or_404(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None or not manage.can_manage(current_user, event):
        abort(404)
    return event


def act(event_id: int, action: Callable[[Event], object], done: str,
        back: str = "organisers.event") -> BaseResponse:
    """Run one service call for a button; flash its result; back to the page."""
    found = event_or_404(event_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    with commit_or_show() as outcome:
        action(found)
    if outcome.ok:
        flash(done, "success")
    return redirect(url_for(back, event_id=event_id))
