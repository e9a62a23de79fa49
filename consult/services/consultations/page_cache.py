"""What the public consultation page shows, cached per worker process.

The page's fixed part (title, summary, the body rendered from Markdown and cleaned, the
topic's name, the documents) changes only when an official edits the consultation, so
it is built once per (consultation id, version, locale) and kept in this process.

The rule that keeps the cache true: `Consultation.version` is raised in the same flush
as any change to the consultation or to anything of its structure (questions, options,
conditions, statements, documents). A listener on every session's flush does this (see
models.consultation), so no service can forget it; another worker sees the new version
in the row it loads anyway and builds a fresh copy. Responses, votes and registrations
do not raise it.

Keys also hold the database's URL and the consultation's creation time, so two
databases served by one process (tests do this) never share an entry.

The page's count of published responses is kept for `COUNT_MAX_AGE` seconds per
process: under load the page does not count thousands of rows on every view, and the
figure is at most that many seconds behind.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import Connection, Engine, bindparam, func, select

from consult.database import CheapSelect, autocommit_read
from consult.extensions import db
from consult.models import Consultation, ConsultationStatus, Response
from consult.models.consultation import effective_status
from consult.sanitize import markdown_to_html
from consult.services.consultations.results import counted_filter
from consult.services.kept import KeptCopies

#: At most this many (consultation, version, locale) entries per process.
MAX_ENTRIES = 256
#: How long (seconds) a worker reuses a consultation's count of published responses.
COUNT_MAX_AGE = 10.0


@dataclass(frozen=True)
class DocumentLink:
    id: int
    title: str
    url: str | None
    size_kb: int


@dataclass(frozen=True)
class ConsultationPage:
    """The fixed part of a consultation's public page, in one language."""

    #: (database, consultation id, created at, version, locale): unique per content.
    key: tuple[object, ...]
    title: str
    summary: str
    body_html: Markup
    topic_name: str
    documents: tuple[DocumentLink, ...]


_pages: KeptCopies[ConsultationPage] = KeptCopies(MAX_ENTRIES)
_counts: dict[tuple[object, ...], tuple[float, int]] = {}
_lock = threading.Lock()


def _url(engine: Engine) -> str:
    """The engine's URL as text (made once per engine: rendering it costs a little)."""
    url: str | None = engine.__dict__.get("consult_url_text")
    if url is None:
        url = engine.__dict__["consult_url_text"] = str(engine.url)
    return url


def _identity(consultation: Consultation) -> tuple[object, ...]:
    return (_url(db.engine), consultation.id, consultation.created_at)


def _build(consultation: Consultation, locale: str,
           key: tuple[object, ...]) -> ConsultationPage:
    return ConsultationPage(
        key=key,
        title=consultation.title(locale),
        summary=consultation.summary(locale),
        body_html=markdown_to_html(consultation.body(locale)),
        topic_name=consultation.topic.name(locale) if consultation.topic else "",
        documents=tuple(
            DocumentLink(d.id, d.title(locale), d.url, -(-(d.size or 0) // 1024))
            for d in consultation.documents
        ),
    )


def public_page(consultation: Consultation, locale: str) -> ConsultationPage:
    """The page's fixed part, from this process's cache when the version matches."""
    key = (*_identity(consultation), consultation.version or 1, locale)
    return _pages.get_or_make(key, lambda: _build(consultation, locale, key))


def published_count(consultation: Consultation, max_age: float = COUNT_MAX_AGE) -> int:
    """The number of published responses, at most `max_age` seconds old in this process."""
    return _published_count(_identity(consultation), consultation.id, max_age)


@dataclass(frozen=True)
class PageState:
    """What the anonymous page's kept copy is keyed on, read without the ORM."""

    id: int
    key: tuple[object, ...]  # as ConsultationPage.key
    status: ConsultationStatus  # effective now
    count: int


#: Built once: the statement's compiled form is cached by SQLAlchemy, and building the
#: select on every request would cost more than running it.
_COLUMNS = Consultation.__table__.c
_STATE_QUERY = CheapSelect(
    select(_COLUMNS.id, _COLUMNS.created_at, _COLUMNS.version, _COLUMNS.status,
           _COLUMNS.opens_at, _COLUMNS.closes_at)
    .where(_COLUMNS.slug == bindparam("slug")))


def anonymous_state(slug: str, locale: str) -> PageState | None:
    """The key of a public consultation's anonymous page, from one light query (the
    columns the key needs, no ORM object, no session): the same key `public_page` and
    `published_count` give for the full row. None for an unknown slug or a draft."""
    engine = db.engine

    def read(connection: Connection) -> PageState | None:
        row = _STATE_QUERY.first(connection, slug=slug)
        if row is None:
            return None
        id_, created_at, version, status, opens_at, closes_at = row
        if status == ConsultationStatus.DRAFT:
            return None
        identity = (_url(engine), id_, created_at)
        return PageState(
            id=id_, key=(*identity, version or 1, locale),
            status=effective_status(status, opens_at, closes_at),
            count=_published_count(identity, id_, COUNT_MAX_AGE, connection))

    # A connection of its own in autocommit, not the ORM session: no session, no BEGIN
    # and no ROLLBACK for a request that answers from the kept page.
    return autocommit_read(engine, read)


def _published_count(key: tuple[object, ...], consultation_id: int, max_age: float,
                     connection: Connection | None = None) -> int:
    now = time.monotonic()
    with _lock:
        found = _counts.get(key)
    if found is not None and now - found[0] < max_age:
        return found[1]
    query = select(func.count(Response.id)).where(*counted_filter(consultation_id, True))
    count = (connection.scalar(query) if connection is not None
             else db.session.scalar(query)) or 0
    with _lock:
        if len(_counts) >= MAX_ENTRIES:
            _counts.clear()
        _counts[key] = (now, count)
    return count


def clear() -> None:
    _pages.clear()
    with _lock:
        _counts.clear()

