"""Question kinds: one module per kind holds everything that kind means, and this
registry finds the kind of a question by its stored value.

    kinds.get(question.kind).parse(...)

To add a kind: write a module with a `Kind` subclass (see `base.py`) and its partial in
`templates/consultations/kinds/`, and register it below (or, in a test, with
`kinds.register(...)`). Nothing outside this package needs to change: the form,
review, results, exports, the analysis matrix and the API all dispatch through here.
This package knows no views (an import-linter contract keeps it so).
"""

from __future__ import annotations

from typing import Any

from consult.models import QuestionKind
from consult.models.types import OtherValue

from .base import Kind, Shown
from .likert import Likert
from .multiple_choice import MultipleChoice
from .open_text import OpenText
from .principle_rating import PrincipleRating
from .ranking import Ranking
from .single_choice import SingleChoice
from .statements import Statements

__all__ = ["Kind", "Shown", "all_kinds", "choices", "get", "is_known", "register", "stored_value",
           "unregister"]

_REGISTRY: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add a kind (an instance); its `value` must be new and fit the column (24 chars)."""
    if kind.value in _REGISTRY:
        raise ValueError(f"question kind {kind.value!r} is registered already")
    if not 0 < len(kind.value) <= 24:
        raise ValueError(f"question kind {kind.value!r} must have 1 to 24 characters")
    _REGISTRY[kind.value] = kind
    return kind


def unregister(value: str) -> None:
    """Remove a kind again (for tests that register one)."""
    _REGISTRY.pop(value, None)


def get(value: Any) -> Kind:
    """The kind with this value (a QuestionKind member or the text); KeyError if unknown."""
    return _REGISTRY[str(value)]


def is_known(value: Any) -> bool:
    return str(value) in _REGISTRY


def stored_value(value: str) -> QuestionKind | OtherValue:
    """What `Question.kind` holds for a registered kind: the QuestionKind member, or an
    OtherValue for a kind registered at run time. KeyError when no kind has the value."""
    kind = get(value)
    try:
        return QuestionKind(kind.value)
    except ValueError:
        return OtherValue(kind.value)


def all_kinds() -> list[Kind]:
    """Every registered kind, in the order they were registered."""
    return list(_REGISTRY.values())


def choices() -> list[tuple[str, Any]]:
    """(value, label) per kind, for the officials' question form."""
    return [(kind.value, kind.label) for kind in _REGISTRY.values()]


for _kind in (PrincipleRating(), Statements(), Likert(), SingleChoice(), MultipleChoice(),
              Ranking(), OpenText()):
    register(_kind)
