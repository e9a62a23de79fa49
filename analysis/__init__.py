"""Statistics for Consult: opinion groups, representative and consensus items, topics, shifts.

Pure numpy / scipy / scikit-learn; no web framework, no database, no file I/O outside
:mod:`analysis.cli`. The public API:

* :func:`cluster_opinions` - Pol.is-style map and opinion groups.
* :func:`representative_items`, :func:`consensus_items` - Pol.is "repness" and consensus.
* :func:`text_topics` - topics in free-text answers (Dutch or English).
* :func:`opinion_shift` - before/after change per item and per principle.
* :func:`rating_to_score` - 5-point rating to a score in [-1, 1].
* :class:`AnalysisInputError` - raised for unusable input.
"""

from __future__ import annotations

from analysis.clustering import OpinionClusters, cluster_opinions
from analysis.errors import AnalysisInputError
from analysis.validation import rating_to_score

__all__ = [
    "AnalysisInputError",
    "OpinionClusters",
    "cluster_opinions",
    "rating_to_score",
]
