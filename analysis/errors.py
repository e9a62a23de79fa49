"""Errors raised by the analysis package.

Every problem with the caller's input is reported as :class:`AnalysisInputError`, a subclass of
:class:`ValueError`, with a message that says what was wrong in plain words.
"""

from __future__ import annotations

__all__ = ["AnalysisInputError"]


class AnalysisInputError(ValueError):
    """The input to an analysis function cannot be analysed (wrong shape, values, or size)."""
