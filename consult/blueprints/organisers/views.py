"""Organisers' pages under /organise/: events, registrations, check-in, attendance.

Every page needs the organiser role; every page about one event also needs that the
person organises it (an admin may manage all), else 404. Dietary notes are shown only
to the event's own organisers (403 for anyone else).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from ...extensions import db
from ...models import (
    DEFAULT_OFFER_HOURS,
    ApprovalVerdict,
    Event,
    EventKind,
    Registration,
    RegistrationMode,
    Role,
)
from ...services import DomainError, catalogue
from ...services.events import checkin, exports, manage, queries, survey_links, waitlist
from ...services.events.codes import format_code
from ...services.events.manage import EventData
from ..access import role_required
from ..events.helpers import qr_response, show_domain_error
from ..events.survey_links import survey_choices
from .forms import (
    ApprovalForm,
    CheckinForm,
    ConfirmForm,
    EligibilityForm,
    EventForm,
    InfoSheetForm,
    OrganiserForm,
    ProductForm,
)

bp = Blueprint("organisers", __name__, url_prefix="/organise")


@bp.app_context_processor
def organiser_role() -> dict[str, object]:
    return {"organiser_role": Role.ORGANISER}


def _event_or_404(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None or not manage.can_manage(current_user, event):
        abort(404)
    return event


def _topic_choices(form: EventForm) -> None:
    from ...i18n import select_locale

    locale = select_locale()
    form.topic_id.choices = [("", _("Choose a topic"))] + [
        (str(t.id), t.name(locale)) for t in catalogue.topics()
    ]


def _event_data(form: EventForm) -> EventData:
    topic = form.topic_id.data or ""
    return EventData(
        kind=EventKind(form.kind.data),
        topic_id=int(topic) if str(topic).isdigit() else -1,
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
        registration_mode=RegistrationMode(form.registration_mode.data),
        allow_guests=bool(form.allow_guests.data),
        max_guests=form.max_guests.data or 0,
        reminder_hours=form.reminder_hours.data or 0,
        offer_hours=form.offer_hours.data or DEFAULT_OFFER_HOURS,
        dietary_purge_days=form.dietary_purge_days.data or 0,
        min_age=form.min_age.data or 0,
        before_consultation_id=survey_links.parse_choice(form.before_consultation_id.data),
        after_consultation_id=survey_links.parse_choice(form.after_consultation_id.data),
    )


@bp.get("/")
@role_required(Role.ORGANISER)
def index() -> str:
    return render_template("organisers/index.html",
                           events=queries.managed_by(current_user))  # type: ignore[arg-type]


@bp.route("/events/new", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def new_event() -> BaseResponse | tuple[str, int]:
    form = EventForm()
    _topic_choices(form)
    survey_choices(form, None)
    if form.validate_on_submit():
        try:
            event = manage.create_event(current_user, _event_data(form))  # type: ignore[arg-type]
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The event is saved as a draft."), "success")
            return redirect(url_for("organisers.event", event_id=event.id))
    return render_template("organisers/event_form.html", form=form, event=None), (
        400 if form.is_submitted() else 200
    )


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def edit_event(event_id: int) -> BaseResponse | tuple[str, int]:
    event = _event_or_404(event_id)
    form = EventForm(obj=None if request.method == "POST" else event)
    _topic_choices(form)
    survey_choices(form, event if request.method == "GET" else None)
    if request.method == "GET":
        form.kind.data = event.kind.value
        form.topic_id.data = str(event.topic_id)
        form.registration_mode.data = event.registration_mode.value
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            getattr(form, name).set_utc(getattr(event, name))
    if form.validate_on_submit():
        try:
            manage.update_event(current_user, event, _event_data(form))  # type: ignore[arg-type]
        except DomainError as error:
            show_domain_error(form, error)
            event = _event_or_404(event_id)
        else:
            db.session.commit()
            flash(_("The event is saved."), "success")
            return redirect(url_for("organisers.event", event_id=event.id))
    return render_template("organisers/event_form.html", form=form, event=event), (
        400 if form.is_submitted() else 200
    )


@bp.get("/events/<int:event_id>")
@role_required(Role.ORGANISER)
def event(event_id: int) -> str:
    found = _event_or_404(event_id)
    return render_template("organisers/event.html", event=found, form=ConfirmForm(),
                           organiser_form=OrganiserForm(),
                           can_read_dietary=manage.can_read_dietary_notes(current_user, found))


def _act(event_id: int, action: Callable[[Event], object], done: str,
         back: str = "organisers.event") -> BaseResponse:
    """Run one service call for a button; flash its result; back to the page."""
    found = _event_or_404(event_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        action(found)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(url_for(back, event_id=event_id))


@bp.post("/events/<int:event_id>/publish")
@role_required(Role.ORGANISER)
def publish(event_id: int) -> BaseResponse:
    return _act(event_id, lambda e: manage.publish(current_user, e),  # type: ignore[arg-type]
                _("The event is published."))


@bp.post("/events/<int:event_id>/complete")
@role_required(Role.ORGANISER)
def complete(event_id: int) -> BaseResponse:
    return _act(event_id, lambda e: manage.complete(current_user, e),  # type: ignore[arg-type]
                _("The event is marked as completed."))


@bp.post("/events/<int:event_id>/cancel")
@role_required(Role.ORGANISER)
def cancel(event_id: int) -> BaseResponse:
    return _act(event_id, lambda e: manage.cancel_event(current_user, e),  # type: ignore[arg-type]
                _("The event is cancelled. Everyone registered has been mailed."))


@bp.post("/events/<int:event_id>/organisers")
@role_required(Role.ORGANISER)
def add_organiser(event_id: int) -> BaseResponse | tuple[str, int]:
    found = _event_or_404(event_id)
    form = OrganiserForm()
    if form.validate_on_submit():
        try:
            manage.add_organiser(current_user, found, form.email.data or "")  # type: ignore[arg-type]
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The organiser is added."), "success")
            return redirect(url_for("organisers.event", event_id=event_id))
    found = _event_or_404(event_id)
    return render_template("organisers/event.html", event=found, form=ConfirmForm(),
                           organiser_form=form,
                           can_read_dietary=manage.can_read_dietary_notes(current_user, found)
                           ), 400


# --- Tasting settings -------------------------------------------------------------------


def _tasting_page(event: Event, status: int = 200, **forms: object) -> tuple[str, int]:
    approval = ApprovalForm(prefix="approval", obj=event.approval)
    if event.approval is not None and "approval" not in forms:
        approval.verdict.data = event.approval.verdict.value
    sheet = InfoSheetForm(prefix="sheet", obj=event.info_sheet)
    context = {
        "approval_form": forms.get("approval", approval),
        "product_form": forms.get("product", ProductForm(prefix="product")),
        "eligibility_form": forms.get("eligibility", EligibilityForm(prefix="item")),
        "sheet_form": forms.get("sheet", sheet),
        "form": ConfirmForm(),
    }
    return render_template("organisers/tasting.html", event=event, **context), status


@bp.get("/events/<int:event_id>/tasting")
@role_required(Role.ORGANISER)
def tasting(event_id: int) -> tuple[str, int]:
    found = _event_or_404(event_id)
    if not found.is_tasting:
        abort(404)
    return _tasting_page(found)


def _tasting_post(event_id: int, key: str, form: object, call: Callable[[Event], object],
                  done: str) -> BaseResponse | tuple[str, int]:
    found = _event_or_404(event_id)
    if not found.is_tasting:
        abort(404)
    if form.validate_on_submit():  # type: ignore[attr-defined]
        try:
            call(found)
        except DomainError as error:
            show_domain_error(form, error)  # type: ignore[arg-type]
        else:
            db.session.commit()
            flash(done, "success")
            return redirect(url_for("organisers.tasting", event_id=event_id))
    return _tasting_page(_event_or_404(event_id), 400, **{key: form})


@bp.post("/events/<int:event_id>/tasting/approval")
@role_required(Role.ORGANISER)
def save_approval(event_id: int) -> BaseResponse | tuple[str, int]:
    form = ApprovalForm(prefix="approval")
    return _tasting_post(event_id, "approval", form, lambda e: manage.set_approval(
        current_user, e, form.committee.data or "", form.reference.data or "",  # type: ignore[arg-type]
        ApprovalVerdict(form.verdict.data), form.decided_on.data,  # type: ignore[arg-type]
        form.conditions.data or ""), _("The approval is saved."))


@bp.post("/events/<int:event_id>/tasting/products")
@role_required(Role.ORGANISER)
def add_product(event_id: int) -> BaseResponse | tuple[str, int]:
    form = ProductForm(prefix="product")
    return _tasting_post(event_id, "product", form, lambda e: manage.add_product(
        current_user, e, form.name_nl.data or "", form.name_en.data or "",  # type: ignore[arg-type]
        list(form.allergens.data or [])), _("The product is added."))


@bp.post("/events/<int:event_id>/tasting/products/<int:product_id>/delete")
@role_required(Role.ORGANISER)
def remove_product(event_id: int, product_id: int) -> BaseResponse:
    return _act(event_id, lambda e: manage.remove_product(current_user, e, product_id),  # type: ignore[arg-type]
                _("The product is removed."), "organisers.tasting")


@bp.post("/events/<int:event_id>/tasting/eligibility")
@role_required(Role.ORGANISER)
def add_eligibility(event_id: int) -> BaseResponse | tuple[str, int]:
    form = EligibilityForm(prefix="item")
    return _tasting_post(event_id, "eligibility", form, lambda e: manage.add_eligibility_item(
        current_user, e, form.text_nl.data or "", form.text_en.data or ""),  # type: ignore[arg-type]
        _("The item is added."))


@bp.post("/events/<int:event_id>/tasting/eligibility/<int:item_id>/delete")
@role_required(Role.ORGANISER)
def remove_eligibility(event_id: int, item_id: int) -> BaseResponse:
    return _act(event_id,
                lambda e: manage.remove_eligibility_item(current_user, e, item_id),  # type: ignore[arg-type]
                _("The item is removed."), "organisers.tasting")


@bp.post("/events/<int:event_id>/tasting/info-sheet")
@role_required(Role.ORGANISER)
def save_info_sheet(event_id: int) -> BaseResponse | tuple[str, int]:
    form = InfoSheetForm(prefix="sheet")
    return _tasting_post(event_id, "sheet", form, lambda e: manage.save_info_sheet(
        current_user, e, form.body_nl.data or "", form.body_en.data or ""),  # type: ignore[arg-type]
        _("The information sheet is saved."))


# --- Registrations ----------------------------------------------------------------------


@bp.get("/events/<int:event_id>/registrations")
@role_required(Role.ORGANISER)
def registrations(event_id: int) -> str:
    found = _event_or_404(event_id)
    return render_template("organisers/registrations.html", event=found,
                           registrations=queries.registrations(found),
                           waiting=waitlist.waiting(found), form=ConfirmForm())


def _registration_action(event_id: int, registration_id: int, action: str) -> BaseResponse:
    found = _event_or_404(event_id)
    registration = queries.registration_of(found, registration_id)
    if registration is None:
        abort(404)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    user = current_user
    calls: dict[str, tuple[Callable[[Registration], object], str]] = {
        "approve": (lambda r: waitlist.approve(user, r), _("The registration is approved.")),  # type: ignore[arg-type]
        "reject": (lambda r: waitlist.reject(user, r), _("The registration is rejected.")),  # type: ignore[arg-type]
        "promote": (lambda r: waitlist.promote(user, r),  # type: ignore[arg-type]
                    _("The person is promoted from the waiting list.")),
        "attended": (lambda r: checkin.mark_attendance(r, True, user),  # type: ignore[arg-type]
                     _("Marked as attended.")),
        "no-show": (lambda r: checkin.mark_attendance(r, False, user),  # type: ignore[arg-type]
                    _("Marked as not come.")),
    }
    if action not in calls:
        abort(404)
    call, done = calls[action]
    try:
        call(registration)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(url_for("organisers.registrations", event_id=event_id))


@bp.post("/events/<int:event_id>/registrations/<int:registration_id>/<action>")
@role_required(Role.ORGANISER)
def registration_action(event_id: int, registration_id: int, action: str) -> BaseResponse:
    return _registration_action(event_id, registration_id, action)


@bp.get("/events/<int:event_id>/registrations.csv")
@role_required(Role.ORGANISER)
def registrations_csv(event_id: int) -> Response:
    found = _event_or_404(event_id)
    return Response(
        exports.registrations_csv(found), mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="event-{found.id}-registrations.csv"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.get("/events/<int:event_id>/attendance")
@role_required(Role.ORGANISER)
def attendance(event_id: int) -> str:
    found = _event_or_404(event_id)
    rows = [r for r in queries.registrations(found) if r.holds_seats]
    rows.sort(key=lambda r: (r.name.lower() or r.email))
    return render_template("organisers/attendance.html", event=found, registrations=rows,
                           format_code=format_code)


@bp.route("/events/<int:event_id>/checkin", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def checkin_page(event_id: int) -> tuple[str, int]:
    found = _event_or_404(event_id)
    form = CheckinForm()
    result = None
    if request.method == "GET" and request.args.get("code"):
        form.code.data = request.args["code"][:20]  # from a scanned QR: confirm with a tap
    if form.validate_on_submit():
        try:
            result = checkin.check_in(found, form.code.data or "", current_user)  # type: ignore[arg-type]
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            form = CheckinForm(formdata=None)
    checked = sum(1 for r in queries.registrations(found) if r.checked_in_at is not None)
    return render_template("organisers/checkin.html", event=found, form=form, result=result,
                           checked=checked, format_code=format_code), (
        400 if form.errors else 200
    )


@bp.get("/events/<int:event_id>/dietary-notes")
def dietary_notes(event_id: int) -> Response:
    """Health data: 404 for an unknown event, 403 for anyone but its organisers."""
    found = db.session.get(Event, event_id)
    if found is None:
        abort(404)
    if not manage.can_read_dietary_notes(current_user, found):
        abort(403)
    body = render_template("organisers/dietary.html", event=found,
                           notes=manage.dietary_notes(found))
    response = Response(body)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/events/<int:event_id>/registrations/<int:registration_id>/qr.<kind>")
@role_required(Role.ORGANISER)
def registration_qr(event_id: int, registration_id: int, kind: str) -> Response:
    found = _event_or_404(event_id)
    registration = queries.registration_of(found, registration_id)
    if registration is None:
        abort(404)
    return qr_response(registration, kind)
