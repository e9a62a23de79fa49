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
from analysis.repness import (
    ConsensusItem,
    ConsensusResult,
    RepresentativeItem,
    consensus_items,
    representative_items,
)
from analysis.shift import OpinionShift, ShiftStats, opinion_shift
from analysis.topics import Topic, TopicResult, text_topics
from analysis.validation import rating_to_score

__all__ = [
    "AnalysisInputError",
    "ConsensusItem",
    "ConsensusResult",
    "OpinionClusters",
    "OpinionShift",
    "RepresentativeItem",
    "ShiftStats",
    "Topic",
    "TopicResult",
    "cluster_opinions",
    "consensus_items",
    "opinion_shift",
    "rating_to_score",
    "representative_items",
    "text_topics",
]
