"""Organisers' tasting pages: the ethics approval, products and allergens, eligibility
items, the information sheet, and the dietary notes (health data, for the event's own
organisers only)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as BaseResponse

from ...extensions import db
from ...models import ApprovalVerdict, Event
from ...services.events import manage
from ..access import current_actor
from ..outcome import commit_or_show
from .blueprint import act, bp, event_or_404
from .forms import ApprovalForm, ConfirmForm, EligibilityForm, InfoSheetForm, ProductForm


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
def tasting(event_id: int) -> tuple[str, int]:
    found = event_or_404(event_id)
    if not found.is_tasting:
        abort(404)
    return _tasting_page(found)


def _tasting_post(event_id: int, key: str, form: FlaskForm, call: Callable[[Event], object],
                  done: str) -> BaseResponse | tuple[str, int]:
    found = event_or_404(event_id)
    if not found.is_tasting:
        abort(404)
    if form.validate_on_submit():
        with commit_or_show(form) as outcome:
            call(found)
        if outcome.ok:
            flash(done, "success")
            return redirect(url_for("organisers.tasting", event_id=event_id))
    return _tasting_page(event_or_404(event_id), 400, **{key: form})


@bp.post("/events/<int:event_id>/tasting/approval")
def save_approval(event_id: int) -> BaseResponse | tuple[str, int]:
    form = ApprovalForm(prefix="approval")
    return _tasting_post(event_id, "approval", form, lambda e: manage.set_approval(
        current_actor(), e, form.committee.data or "", form.reference.data or "",
        ApprovalVerdict(form.verdict.data), form.decided_on.data,
        form.conditions.data or "", form.conditions_en.data or ""),
        _("The approval is saved."))


@bp.post("/events/<int:event_id>/tasting/products")
def add_product(event_id: int) -> BaseResponse | tuple[str, int]:
    form = ProductForm(prefix="product")
    return _tasting_post(event_id, "product", form, lambda e: manage.add_product(
        current_actor(), e, form.name_nl.data or "", form.name_en.data or "",
        list(form.allergens.data or [])), _("The product is added."))


@bp.post("/events/<int:event_id>/tasting/products/<int:product_id>/delete")
def remove_product(event_id: int, product_id: int) -> BaseResponse:
    return act(event_id, lambda e: manage.remove_product(current_actor(), e, product_id),
               _("The product is removed."), "organisers.tasting")


@bp.post("/events/<int:event_id>/tasting/eligibility")
def add_eligibility(event_id: int) -> BaseResponse | tuple[str, int]:
    form = EligibilityForm(prefix="item")
    return _tasting_post(event_id, "eligibility", form, lambda e: manage.add_eligibility_item(
        current_actor(), e, form.text_nl.data or "", form.text_en.data or ""),
        _("The item is added."))


@bp.post("/events/<int:event_id>/tasting/eligibility/<int:item_id>/delete")
def remove_eligibility(event_id: int, item_id: int) -> BaseResponse:
    return act(event_id,
               lambda e: manage.remove_eligibility_item(current_actor(), e, item_id),
               _("The item is removed."), "organisers.tasting")


@bp.post("/events/<int:event_id>/tasting/info-sheet")
def save_info_sheet(event_id: int) -> BaseResponse | tuple[str, int]:
    form = InfoSheetForm(prefix="sheet")
    return _tasting_post(event_id, "sheet", form, lambda e: manage.save_info_sheet(
        current_actor(), e, form.body_nl.data or "", form.body_en.data or ""),
        _("The information sheet is saved."))


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
