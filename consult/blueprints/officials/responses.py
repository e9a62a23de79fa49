"""Officials' view of the responses: the browser with its filters, the exports (CSV,
JSON, Excel; internal or public) and the report with its results."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HTTPResponse

from consult.services.consultations import editing as service
from consult.services.consultations import exports, kinds, results
from consult.services.consultations.display import describe_many
from consult.services.consultations.profile import CATEGORY_LABELS, CONSENT_LABELS

from ...extensions import db
from ...i18n import select_locale
from ...models import Consultation
from ...security import MAX_URL_INT
from ..access import current_actor
from ..downloads import own_context_stream, prepared_file
from ..paging import page_arg, size_arg
from .blueprint import bp, consultation_or_404
from .forms import ReportForm


def _day(name: str) -> datetime | None:
    """A `YYYY-MM-DD` filter argument as the start of that local day in UTC."""
    try:
        value = datetime.strptime(request.args.get(name, ""), "%Y-%m-%d")
    except ValueError:
        return None
    return service.local_to_utc(value)


@bp.get("/consultations/<slug>/responses")
def responses(slug: str) -> str:
    consultation = consultation_or_404(slug)
    args = request.args
    since, until = _day("since"), _day("until")
    if until is not None:
        until = until + timedelta(days=1)
    option = args.get("option", "")
    found = results.browse(
        consultation, args.get("category", ""), since, until,
        int(option) if option.isdigit() and int(option) <= MAX_URL_INT else None,
        args.get("spam") == "1",
        page_arg(), size_arg(), args.get("verification", ""),
    )
    rows = found.items
    return render_template(
        "officials/responses.html", consultation=consultation, rows=rows, page=found,
        args=args, categories=CATEGORY_LABELS, consents=CONSENT_LABELS,
        choice_questions=[q for q in consultation.questions
                          if kinds.get(q.kind).chooses_options],
        described=describe_many(rows, select_locale()),
    )


STREAMS = {
    "csv": ("text/csv; charset=utf-8", exports.csv_stream),
    "json": ("application/json", exports.json_stream),
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/consultations/<slug>/export.<fmt>")
def export(slug: str, fmt: str) -> Response:
    """CSV and JSON stream in their own app context (they outlive the request's session);
    the workbook is written whole before the response (consult.blueprints.downloads)."""
    consultation = consultation_or_404(slug)
    if fmt not in STREAMS and fmt != "xlsx":
        abort(404)
    public = request.args.get("public") == "1"
    locale = select_locale()
    name = f"{consultation.slug}-{'public' if public else 'internal'}.{fmt}"
    if fmt == "xlsx":
        response = prepared_file(
            lambda path: exports.write_xlsx(consultation, public, path, locale),
            ".xlsx", XLSX, name)
    else:
        response = _streamed(consultation.id, fmt, public, locale)
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _streamed(consultation_id: int, fmt: str, public: bool, locale: str) -> Response:
    mimetype, stream = STREAMS[fmt]

    def produce() -> Iterator[str]:
        consultation = db.session.get(Consultation, consultation_id)
        assert consultation is not None, "the consultation went while exporting"
        yield from stream(consultation, public, locale)

    failure = _("EXPORT FAILED: this file is incomplete. Please download it again.")
    # A line of its own ends the CSV; after JSON text it makes the file invalid JSON.
    return Response(own_context_stream(produce, locale, f"\r\n{failure}\r\n"),
                    mimetype=mimetype)


@bp.route("/consultations/<slug>/report", methods=["GET", "POST"])
def report(slug: str) -> str | HTTPResponse:
    consultation = consultation_or_404(slug)
    form = ReportForm(obj=consultation)
    if form.validate_on_submit():
        service.save_report(current_actor(), consultation, {
            name: getattr(form, name).data or "" for name in
            ("report_summary_nl", "report_summary_en", "report_outcome_nl", "report_outcome_en")})
        db.session.commit()
        flash(_("The report is saved."), "success")
        return redirect(url_for("officials.report", slug=slug))
    return render_template(
        "officials/report_form.html", form=form, consultation=consultation,
        status=consultation.effective_status(),
        counts=results.response_counts(consultation, public=False),
        results=results.results(consultation, public=False),
    )
