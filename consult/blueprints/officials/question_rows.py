"""The rows of the question form (options and statements) without JavaScript.

The form's row buttons are submit buttons named `row`: "add-options", "options-2-up",
"statements-0-down", "principles" (the ethical principles as the options of a ranking).
`apply_row_action` answers such a post with the posted form changed as asked: one more
empty row, two rows swapped, or the options replaced by the principles. The page is then
shown again with everything typed kept; nothing is saved until "Save the question".
`option_rows` and `statement_rows` read the rows to save: removed and empty rows left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from consult.models import ModerationStatus, Question, QuestionKind
from consult.services.consultations import questions

from .forms import QuestionForm

#: empty rows added to a new form, and to a form opened for editing
EMPTY_ROWS = {"options": 3, "statements": 2}
_MOVE = re.compile(r"^(options|statements)-(\d{1,3})-(up|down)$")
_ADD = re.compile(r"^add-(options|statements)$")


@dataclass
class RowAction:
    """What a row button asked for: the changed form data, and the id of the element
    the page focuses when shown again (the new row, or the moved row's button)."""

    formdata: MultiDict[str, str]
    focus: str


def _rows(formdata: MultiDict[str, str], name: str) -> list[list[tuple[str, str]]]:
    """The posted rows of one list, in index order: (sub-name, value) pairs per row."""
    found: dict[int, list[tuple[str, str]]] = {}
    pattern = re.compile(rf"^{name}-(\d{{1,3}})-(\w+)$")
    for key, value in formdata.items(multi=True):
        match = pattern.match(key)
        if match:
            found.setdefault(int(match.group(1)), []).append((match.group(2), value))
    return [found[index] for index in sorted(found)]


def _with_rows(formdata: MultiDict[str, str], name: str,
               rows: list[list[tuple[str, str]]]) -> MultiDict[str, str]:
    """The form data with one list's rows replaced (numbered again from 0)."""
    kept = [(k, v) for k, v in formdata.items(multi=True) if not k.startswith(f"{name}-")]
    for index, row in enumerate(rows):
        # an empty Dutch text keeps a row that has nothing typed yet
        kept.extend([(f"{name}-{index}-{sub}", value) for sub, value in row] or
                    [(f"{name}-{index}-nl", "")])
    return MultiDict(kept)


def apply_row_action(formdata: MultiDict[str, str]) -> RowAction | None:
    """The posted form as the row button asked; None when no row button was pressed,
    i.e. the form is to be saved. A row button this does not know saves nothing."""
    if "row" not in formdata:
        return None
    action = formdata.get("row", "")
    data = MultiDict([(k, v) for k, v in formdata.items(multi=True) if k != "row"])
    if action == "principles":
        options = [[("nl", o.nl), ("en", o.en)] for o in questions.principle_options()]
        data = _with_rows(data, "options", options)
        data.setlist("kind", [QuestionKind.RANKING.value])
        return RowAction(data, "options-0-nl")
    if match := _ADD.match(action):
        name = match.group(1)
        rows = _rows(data, name)
        rows.append([])
        return RowAction(_with_rows(data, name, rows), f"{name}-{len(rows) - 1}-nl")
    if match := _MOVE.match(action):
        name, index, way = match.group(1), int(match.group(2)), match.group(3)
        rows = _rows(data, name)
        other = index - 1 if way == "up" else index + 1
        if not (0 <= index < len(rows) and 0 <= other < len(rows)):
            return RowAction(_with_rows(data, name, rows), "")
        rows[index], rows[other] = rows[other], rows[index]
        # the moved row's same button, or the other one at the end of the list
        at_end = other in (0, len(rows) - 1)
        focus_way = {"up": "down", "down": "up"}[way] if at_end else way
        return RowAction(_with_rows(data, name, rows), f"{name}-{other}-{focus_way}")
    return RowAction(data, "")


def initial_rows(question: Question | None) -> dict[str, list[dict[str, object]]]:
    """The rows a form opens with: the question's options and statements filled in,
    then a few empty rows."""
    options: list[dict[str, object]] = []
    statements: list[dict[str, object]] = []
    if question is not None:
        options = [{"id": str(o.id), "nl": o.label_nl, "en": o.label_en}
                   for o in question.options]
        statements = [{"nl": s.text_nl, "en": s.text_en, "principles": s.principle_codes,
                       "status": s.status.value} for s in question.statements]
    options += [{} for _ in range(EMPTY_ROWS["options"])]
    statements += [{} for _ in range(EMPTY_ROWS["statements"])]
    return {"options": options, "statements": statements}


def _both(nl: str | None, en: str | None) -> tuple[str, str]:
    """The two texts stripped; one left empty is the other's copy."""
    nl, en = (nl or "").strip(), (en or "").strip()
    return nl or en, en or nl


def option_rows(form: QuestionForm) -> list[questions.OptionRow]:
    rows = []
    for entry in form.options:
        nl, en = _both(entry.form.nl.data, entry.form.en.data)
        if entry.form.remove.data or not nl:
            continue
        known = entry.form.id.data or ""
        rows.append(questions.OptionRow(nl, en, int(known) if known.isdigit() else None))
    return rows


def statement_rows(form: QuestionForm) -> list[questions.StatementRow]:
    rows = []
    for entry in form.statements:
        nl, en = _both(entry.form.nl.data, entry.form.en.data)
        if entry.form.remove.data or not nl:
            continue
        rows.append(questions.StatementRow(nl, en, list(entry.form.principles.data or []),
                                           ModerationStatus(entry.form.status.data)))
    return rows
