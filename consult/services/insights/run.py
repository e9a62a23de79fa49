"""The opinion analysis of a consultation, stored as `AnalysisRun` snapshots.

How an analysis flows: `flask --app consult analysis run SLUG` calls `run(consultation)`; the
officials' refresh button calls `request_refresh` (a queued run) and the view then queues
`run_by_id` as a background job. `run` builds the respondents x items matrix
(`analysis_matrix`), calls the pure functions in `analysis`, and stores everything the
pages show (`analysis_results`, `analysis_summary`) in the run. Pages only read the
newest finished run (`newest_done`): a GET never clusters.

Bad or small data never raises: no responses, too few respondents with enough answers, or
no statements or ratings give a finished run whose results carry a `notice` code the page
explains. An unexpected error gives a failed run with the error text.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import numpy as np
import scipy
import sklearn
from flask_babel import lazy_gettext as _l
from numpy.typing import NDArray
from sqlalchemy import select

from analysis import AnalysisInputError, cluster_opinions
from consult.extensions import db
from consult.models import AnalysisRun, AnalysisStatus, Consultation, User, utcnow
from consult.services import DomainError
from consult.services.audit import record
from consult.services.insights import snapshot as results_mod
from consult.services.insights.matrix import OpinionMatrix, build_matrix
from consult.services.insights.summary import summaries

Progress = Callable[[str], None]

#: The steps `run` reports to `progress`, in order.
STEPS = ("matrix", "groups", "statements", "topics", "summary")
DEFAULT_PARAMETERS: dict[str, Any] = {
    "max_k": 5, "min_answers": 7, "random_state": 0, "space": "pca",
    "map_points": results_mod.MAP_POINTS,
    "min_cell": results_mod.MIN_CELL,
}
#: A queued or running run younger than this blocks a new refresh.
PENDING_FOR = timedelta(minutes=30)

#: Notice codes for bad or small data (explained on the page).
NO_RESPONSES = "no_responses"
NO_ITEMS = "no_items"
NO_ANSWERS = "no_answers"
TOO_FEW = "too_few"


def library_versions() -> dict[str, str]:
    # The package is loaded already; reading its version does not import the app factory.
    consult_version = str(getattr(sys.modules.get("consult"), "__version__", "unknown"))
    return {"numpy": np.__version__, "scikit-learn": sklearn.__version__,
            "scipy": scipy.__version__, "consult": consult_version}


class _Clock:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    @contextmanager
    def step(self, name: str, progress: Progress | None) -> Iterator[None]:
        if progress is not None:
            progress(name)
        start = time.perf_counter()
        yield
        self.timings[name] = round(time.perf_counter() - start, 4)


def _base_results(m: OpinionMatrix) -> dict[str, Any]:
    return {
        "n_respondents": m.n_respondents, "n_items": len(m.items),
        "n_statements": sum(1 for i in m.items if i.kind == "statement"),
        "participation": results_mod.category_counts(m.categories),
        "notice": None, "k": 0, "n_clustered": 0, "groups": [], "consensus": [],
        "divisive": [], "topics": [], "map": None, "respondents": [], "labels": [],
        "summary": {"nl": [], "en": []},
    }


def _notice(m: OpinionMatrix) -> str | None:
    if m.n_respondents == 0:
        return NO_RESPONSES
    if not m.items:
        return NO_ITEMS
    if not np.any(~np.isnan(m.values)):
        return NO_ANSWERS
    return None


def _carried(m: OpinionMatrix, previous: dict[str, Any] | None
             ) -> tuple[dict[str, Any] | None, NDArray[np.bool_] | None]:
    """What a refresh carries from the last run (Pol.is's state): the k smoother and group
    centres, and who was grouped then (they stay grouped while they still have answers)."""
    if not previous:
        return None, None
    grouped = {pid for pid, label in zip(previous.get("respondents", []),
                                         previous.get("labels", []), strict=False)
               if label is not None and label >= 0}
    keep = np.array([pid in grouped for pid in m.public_ids], dtype=bool)
    return previous.get("grouping_state"), keep if keep.size else None


def _strength(clusters: Any) -> dict[str, Any] | None:
    s = clusters.strength
    if s is None:
        return None
    return {"level": s.level, "p_value": results_mod._r(s.p_value, 3),
            "silhouette": results_mod._r(s.silhouette, 3),
            "null_silhouette": results_mod._r(s.null_silhouette, 3),
            "stability": results_mod._r(s.stability, 3), "draws": s.draws}


def compute(consultation: Consultation, *, progress: Progress | None = None,
            k: int | None = None, parameters: dict[str, Any] | None = None,
            previous: dict[str, Any] | None = None
            ) -> tuple[dict[str, Any], dict[str, float]]:
    """Compute the snapshot's results and timings (reads the database, writes nothing).

    ``previous`` is the last finished run's results: the grouping continues from its state.
    """
    params = {**DEFAULT_PARAMETERS, **(parameters or {})}
    clock = _Clock()
    with clock.step("matrix", progress):
        m = build_matrix(consultation)
    out = _base_results(m)
    out["notice"] = _notice(m)
    with clock.step("groups", progress):
        clusters = None
        if out["notice"] is None:
            state, keep_in = _carried(m, previous)
            try:
                clusters = cluster_opinions(
                    m.values, k=k, max_k=params["max_k"], min_answers=params["min_answers"],
                    random_state=params["random_state"], space=params["space"],
                    previous=state, keep_in=keep_in)
            except AnalysisInputError:
                out["notice"] = TOO_FEW
    with clock.step("statements", progress):
        if clusters is not None:
            out.update({
                "k": clusters.k, "n_clustered": int(clusters.clustered.sum()),
                "silhouette": results_mod._r(clusters.silhouette),
                "silhouettes": {str(kk): results_mod._r(v)
                                for kk, v in clusters.silhouettes.items()},
                "dims": clusters.dims,
                "grouping_state": clusters.state.as_dict(),
                "strength": _strength(clusters),
                "map": results_mod.map_points(clusters, params["map_points"]),
                "respondents": m.public_ids,
                "labels": [int(v) for v in clusters.labels],
                "groups": results_mod.groups_section(m, clusters),
                "composition": results_mod.composition_section(m, clusters),
            })
            out["consensus"], out["divisive"] = results_mod.consensus_section(
                m, clusters.labels)
    with clock.step("topics", progress):
        out["topics"] = results_mod.topics_section(m)
    with clock.step("summary", progress):
        out["summary"] = summaries(out)
    return out, clock.timings


def run(consultation: Consultation, *, progress: Progress | None = None, k: int | None = None,
        actor: User | None = None, analysis_run: AnalysisRun | None = None) -> AnalysisRun:
    """Analyse `consultation` now and store the snapshot (a new run unless one is given).

    Never raises for bad data; an unexpected error is stored as a failed run.
    """
    current = analysis_run or AnalysisRun(consultation_id=consultation.id,
                                          created_by_id=actor.id if actor else None)
    if analysis_run is None:
        db.session.add(current)
    parameters = {**DEFAULT_PARAMETERS, "k": k}
    current.parameters = parameters
    current.versions = library_versions()
    current.status = AnalysisStatus.RUNNING
    current.started_at = utcnow()
    db.session.flush()
    started = time.perf_counter()
    last = newest_done(consultation)
    try:
        results, timings = compute(consultation, progress=progress, k=k,
                                   previous=last.results if last is not None else None)
    except Exception as error:  # stored for the officials; the page shows a plain message
        current.status = AnalysisStatus.FAILED
        current.error = f"{type(error).__name__}: {error}"[:2000]
        current.results = None
    else:
        current.status = AnalysisStatus.DONE
        current.results = results
        current.timings = {**timings, "total": round(time.perf_counter() - started, 4)}
    current.finished_at = utcnow()
    db.session.flush()
    return current


def run_by_id(run_id: int) -> None:
    """The background job: run a queued `AnalysisRun` (does nothing if it is gone or done)."""
    current = db.session.get(AnalysisRun, run_id)
    if current is None or current.status != AnalysisStatus.QUEUED:
        return
    run(current.consultation, k=current.parameters.get("k"), analysis_run=current)


def pending_run(consultation: Consultation) -> AnalysisRun | None:
    """The newest queued or running run, if it is newer than the newest finished one."""
    newest = db.session.scalar(
        select(AnalysisRun).where(AnalysisRun.consultation_id == consultation.id)
        .order_by(AnalysisRun.created_at.desc(), AnalysisRun.id.desc()).limit(1))
    return newest if newest is not None and newest.is_pending else None


def newest_done(consultation: Consultation) -> AnalysisRun | None:
    return db.session.scalar(
        select(AnalysisRun).where(AnalysisRun.consultation_id == consultation.id,
                                  AnalysisRun.status == AnalysisStatus.DONE)
        .order_by(AnalysisRun.finished_at.desc(), AnalysisRun.id.desc()).limit(1))


def newest_failed_after(consultation: Consultation, done: AnalysisRun | None
                        ) -> AnalysisRun | None:
    """The newest failed run, when it is newer than the newest finished one."""
    failed = db.session.scalar(
        select(AnalysisRun).where(AnalysisRun.consultation_id == consultation.id,
                                  AnalysisRun.status == AnalysisStatus.FAILED)
        .order_by(AnalysisRun.id.desc()).limit(1))
    if failed is None or (done is not None and done.id > failed.id):
        return None
    return failed


def request_refresh(consultation: Consultation, actor: User, k: int | None = None
                    ) -> tuple[AnalysisRun, bool]:
    """Queue a new run; returns (run, True), or (the pending run, False) while one is
    queued or running for less than `PENDING_FOR`. The caller commits, then queues
    `run_by_id` for a new run. `k` is an official's choice of the number of groups (1-5);
    None lets the analysis choose, as Pol.is does."""
    if k is not None and not 1 <= k <= 5:
        raise DomainError(_l("Choose between 1 and 5 groups."), "k")
    pending = pending_run(consultation)
    if pending is not None and utcnow() - pending.created_at < PENDING_FOR:
        return pending, False
    queued = AnalysisRun(consultation_id=consultation.id, created_by_id=actor.id,
                         status=AnalysisStatus.QUEUED, parameters={**DEFAULT_PARAMETERS, "k": k})
    db.session.add(queued)
    db.session.flush()
    record(actor, "analysis.queued", consultation, run=queued.id)
    return queued, True


def labels_csv_rows(analysis_run: AnalysisRun) -> Iterator[list[str]]:
    """One row per respondent: the response's public id and its group letter (or "")."""
    yield ["response_public_id", "group"]
    results = analysis_run.results or {}
    for public_id, label in zip(results.get("respondents", []), results.get("labels", []),
                                strict=False):
        yield [public_id, results_mod.letter(label) if label >= 0 else ""]


def snapshot(analysis_run: AnalysisRun) -> dict[str, Any]:
    """The whole run as plain JSON (for the download)."""
    return {
        "run": analysis_run.id, "consultation": analysis_run.consultation.slug,
        "status": analysis_run.status.value,
        "created_at": analysis_run.created_at.isoformat(),
        "finished_at": analysis_run.finished_at.isoformat() if analysis_run.finished_at else None,
        "parameters": analysis_run.parameters, "versions": analysis_run.versions,
        "timings": analysis_run.timings, "results": analysis_run.results,
    }
