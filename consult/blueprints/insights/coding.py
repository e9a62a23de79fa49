"""Officials' guided coding of open answers (on the insights blueprint, under the analysis).

GET shows the codebook, the answers with their code and the platform's stored suggestion
(trained when decisions are saved, not on a page load) and the counts per code; the POSTs
code answers by hand, accept suggestions in bulk, update out-of-date suggestions, and add
or rename codes.
"""

from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as HTTPResponse
from wtforms import HiddenField, StringField

from consult.csv_files import csv_text
from consult.services import DomainError
from consult.services.insights import coding as service
from consult.services.paging import Page

from ..access import current_actor
from ..officials.blueprint import consultation_or_404
from ..outcome import commit_or_show
from ..paging import page_arg, size_arg
from .views import bp


class CodingForm(FlaskForm):
    """The answers' codes and ticked suggestions are read from the posted names."""


class CodeForm(FlaskForm):
    key = HiddenField()
    label_nl = StringField(_l("Dutch name"), render_kw={"maxlength": 200, "lang": "nl"})
    label_en = StringField(_l("English name"), render_kw={"maxlength": 200, "lang": "en"})


def _ids(prefix: str) -> list[int]:
    out = []
    for name in request.form:
        rest = name.removeprefix(prefix)
        if name.startswith(prefix) and rest.isdigit() and len(rest) < 10:
            out.append(int(rest))
    return out


@bp.get("/consultations/<slug>/analysis/coding")
def coding(slug: str, add_form: CodeForm | None = None, rename_form: CodeForm | None = None
           ) -> str:
    consultation = consultation_or_404(slug)
    state = service.coding_state(consultation)
    ordered = sorted(state.answers, key=lambda a: (a.code is not None, -a.confidence,
                                                   a.answer_id))
    per_page = size_arg()
    total = len(ordered)
    last = max(1, -(-total // per_page))
    number = min(page_arg(), last)
    page = Page(ordered[(number - 1) * per_page:number * per_page], total, number, per_page)
    return render_template(
        "insights/coding.html", consultation=consultation, state=state, pagination=page,
        report=service.report(state), form=CodingForm(),
        add_form=add_form or CodeForm(prefix="add"), rename_form=rename_form,
        labels={c.key: c for c in state.codes},
        language_names={"nl": _("Dutch"), "en": _("English")})


@bp.post("/consultations/<slug>/analysis/coding")
def save_codes(slug: str) -> HTTPResponse | str:
    consultation = consultation_or_404(slug)
    form = CodingForm()
    kept: dict[str, Any] = request.args.to_dict()
    back = redirect(url_for("insights.coding", slug=slug, **kept))
    if not form.validate_on_submit():
        flash(_("The form had expired. Please try again."), "error")
        return back
    action = request.form.get("action", "save")
    if action == "refresh":
        with commit_or_show() as outcome:
            service.train_suggestions(consultation)
        if outcome.ok:
            flash(_("The suggestions are updated."), "success")
        return back
    with commit_or_show() as outcome:
        if action == "save":
            chosen = {i: request.form.get(f"code-{i}", "") for i in _ids("code-")}
            count = service.record_codes(consultation, current_actor(),
                                         {i: k for i, k in chosen.items() if k})
        else:
            ids = _ids("accept-") if action == "accept" else _ids("shown-")
            if not ids:
                raise DomainError(_("Tick at least one suggestion to accept."))
            count = service.accept_suggestions(consultation, current_actor(), ids)
    if outcome.ok:
        flash(ngettext("%(num)s answer coded.", "%(num)s answers coded.", count) if count
              else _("Nothing changed."), "success")
    return back


@bp.post("/consultations/<slug>/analysis/coding/codes")
def save_code(slug: str) -> HTTPResponse | str:
    consultation = consultation_or_404(slug)
    adding = "add-label_nl" in request.form
    form = CodeForm(prefix="add") if adding else CodeForm()
    if not form.validate_on_submit():
        flash(_("The form had expired. Please try again."), "error")
        return redirect(url_for("insights.coding", slug=slug))
    with commit_or_show(form) as outcome:
        if adding:
            service.add_code(consultation, form.label_nl.data or "", form.label_en.data or "")
        else:
            service.rename_code(consultation, form.key.data or "", form.label_nl.data or "",
                                form.label_en.data or "")
    if outcome.ok:
        flash(_("The codebook is saved."), "success")
        return redirect(url_for("insights.coding", slug=slug) + "#codebook-title")
    return coding(slug, add_form=form if adding else None,
                  rename_form=None if adding else form)


@bp.get("/consultations/<slug>/analysis/coding.csv")
def coding_csv(slug: str) -> Response:
    consultation = consultation_or_404(slug)
    body = csv_text(service.CSV_HEADER, service.decision_rows(consultation))
    response = Response(body, mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{consultation.slug}-coding.csv"')
    return response
