"""Organisers' pages under /organise/: events, their organisers, registrations.

The tasting pages are in `tasting`, attendance and check-in in `checkin`; the role check
and the event lookup every page uses are in `blueprint`.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse
from wtforms import SelectChoice

from ...i18n import select_locale
from ...models import (
    DEFAULT_OFFER_HOURS,
    Event,
    EventKind,
    Registration,
    RegistrationMode,
    utcnow,
)
from ...services import catalogue
from ...services.events import checkin, exports, manage, queries, survey_links, waitlist
from ...services.events.manage import EventData
from ..access import current_actor
from ..confirmation import confirmation_page, refused
from ..events.survey_links import survey_choices
from ..follow.notify import start_notices
from ..outcome import commit_or_show, show_error, unreadable_fields
from ..paging import page_arg, place_args, size_arg
from . import checkin as checkin_pages  # noqa: F401 - registers its routes on bp
from . import confirmations
from . import tasting as tasting_pages  # noqa: F401 - registers its routes on bp
from .blueprint import act, bp, event_or_404
from .forms import ConfirmForm, EventForm, OrganiserForm

__all__ = ["bp"]


def _topic_choices(form: EventForm) -> None:
    locale = select_locale()
    form.topic_id.choices = [SelectChoice("", _("Choose a topic"))] + [
        SelectChoice(str(t.id), t.name(locale)) for t in catalogue.topics()
    ]


def _event_data(form: EventForm) -> EventData:
    """The form's values; a field it could not read gets a stand-in that no rule reads
    (`event_problems` is told which fields those are)."""
    topic = form.topic_id.data or ""
    return EventData(
        kind=EventKind(form.kind.data) if form.kind.data in EventKind._value2member_map_
        else EventKind.WORKSHOP,
        topic_id=int(topic) if str(topic).isdigit() and len(str(topic)) < 12 else -1,
        title_nl=form.title_nl.data or "",
        title_en=form.title_en.data or "",
        description_nl=form.description_nl.data or "",
        description_en=form.description_en.data or "",
        starts_at=form.starts_at.utc,  # type: ignore[arg-type]
        ends_at=form.ends_at.utc,  # type: ignore[arg-type]
        capacity=form.capacity.data or 0,
        venue=form.venue.data or "",
        online_link=form.online_link.data or "",
        registration_opens_at=form.registration_opens_at.utc,
        registration_closes_at=form.registration_closes_at.utc,
        registration_mode=RegistrationMode(form.registration_mode.data)
        if form.registration_mode.data in RegistrationMode._value2member_map_
        else RegistrationMode.FCFS,
        allow_guests=bool(form.allow_guests.data),
        max_guests=form.max_guests.data or 0,
        reminder_hours=form.reminder_hours.data or 0,
        offer_hours=form.offer_hours.data or DEFAULT_OFFER_HOURS,
        dietary_purge_days=form.dietary_purge_days.data or 0,
        min_age=form.min_age.data or 0,
        before_consultation_id=survey_links.parse_choice(form.before_consultation_id.data),
        after_consultation_id=survey_links.parse_choice(form.after_consultation_id.data),
    )


def _valid(form: EventForm, event: Event | None) -> bool:
    """The form's shape is right. When it is not, the event's rules still judge the
    fields the form could read, so every mistake is shown at once, not one per try."""
    if form.validate_on_submit():
        return True
    if form.is_submitted():
        for problem in manage.event_problems(_event_data(form), event,
                                             unreadable_fields(form)):
            show_error(form, problem)
    return False


@bp.get("/")
def index() -> str:
    return render_template("organisers/index.html",
                           events=queries.managed_by(current_actor()))


@bp.route("/events/new", methods=["GET", "POST"])
def new_event() -> BaseResponse | tuple[str, int]:
    form = EventForm()
    _topic_choices(form)
    survey_choices(form, None)
    if _valid(form, None):
        with commit_or_show(form) as outcome:
            event = manage.create_event(current_actor(), _event_data(form))
        if outcome.ok:
            flash(_("The event is saved as a draft."), "success")
            return redirect(url_for("organisers.event", event_id=event.id))
    return render_template("organisers/event_form.html", form=form, event=None), (
        400 if form.is_submitted() else 200
    )


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
def edit_event(event_id: int) -> BaseResponse | tuple[str, int]:
    event = event_or_404(event_id)
    form = EventForm(obj=None if request.method == "POST" else event)
    _topic_choices(form)
    survey_choices(form, event if request.method == "GET" else None)
    if request.method == "GET":
        form.kind.data = event.kind.value
        form.topic_id.data = str(event.topic_id)
        form.registration_mode.data = event.registration_mode.value
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            getattr(form, name).set_utc(getattr(event, name))
    if _valid(form, event):
        with commit_or_show(form) as outcome:
            manage.update_event(current_actor(), event, _event_data(form))
        if outcome.ok:
            flash(_("The event is saved."), "success")
            return redirect(url_for("organisers.event", event_id=event.id))
        event = event_or_404(event_id)
    return render_template("organisers/event_form.html", form=form, event=event), (
        400 if form.is_submitted() else 200
    )


@bp.get("/events/<int:event_id>")
def event(event_id: int) -> str:
    found = event_or_404(event_id)
    return _event_page(found, OrganiserForm())


def _event_page(found: Event, organiser_form: OrganiserForm) -> str:
    return render_template("organisers/event.html", event=found, form=ConfirmForm(),
                           organiser_form=organiser_form,
                           event_ended=found.ends_at <= utcnow(),
                           can_read_dietary=manage.can_read_dietary_notes(current_actor(), found))


@bp.post("/events/<int:event_id>/publish")
def publish(event_id: int) -> BaseResponse:
    response = act(event_id, lambda e: manage.publish(current_actor(), e),
                   _("The event is published."))
    start_notices()  # the job mails only what is due: nothing when publishing failed
    return response


@bp.route("/events/<int:event_id>/complete", methods=["GET", "POST"])
def complete(event_id: int) -> BaseResponse | tuple[str, int]:
    """The confirmation page, then the act; refused before the event has ended."""
    found = event_or_404(event_id)
    refusal = manage.completion_refusal(found)
    if refusal is not None:
        flash(str(refusal.message), "error")
        return redirect(url_for("organisers.event", event_id=event_id))
    page = confirmations.complete(found)
    if request.method == "GET":
        return confirmation_page(page)
    return refused(page.action) or act(
        event_id, lambda e: manage.complete(current_actor(), e),
        _("The event is marked as completed."))


@bp.route("/events/<int:event_id>/cancel", methods=["GET", "POST"])
def cancel(event_id: int) -> BaseResponse | tuple[str, int]:
    page = confirmations.cancel(event_or_404(event_id))
    if request.method == "GET":
        return confirmation_page(page)
    return refused(page.action) or act(
        event_id, lambda e: manage.cancel_event(current_actor(), e),
        _("The event is cancelled. Everyone registered has been mailed."))


@bp.post("/events/<int:event_id>/organisers")
def add_organiser(event_id: int) -> BaseResponse | tuple[str, int]:
    found = event_or_404(event_id)
    form = OrganiserForm()
    if form.validate_on_submit():
        with commit_or_show(form) as outcome:
            manage.add_organiser(current_actor(), found, form.email.data or "")
        if outcome.ok:
            flash(_("The organiser is added."), "success")
            return redirect(url_for("organisers.event", event_id=event_id))
    found = event_or_404(event_id)
    return _event_page(found, form), 400


# --- Registrations ----------------------------------------------------------------------


@bp.get("/events/<int:event_id>/registrations")
def registrations(event_id: int) -> str:
    found = event_or_404(event_id)
    page = queries.registrations_page(found, page_arg(), size_arg())
    return render_template("organisers/registrations.html", event=found, page=page,
                           registrations=page.items,
                           waiting=waitlist.waiting_page(found, page_arg("waiting_page")),
                           form=ConfirmForm())


def _registration_action(event_id: int, registration_id: int, action: str) -> BaseResponse:
    found = event_or_404(event_id)
    registration = queries.registration_of(found, registration_id)
    if registration is None:
        abort(404)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    user = current_actor()
    calls: dict[str, tuple[Callable[[Registration], object], str]] = {
        "approve": (lambda r: waitlist.approve(user, r), _("The registration is approved.")),
        "reject": (lambda r: waitlist.reject(user, r), _("The registration is rejected.")),
        "promote": (lambda r: waitlist.promote(user, r),
                    _("The person is promoted from the waiting list.")),
        "attended": (lambda r: checkin.mark_attendance(r, True, user),
                     _("Marked as attended.")),
        "no-show": (lambda r: checkin.mark_attendance(r, False, user),
                    _("Marked as not come.")),
    }
    if action not in calls:
        abort(404)
    call, done = calls[action]
    with commit_or_show() as outcome:
        call(registration)
    if outcome.ok:
        flash(done, "success")
    return redirect(url_for("organisers.registrations", event_id=event_id, **place_args()))


@bp.post("/events/<int:event_id>/registrations/<int:registration_id>/<action>")
def registration_action(event_id: int, registration_id: int, action: str) -> BaseResponse:
    return _registration_action(event_id, registration_id, action)


@bp.get("/events/<int:event_id>/registrations.csv")
def registrations_csv(event_id: int) -> Response:
    found = event_or_404(event_id)
    return Response(
        exports.registrations_csv(found), mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="event-{found.id}-registrations.csv"',
            "Cache-Control": "private, no-store",
        },
    )


