"""A question page's questions as a person sees them before answering, rendered once.

Most question pages are shown blank: a respondent opens each page once, before typing
anything. The fieldsets of a blank page depend only on its questions (the kept
structure's key and which of its questions this person sees), the principles a rating
lists, and the language; the rest of the page (the step line, the form's token) is the
visitor's own. So the blank fieldsets are rendered once per worker and key and reused;
a page with anything typed or any error is rendered afresh.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence

from markupsafe import Markup, escape

from consult.services.kept import KeptCopies

MAX_ENTRIES = 256

_kept: KeptCopies[Markup] = KeptCopies(MAX_ENTRIES)


def key(structure_key: tuple[object, ...], page: int, locale: str,
        question_ids: Sequence[int], principles: Sequence[Hashable],
        typed: dict[str, list[str]], errors: dict[str, object]) -> tuple[object, ...] | None:
    """The key of a blank page's fieldsets, or None when the page is not blank (something
    typed or an error to show)."""
    if typed or errors:
        return None
    return (structure_key, page, locale, tuple(question_ids), tuple(principles))


def fieldsets(page_key: Hashable, render: Callable[[], Markup]) -> Markup:
    """The fieldsets kept under `page_key`, rendered by `render` (the template's macro,
    which gives markup; anything else would be escaped) the first time."""
    return _kept.get_or_make(page_key, lambda: escape(render()))


def clear() -> None:
    _kept.clear()
