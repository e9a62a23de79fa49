"""The fields of a respond form as a person sees them before answering, rendered once.

Most respond pages are shown blank: a respondent opens "about you" and each question page
once, before typing anything. A blank form's fields depend only on what the form asks
(for a question page: the kept structure's key and which of its questions this person
sees, and the principles a rating lists; for "about you": whether the e-mail address is
asked and the minimum age) and the language; the rest of the page (the step line, the
form's token) is the visitor's own. So the blank fields are rendered once per worker and
key and reused; a form with anything typed or any error is rendered afresh.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from markupsafe import Markup, escape

from consult.services.kept import KeptCopies

MAX_ENTRIES = 256

_kept: KeptCopies[Markup] = KeptCopies(MAX_ENTRIES)


def key(asks: tuple[Hashable, ...], typed: dict[str, list[str]],
        errors: dict[str, object]) -> tuple[Hashable, ...] | None:
    """The key of a blank form's fields (`asks`: everything the fields show, the
    language included), or None when the form is not blank (something typed or an
    error to show)."""
    if typed or errors:
        return None
    return asks


def fields(form_key: Hashable, render: Callable[[], Markup]) -> Markup:
    """The fields kept under `form_key`, rendered by `render` (the template's macro,
    which gives markup; anything else would be escaped) the first time."""
    return _kept.get_or_make(form_key, lambda: escape(render()))


def clear() -> None:
    _kept.clear()
