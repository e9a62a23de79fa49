"""Exports of a consultation's responses: CSV (UTF-8 with BOM), XLSX and JSON.

One row per response, one column per question (per principle for a principle rating,
per statement for statements). The column order is stable: the fixed profile columns,
then the questions by position, principles by catalogue position, statements by id.

Public exports hold only published responses (submitted, not spam, consent to publish);
the organisation's name only with consent to publish with the name and once its declared
organisation is verified (`Response.public_name`; else "organisation (not verified)" in
the export's language); open texts only once
approved by a moderator. Internal exports hold every submitted response, with consent and
spam columns, and every text.

CSV is written by consult.csv_files: cells with text starting like a formula (=, +, -,
@) get a leading apostrophe so a spreadsheet shows them as text; XLSX cells are written
as strings, never formulas.

Memory stays flat: responses are read in chunks of `CHUNK` by id, with their answers and
votes fetched per chunk as plain tuples; CSV and JSON are generators; XLSX is written by
XlsxWriter in constant-memory mode to a file.

The generators read the database while they run, so they need a live session for their
whole life: the officials' view runs them in their own app context
(consult.blueprints.downloads), never on the request's session, which a server closes
before it sends the body.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import xlsxwriter
from flask_babel import force_locale
from sqlalchemy import select

from consult.csv_files import csv_chunks
from consult.extensions import db
from consult.models import (
    Answer,
    Consultation,
    RespondentCategory,
    Response,
    StatementVote,
)
from consult.services.catalogue import principles
from consult.services.consultations import kinds
from consult.services.consultations.kinds.names import statement_key
from consult.services.consultations.kinds.shapes import Column
from consult.services.consultations.results import PUBLISHABLE, counted_filter
from consult.services.organisations.labels import UNVERIFIED

CHUNK = 1000
CITIZEN = RespondentCategory.CITIZEN


PROFILE_COLUMNS = ["response", "submitted_at", "category", "organisation", "age_band",
                   "province"]
#: `round`: "before" or "after" for a tasting's two rounds ("" otherwise). The officials'
#: file holds both answers of such a person; the public file, like every figure, holds
#: each person once (`results.counted_filter`).
INTERNAL_COLUMNS = ["consent", "spam", "round"]


def columns(consultation: Consultation, public: bool, locale: str = "nl") -> list[Column]:
    cols = [Column(k, k) for k in PROFILE_COLUMNS]
    if not public:
        cols += [Column(k, k) for k in INTERNAL_COLUMNS]
    catalogue = principles()
    for question in consultation.questions:
        cols += kinds.get(question.kind).export_columns(question, public, locale, catalogue)
    return cols


def _chunks(consultation: Consultation, public: bool) -> Iterator[list[tuple[Any, ...]]]:
    last_id = 0
    name = Response.public_name if public else Response.organisation_name
    fields = (Response.id, Response.submitted_at, Response.category,
              name, Response.age_band, Response.province,
              Response.consent, Response.is_spam, Response.survey_round)
    counted = counted_filter(consultation.id, public, every_round=not public)
    while True:
        rows = db.session.execute(
            select(*fields).where(*counted, Response.id > last_id)
            .order_by(Response.id).limit(CHUNK)
        ).all()
        if not rows:
            return
        last_id = rows[-1][0]
        yield [tuple(r) for r in rows]


def iter_records(consultation: Consultation, public: bool,
                 locale: str = "nl") -> Iterator[tuple[list[Column], list[Any]]]:
    """(columns, values) per response, in id order; values follow `columns()`."""
    cols = columns(consultation, public, locale)
    index = {c.key: i for i, c in enumerate(cols)}
    questions = {q.id: q for q in consultation.questions}
    labels = {o.id: o.label(locale) for q in consultation.questions for o in q.options}
    statement_ids = {int(c.sub) for c in cols if c.key.startswith("s") and c.sub}
    with force_locale(locale):
        unverified = str(UNVERIFIED)
    for chunk in _chunks(consultation, public):
        ids = [r[0] for r in chunk]
        answers: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
        for row in db.session.execute(
            select(Answer.response_id, Answer.question_id, Answer.value, Answer.number,
                   Answer.text, Answer.moderation).where(Answer.response_id.in_(ids))
        ):
            answers[row[0]].append(tuple(row[1:]))
        votes: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for row in db.session.execute(
            select(StatementVote.response_id, StatementVote.statement_id, StatementVote.vote)
            .where(StatementVote.response_id.in_(ids))
        ):
            votes[row[0]].append((row[1], row[2]))
        for rid, submitted, category, organisation, age, province, consent, spam, rnd in chunk:
            values: list[Any] = [None] * len(cols)
            values[0] = rid
            values[1] = submitted.isoformat() if isinstance(submitted, datetime) else None
            values[2] = category.value if category else None
            if not public or organisation:
                values[3] = organisation
            elif consent == PUBLISHABLE[0] and category not in (None, CITIZEN):
                values[3] = unverified
            values[4], values[5] = age, province
            if not public:
                values[6] = consent.value if consent else None
                values[7] = bool(spam)
                values[8] = rnd or None
            for question_id, value, number, text, moderation in answers.get(rid, ()):
                question = questions.get(question_id)
                if question is None:
                    continue
                for key, cell in kinds.get(question.kind).export_cells(
                        question, (value, number, text, moderation), labels, public):
                    i = index.get(key)
                    if i is not None:
                        values[i] = cell
            for statement_id, vote in votes.get(rid, ()):
                if statement_id in statement_ids:
                    values[index[statement_key(statement_id)]] = vote
            yield cols, values


def csv_stream(consultation: Consultation, public: bool, locale: str = "nl") -> Iterator[str]:
    """CSV text in pieces (consult.csv_files): a BOM, the header, then the rows."""
    yield from csv_chunks(
        [c.header for c in columns(consultation, public, locale)],
        (values for _cols, values in iter_records(consultation, public, locale)))


def json_stream(consultation: Consultation, public: bool, locale: str = "nl") -> Iterator[str]:
    cols = columns(consultation, public, locale)
    head = {"consultation": consultation.slug, "public": public,
            "columns": [{"key": c.key, "header": c.header} for c in cols]}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "responses": ['
    first = True
    for _cols, values in iter_records(consultation, public, locale):
        item = json.dumps(dict(zip([c.key for c in cols], values, strict=True)),
                          ensure_ascii=False)
        yield item if first else "," + item
        first = False
    yield "]}"


def write_xlsx(consultation: Consultation, public: bool, path: str, locale: str = "nl") -> None:
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_urls": False,
                                          "strings_to_formulas": False})
    sheet = workbook.add_worksheet("responses")
    bold = workbook.add_format({"bold": True})
    try:
        for col, column in enumerate(columns(consultation, public, locale)):
            sheet.write_string(0, col, column.header, bold)
        for row, (_cols, values) in enumerate(iter_records(consultation, public, locale), start=1):
            for col, value in enumerate(values):
                if value is None:
                    continue
                if isinstance(value, bool):
                    sheet.write_boolean(row, col, value)
                elif isinstance(value, int | float):
                    sheet.write_number(row, col, value)
                else:
                    sheet.write_string(row, col, str(value))
    finally:
        workbook.close()  # removes its temporary files, also when writing failed
