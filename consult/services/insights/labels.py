"""Translated names of an analysis run's codes: its status, its parameters and the steps
whose time it records (the "How this analysis was made" list)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from ...models import AnalysisStatus, CodingSource

STATUS_LABELS = {
    AnalysisStatus.QUEUED: _l("Queued"),
    AnalysisStatus.RUNNING: _l("Running"),
    AnalysisStatus.DONE: _l("Done"),
    AnalysisStatus.FAILED: _l("Failed"),
}

#: How an answer got its code (the coding page and its downloads).
CODING_SOURCE_LABELS = {
    CodingSource.MANUAL: _l("Coded by hand"),
    CodingSource.SUGGESTION: _l("Suggestion accepted"),
}

PARAMETER_LABELS = {
    "k": _l("Number of groups chosen"),
    "max_k": _l("Largest number of groups tried"),
    "min_answers": _l("Fewest answers for a response to count"),
    "random_state": _l("Random seed"),
    "space": _l("Space the groups are found in"),
    "allow_one_group": _l("One group allowed"),
    "map_points": _l("Most points on the map"),
    "min_cell": _l("Smallest group shown in a breakdown"),
}

STEP_LABELS = {
    "matrix": _l("Collecting the answers"),
    "groups": _l("Finding the groups"),
    "statements": _l("Representative and divisive statements"),
    "topics": _l("Topics in the open answers"),
    "summary": _l("Writing the summary"),
    "total": _l("Total"),
}

_VALUE_LABELS = {"pca": _l("Principal components (PCA)"), "map": _l("The two-dimensional map"),
                 "full": _l("All answers")}


def parameter_value(value: Any) -> Any:
    """A parameter's value in words: yes/no, "–" for none, the space's name."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return _l("Yes") if value else _l("No")
    return _VALUE_LABELS.get(value, value) if isinstance(value, str) else value


def template_labels() -> dict[str, object]:
    return {"analysis_status_labels": STATUS_LABELS, "analysis_parameter_labels":
            PARAMETER_LABELS, "analysis_step_labels": STEP_LABELS,
            "analysis_parameter_value": parameter_value,
            "coding_source_labels": CODING_SOURCE_LABELS}
