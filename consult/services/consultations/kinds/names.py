"""The one spelling of a question's HTML field names and of its export column keys.

Field names: `q<id>` (likert, single and multiple choice, open text), `q<id>-<principle
code>` (principle rating), `q<id>-s<statement id>` (statement vote), `q<id>-new` (a
proposed statement), `q<id>-o<option id>` (rank of an option). A kind may use any other
`q<id>-<suffix>` of its own.

Export keys: `q<id>` (one column per question), `q<id>.<principle code>` and
`s<statement id>`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

FIELD_NAME = re.compile(r"^q(\d+)(?:-(.+))?$")


def field(question_id: int) -> str:
    """The name of a question's input, and the key of its error message."""
    return f"q{question_id}"


def sub_field(question_id: int, suffix: str) -> str:
    return f"{field(question_id)}-{suffix}"


def statement_field(question_id: int, statement_id: int) -> str:
    return sub_field(question_id, f"s{statement_id}")


def option_field(question_id: int, option_id: int) -> str:
    return sub_field(question_id, f"o{option_id}")


def proposal_field(question_id: int) -> str:
    return sub_field(question_id, "new")


def suffixes(names: Iterable[str], question_id: int) -> Iterator[str]:
    """The part after `q<id>-` of every name of this question ("" for `q<id>` itself)."""
    for name in names:
        match = FIELD_NAME.match(name)
        if match and int(match.group(1)) == question_id:
            yield match.group(2) or ""


def numbered(suffix: str, letter: str) -> int | None:
    """The id in a suffix like `s12` or `o3`, or None when it is not one."""
    if suffix.startswith(letter) and suffix[1:].isdigit():
        return int(suffix[1:])
    return None


def export_key(question_id: int, sub: str | None = None) -> str:
    return f"q{question_id}.{sub}" if sub else f"q{question_id}"


def statement_key(statement_id: int) -> str:
    return f"s{statement_id}"
