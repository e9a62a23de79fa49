"""CSV downloads: the one writer, with the rule against spreadsheet formulas.

A spreadsheet program runs a cell whose text starts with =, +, -, @, a tab or a carriage
return as a formula; such text gets a leading apostrophe so it is shown as text. Numbers
(including the -1 of a vote) are left alone, and None is an empty cell. Files start
with a byte order mark so spreadsheet programs read them as UTF-8.

Infrastructure: any layer may import it (like consult.sanitize).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Empty for None; text a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[Any]],
               rows_per_chunk: int = 500) -> Iterator[str]:
    """CSV text in pieces for a streamed response: the BOM, then the header and about
    `rows_per_chunk` rows per piece. The header is written as given; every row cell
    passes through `safe_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield BOM
    writer.writerow(header)
    for count, row in enumerate(rows, 1):
        writer.writerow([safe_cell(v) for v in row])
        if count % rows_per_chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The whole CSV file as one string (for small files)."""
    return "".join(csv_chunks(header, rows))
