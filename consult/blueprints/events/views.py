"""Events for the public: the list, each event, registering, the personal page, offers.

Registering works with an account, or without one after confirming an email address
(a signed link, valid 48 hours). After registering, the person lands on their personal
page (check-in code, QR image, cancel); its link is mailed with a calendar file.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse
from wtforms import SelectChoice

from consult.services.accounts.tokens import TokenExpired, TokenInvalid, read_token

from ...database import read_only_request
from ...extensions import db, limiter
from ...i18n import select_locale
from ...models import (
    Event,
    EventKind,
    FollowTarget,
    Registration,
    RegistrationStatus,
    User,
    utcnow,
)
from ...services import DomainError, catalogue
from ...services.events import queries, waitlist
from ...services.events import registration as reg_service
from ...services.events.calendar import feed_ics
from ...services.events.codes import format_code
from ...services.events.labels import KIND_LABELS, template_labels
from ...services.events.manage import can_manage
from ...services.follow import targets as follow_targets
from .. import anonymous_pages
from ..access import current_actor
from ..outcome import commit_or_show, show_error, unreadable_fields
from .forms import EmailStepForm, FilterForm, RegistrationForm
from .helpers import public_event_or_404, qr_response
from .survey_links import survey_links_context

bp = Blueprint("events", __name__)
bp.app_context_processor(template_labels)
bp.app_context_processor(survey_links_context)


def _filter_form() -> tuple[FilterForm, EventKind | None, int | None]:
    form = FilterForm(request.args)
    topics = catalogue.topics()
    form.kind.choices = [SelectChoice("", _("All kinds"))] + [
        SelectChoice(k.value, str(v)) for k, v in KIND_LABELS.items()]
    locale = select_locale()
    form.topic.choices = [SelectChoice("", _("All topics"))] + [
        SelectChoice(str(t.id), t.name(locale)) for t in topics]
    kind = EventKind(form.kind.data) if form.kind.data in {k.value for k in EventKind} else None
    topic_id = None
    if form.topic.data and form.topic.data.isdigit() and any(
        t.id == int(form.topic.data) for t in topics
    ):
        topic_id = int(form.topic.data)
    if (form.kind.data and kind is None) or (form.topic.data and topic_id is None):
        form.form_errors.append(_("That filter is not known; all events are shown instead."))
    return form, kind, topic_id


@bp.get("/events/")
def index() -> str:
    read_only_request()
    form, kind, topic_id = _filter_form()
    now = utcnow()
    return render_template(
        "events/index.html",
        form=form,
        events=queries.upcoming(now, kind, topic_id),
        past_events=queries.past(now, kind, topic_id),
        follow_target=follow_targets.Target(FollowTarget.TASTINGS),
    )


@bp.get("/events/<int:event_id>")
def show(event_id: int) -> str:
    read_only_request()  # no BEGIN/ROLLBACK round trips around the page's queries
    event = queries.event_for_page(event_id)
    if event is None or not (
        event.status in queries.PUBLIC_STATUSES or can_manage(current_user, event)
    ):
        abort(404)
    mine = None
    if current_user.is_authenticated:
        mine = reg_service.find_for_user(event, current_actor())
    registration_open = reg_service.registration_open(event, utcnow())

    def render() -> str:
        return render_template("events/show.html", event=event, mine=mine,
                               registration_open=registration_open)

    if mine is None and anonymous_pages.shareable():
        # The event row (its version changes with its products, eligibility items and
        # approval; seats_taken with each registration), its topic and the linked
        # questionnaires: a new key whenever anything the page shows changes.
        key = ("event", select_locale(), registration_open,
               anonymous_pages.row_state(event), anonymous_pages.row_state(event.topic),
               anonymous_pages.row_state(event.before_consultation),
               anonymous_pages.row_state(event.after_consultation))
        return anonymous_pages.rendered(key, render)
    return render()


def _registrant(form: RegistrationForm, email: str, user: User | None) -> reg_service.Registrant:
    version = form.info_sheet_version.data
    return reg_service.Registrant(
        email=email,
        locale=select_locale(),
        user=user,
        name=form.name.data or "",
        birth_date=form.birth_date.data,
        eligibility_confirmed=bool(form.eligible.data),
        info_sheet_version=int(version) if form.info_sheet.data and version
        and str(version).isdigit() else None,
        guests=form.guests.data or 0,
        dietary_note=form.dietary_note.data or "",
        dietary_consent=bool(form.dietary_consent.data),
    )


def _registration_page(event: Event, form: RegistrationForm, email: str | None,
                       status: int = 200) -> tuple[str, int]:
    if event.info_sheet is not None:
        form.info_sheet_version.data = str(event.info_sheet.version)
    if event.min_age:
        # The service refuses an empty date of birth then: the label must not say optional.
        form.birth_date.flags.required = True
    return render_template("events/register.html", event=event, form=form, email=email,
                           registration_open=reg_service.registration_open(event, utcnow())
                           ), status


def _complete(event: Event, form: RegistrationForm, email: str,
              user: User | None) -> BaseResponse | tuple[str, int]:
    shape_ok = form.validate_on_submit()
    if form.is_submitted():
        # Every rule the answers break is shown at once, each at its field, also beside
        # the form's own messages (a field with one of those is not judged twice).
        unreadable = unreadable_fields(form)
        problems = [p for p in reg_service.registrant_problems(
            event, _registrant(form, email, user), utcnow()) if p.field not in unreadable]
        for problem in problems:
            show_error(form, problem)
        if problems or not shape_ok:
            return _registration_page(event, form, email, 400)
    if shape_ok:
        with commit_or_show(form) as outcome:
            registration, secret = reg_service.register(event, _registrant(form, email, user))
        if outcome.ok:
            flash(_status_message(registration), "success")
            return redirect(url_for("events.personal", secret=secret))
    return _registration_page(event, form, email, 400 if form.is_submitted() else 200)


def _status_message(registration: Registration) -> str:
    if registration.status == RegistrationStatus.CONFIRMED:
        return _("You are registered. We have sent you a confirmation mail.")
    if registration.status == RegistrationStatus.WAITLISTED:
        return _("The event is full. You are on the waiting list; we mail you when a seat "
                 "is free.")
    return _("We have received your registration. The organisers will let you know.")


def _per_ip() -> str:
    return str(current_app.config["LOGIN_LIMIT_PER_IP"])


@bp.route("/events/<int:event_id>/register", methods=["GET", "POST"])
@limiter.limit(_per_ip, methods=["POST"],  # the email step sends mail: not a mail cannon
               exempt_when=lambda: bool(current_user.is_authenticated))
def register(event_id: int) -> BaseResponse | tuple[str, int]:
    event = public_event_or_404(event_id)
    if current_user.is_authenticated:
        user = current_actor()
        mine = reg_service.find_for_user(event, user)
        if mine is not None:
            flash(_("You are registered for this event already."), "info")
            return redirect(url_for("events.mine", event_id=event.id))
        return _complete(event, RegistrationForm(), user.email, user)
    form = EmailStepForm()
    if form.validate_on_submit() and reg_service.registration_open(event, utcnow()):
        reg_service.send_email_link(event, form.email.data or "", select_locale())
        db.session.commit()  # the mail is a row in the outbox: it goes after the commit
        return redirect(url_for("events.check_mail", event_id=event.id))
    return render_template("events/email_step.html", event=event, form=form,
                           registration_open=reg_service.registration_open(event, utcnow())
                           ), 400 if form.is_submitted() else 200


@bp.get("/events/<int:event_id>/check-your-mail")
def check_mail(event_id: int) -> str:
    event = public_event_or_404(event_id)
    return render_template("events/check_mail.html", event=event)


def _token_problem(error: TokenInvalid) -> str:
    if isinstance(error, TokenExpired):
        return _("This link has expired. Ask for a new one on the event's page.")
    return _("This link is not valid. It may have been copied incompletely.")


@bp.route("/events/<int:event_id>/register/<token>", methods=["GET", "POST"])
def register_with_token(event_id: int, token: str) -> BaseResponse | tuple[str, int]:
    event = public_event_or_404(event_id)
    try:
        data = read_token("event-email", token)
    except TokenInvalid as error:
        return render_template("events/link_problem.html", problem=_token_problem(error),
                               event=event), 400
    if data.get("event") != event.id or not isinstance(data.get("email"), str):
        return render_template("events/link_problem.html", event=event,
                               problem=_token_problem(TokenInvalid("event-email"))), 400
    return _complete(event, RegistrationForm(), str(data["email"]), None)


def _personal_or_404(secret: str) -> Registration:
    registration = reg_service.find_by_secret(secret)
    if registration is None:
        abort(404)
    return registration


def _personal_page(registration: Registration, qr_svg: str, qr_png: str,
                   cancel_url: str) -> str:
    return render_template(
        "events/personal.html",
        registration=registration,
        event=registration.event,
        code=format_code(registration.checkin_code),
        qr_svg=qr_svg,
        qr_png=qr_png,
        cancel_url=cancel_url,
        can_cancel=registration.status in reg_service.CANCELLABLE
        and registration.event.starts_at > utcnow(),
    )


@bp.get("/events/r/<secret>")
def personal(secret: str) -> str:
    registration = _personal_or_404(secret)
    return _personal_page(
        registration,
        url_for("events.personal_qr", secret=secret, kind="svg"),
        url_for("events.personal_qr", secret=secret, kind="png"),
        url_for("events.personal_cancel", secret=secret),
    )


@bp.post("/events/r/<secret>/cancel")
def personal_cancel(secret: str) -> BaseResponse:
    registration = _personal_or_404(secret)
    return _cancel(registration, url_for("events.personal", secret=secret))


def _cancel(registration: Registration, back: str) -> BaseResponse:
    event_id = registration.event_id
    with commit_or_show() as outcome:
        reg_service.cancel(registration)
    if not outcome.ok:
        return redirect(back)
    flash(_("Your registration is cancelled."), "success")
    return redirect(url_for("events.show", event_id=event_id))


@bp.get("/events/r/<secret>/qr.<kind>")
def personal_qr(secret: str, kind: str) -> Response:
    return qr_response(_personal_or_404(secret), kind)


def _mine_or_404(event_id: int) -> Registration:
    if not current_user.is_authenticated:
        abort(404)
    event = public_event_or_404(event_id)
    registration = reg_service.find_for_user(event, current_actor())
    if registration is None:
        abort(404)
    return registration


@bp.get("/events/<int:event_id>/mine")
def mine(event_id: int) -> str:
    registration = _mine_or_404(event_id)
    return _personal_page(
        registration,
        url_for("events.mine_qr", event_id=event_id, kind="svg"),
        url_for("events.mine_qr", event_id=event_id, kind="png"),
        url_for("events.mine_cancel", event_id=event_id),
    )


@bp.get("/events/<int:event_id>/mine/qr.<kind>")
def mine_qr(event_id: int, kind: str) -> Response:
    return qr_response(_mine_or_404(event_id), kind)


@bp.post("/events/<int:event_id>/mine/cancel")
def mine_cancel(event_id: int) -> BaseResponse:
    registration = _mine_or_404(event_id)
    return _cancel(registration, url_for("events.mine", event_id=event_id))


@bp.route("/events/offer/<token>", methods=["GET", "POST"])
def offer(token: str) -> BaseResponse | tuple[str, int]:
    try:
        data = read_token("offer", token, max_age=60 * 24 * 3600)
    except TokenInvalid as error:
        return render_template("events/link_problem.html", problem=_token_problem(error),
                               event=None), 400
    found = waitlist.open_offer(data.get("offer"), data.get("reg"))
    if found is None:
        abort(404)
    if request.method == "POST":
        # The person lands on their ticket after accepting, on the event after declining.
        next_page = url_for("events.show", event_id=found.event_id)
        try:
            if request.form.get("answer") == "decline":
                waitlist.decline_offer(found)
                message = _("You have declined the seat. Thank you for letting us know.")
            else:
                _registration, secret = waitlist.accept_offer(found)
                message = _("Your seat is confirmed. We have sent you a mail with the details.")
                next_page = url_for("events.personal", secret=secret)
        except DomainError as error:  # not commit_or_show: no rollback here, on purpose
            db.session.commit()  # an expired offer is passed on even so
            flash(str(error.message), "error")
            next_page = url_for("events.show", event_id=found.event_id)
        else:
            db.session.commit()
            flash(message, "success")
        return redirect(next_page)
    return render_template("events/offer.html", offer=found,
                           event=found.registration.event, now=utcnow()), 200


@bp.get("/events.ics")
def feed() -> Response:
    locale = select_locale()
    body = feed_ics(
        ((e, url_for("events.show", event_id=e.id, _external=True))
         for e in queries.published()),
        locale,
        _("Consult events"),
    )
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": 'inline; filename="events.ics"'})


@bp.get("/events/<int:event_id>/event.ics")
def event_ics(event_id: int) -> Response:
    event = public_event_or_404(event_id)
    body = feed_ics([(event, url_for("events.show", event_id=event.id, _external=True))],
                    select_locale(), event.title(select_locale()))
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="event-{event.id}.ics"'})
