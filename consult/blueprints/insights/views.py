"""Officials' opinion analysis of a consultation, its downloads, and the annual overview.

A GET only reads the newest stored `AnalysisRun`; the refresh button (POST) queues a
background job. Every page needs the official role.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response as HTTPResponse

from consult.services.consultations.profile import CATEGORY_LABELS
from consult.services.insights import annual as annual_overview
from consult.services.insights import coding as coding_service
from consult.services.insights import labels as insights_labels
from consult.services.insights import run as service
from consult.services.insights import tasting_shift
from consult.services.insights.story import story
from consult.services.insights.summary import CATEGORY_PLURALS

from ... import jobs
from ...extensions import db
from ...i18n import select_locale
from ...models import Consultation, Role
from ..access import current_actor, role_required
from ..officials.blueprint import consultation_or_404
from . import charts

bp = Blueprint("insights", __name__, url_prefix="/officials")
#: Smaller p-values are shown as "< 0.001".
P_FLOOR = 0.001

NOTICES = {
    service.NO_RESPONSES: _l("There are no submitted responses to analyse yet."),
    service.NO_ITEMS: _l("This consultation has no statements or rating questions to analyse."),
    service.NO_ANSWERS: _l("Nobody has answered a statement or rating question yet."),
    service.TOO_FEW: _l("Too few respondents answered enough questions to look for opinion "
                        "groups. Try again when more responses are in."),
}


@bp.before_request
@role_required(Role.OFFICIAL)
def _officials_only() -> None:
    return None


@bp.app_context_processor
def _insights_helpers() -> dict[str, Any]:
    return {"analysis_categories": {c.value: label for c, label in CATEGORY_LABELS.items()},
            **insights_labels.template_labels()}


@bp.get("/consultations/<slug>/analysis")
def analysis(slug: str) -> str:
    consultation = consultation_or_404(slug)
    run = service.newest_done(consultation)
    results = run.results if run is not None and run.results else None
    shifts = [{**pair, "shift": tasting_shift.opinion_shift_between(
                  pair["before_id"], pair["after_id"], event_id=pair["event"].id)}
              for pair in tasting_shift.tasting_pairs(consultation)]
    return render_template(
        "insights/analysis.html", consultation=consultation, run=run, results=results,
        story=story(results, shifts, select_locale()),
        p_floor=P_FLOOR,  # a variable: Jinja would format a literal once, in one locale
        pending=service.pending_run(consultation),
        failed=service.newest_failed_after(consultation, run),
        notices=NOTICES, opinion_map=charts.opinion_map(results) if results else None,
        principle_bars=charts.principle_bars, legend_marker=charts.legend_marker,
        place_in_words=charts.place_in_words,
        shifts=shifts, plurals=CATEGORY_PLURALS,
        coding_report=coding_service.report(
            coding_service.coding_state(consultation, with_suggestions=False)),
    )


@bp.post("/consultations/<slug>/analysis/refresh")
def refresh(slug: str) -> HTTPResponse:
    consultation = consultation_or_404(slug)
    choice = request.form.get("k", "auto")
    if choice not in {"auto", "1", "2", "3", "4", "5"}:
        flash(_("Choose between 1 and 5 groups, or let the analysis choose."), "error")
        return redirect(url_for("insights.analysis", slug=slug))
    k = None if choice == "auto" else int(choice)
    run, new = service.request_refresh(consultation, current_actor(), k=k)
    db.session.commit()
    if new:
        jobs.enqueue("consult.services.insights.run.run_by_id", run.id)
        flash(_("The analysis is queued. Refresh this page in a little while to see it."),
              "success")
    else:
        flash(_("An analysis is already queued or running."), "warning")
    return redirect(url_for("insights.analysis", slug=slug))


@bp.get("/consultations/<slug>/analysis/points")
def points(slug: str) -> str:
    consultation = consultation_or_404(slug)
    run = service.newest_done(consultation)
    if run is None or not run.results or not run.results.get("map"):
        abort(404)
    return render_template("insights/points.html", consultation=consultation, run=run,
                           data=run.results["map"])


def _done_or_404(consultation: Consultation) -> Any:
    run = service.newest_done(consultation)
    if run is None:
        abort(404)
    return run


@bp.get("/consultations/<slug>/analysis.json")
def download_json(slug: str) -> Response:
    consultation = consultation_or_404(slug)
    run = _done_or_404(consultation)
    body = json.dumps({**service.snapshot(run),
                       "coding": coding_service.snapshot_part(consultation)},
                      ensure_ascii=False, indent=1)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{consultation.slug}-analysis-{run.id}.json"')
    return response


@bp.get("/consultations/<slug>/analysis.csv")
def download_csv(slug: str) -> Response:
    consultation = consultation_or_404(slug)
    run = _done_or_404(consultation)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(service.labels_csv_rows(run))
    response = Response(buffer.getvalue(), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{consultation.slug}-groups-{run.id}.csv"')
    return response


@bp.get("/annual")
@bp.get("/annual/<int:year>")
def annual(year: int | None = None) -> str:
    year = year or date.today().year
    if not 2000 <= year <= 2100:
        abort(404)
    return render_template("insights/annual.html", data=annual_overview.overview(year),
                           plurals=CATEGORY_PLURALS)
