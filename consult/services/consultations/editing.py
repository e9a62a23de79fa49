"""Consultations for officials: make, edit, schedule, open, close, publish the report.

Times: officials enter local Dutch time; it is stored in UTC, by the rule of
consult.timezone (a time in the hour skipped in spring is refused; one in the hour
repeated in autumn is its first occurrence).

Status transitions (see models.consultation for how dates decide the effective status):
- draft -> scheduled: needs open and close times, a close after the open, and at least
  one question;
- scheduled -> open now: the open time becomes now;
- open -> closed now: the close time becomes now;
- closed -> report published: needs the report summary in at least one language.
Questions, their options and statements are edited in `questions`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from consult.extensions import db
from consult.models import (
    Audience,
    Consultation,
    ConsultationDocument,
    ConsultationStatus,
    Topic,
    User,
    utcnow,
)
from consult.services import DomainError, audit, raise_all
from consult.timezone import NONEXISTENT_MESSAGE, NonexistentLocalTime, to_local, to_utc

MAX_PDF_BYTES = 10 * 1024 * 1024


def local_to_utc(value: datetime | None) -> datetime | None:
    """A naive local (Amsterdam) time as aware UTC; a non-existent local time is refused."""
    if value is None:
        return None
    try:
        return to_utc(value)
    except NonexistentLocalTime:
        raise DomainError(NONEXISTENT_MESSAGE) from None


def utc_to_local(value: datetime | None) -> datetime | None:
    return to_local(value) if value is not None else None


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:70] or "consultation"


def unique_slug(base: str, exclude_id: int | None = None) -> str:
    slug, n = base, 2
    while True:
        found = db.session.scalar(select(Consultation.id).filter_by(slug=slug))
        if found is None or found == exclude_id:
            return slug
        slug = f"{base}-{n}"
        n += 1


@dataclass
class ConsultationData:
    title_nl: str
    title_en: str = ""
    summary_nl: str = ""
    summary_en: str = ""
    body_nl: str = ""
    body_en: str = ""
    topic_id: int | None = None
    opens_at_local: datetime | None = None
    closes_at_local: datetime | None = None
    audience: Audience = Audience.ANYONE
    slug: str = ""


def consultation_problems(data: ConsultationData,
                          unknown: frozenset[str] = frozenset()) -> list[DomainError]:
    """Every rule the data breaks, each at its field (the form shows them all at once);
    fields in `unknown` (the form could not read them) are not judged."""
    problems = []
    if ("topic_id" not in unknown and data.topic_id is not None
            and db.session.get(Topic, data.topic_id) is None):
        problems.append(DomainError(_l("Choose a topic from the list."), "topic_id"))
    opens = local_to_utc(data.opens_at_local) if "opens_at" not in unknown else None
    closes = local_to_utc(data.closes_at_local) if "closes_at" not in unknown else None
    if opens and closes and closes <= opens:
        problems.append(DomainError(_l("The close must come after the open."), "closes_at"))
    return problems


def _apply(consultation: Consultation, data: ConsultationData) -> None:
    raise_all(consultation_problems(data))
    opens = local_to_utc(data.opens_at_local)
    closes = local_to_utc(data.closes_at_local)
    for name in ("title_nl", "title_en", "summary_nl", "summary_en", "body_nl", "body_en"):
        setattr(consultation, name, getattr(data, name).strip())
    consultation.topic_id = data.topic_id
    consultation.opens_at, consultation.closes_at = opens, closes
    consultation.audience = data.audience


def create_consultation(actor: User, data: ConsultationData) -> Consultation:
    consultation = Consultation(created_by_id=actor.id, status=ConsultationStatus.DRAFT)
    _apply(consultation, data)
    consultation.slug = unique_slug(slugify(data.slug or data.title_nl))
    db.session.add(consultation)
    db.session.flush()
    audit.record(actor, "consultation.create", consultation, slug=consultation.slug)
    return consultation


def update_consultation(actor: User, consultation: Consultation, data: ConsultationData) -> None:
    was_open = consultation.effective_status() not in (ConsultationStatus.DRAFT,
                                                       ConsultationStatus.SCHEDULED)
    old_opens = consultation.opens_at
    _apply(consultation, data)
    if was_open and consultation.opens_at != old_opens:
        consultation.opens_at = old_opens
        raise DomainError(_l("The open time cannot change once the consultation has opened."),
                          "opens_at")
    db.session.flush()
    audit.record(actor, "consultation.update", consultation)


# --- status ------------------------------------------------------------------------

def schedule(actor: User, consultation: Consultation) -> None:
    if consultation.status != ConsultationStatus.DRAFT:
        raise DomainError(_l("Only a draft can be scheduled."))
    if consultation.opens_at is None or consultation.closes_at is None:
        raise DomainError(_l("Set the open and close times first."))
    if consultation.closes_at <= utcnow():
        raise DomainError(_l("The close time has passed. Choose a later close time."))
    if not consultation.questions:
        raise DomainError(_l("Add at least one question first."))
    consultation.status = ConsultationStatus.SCHEDULED
    db.session.flush()
    audit.record(actor, "consultation.schedule", consultation)


def open_now(actor: User, consultation: Consultation) -> None:
    if consultation.effective_status() != ConsultationStatus.SCHEDULED:
        raise DomainError(_l("Only a scheduled consultation can be opened."))
    now = utcnow()
    if consultation.closes_at is not None and consultation.closes_at <= now:
        raise DomainError(_l("The close time has passed. Choose a later close time."))
    consultation.opens_at = now
    consultation.status = ConsultationStatus.OPEN
    db.session.flush()
    audit.record(actor, "consultation.open", consultation)


def close_now(actor: User, consultation: Consultation) -> None:
    if consultation.effective_status() != ConsultationStatus.OPEN:
        raise DomainError(_l("Only an open consultation can be closed."))
    consultation.closes_at = utcnow()
    consultation.status = ConsultationStatus.CLOSED
    db.session.flush()
    audit.record(actor, "consultation.close", consultation)


def save_report(actor: User, consultation: Consultation, texts: dict[str, str]) -> None:
    for name in ("report_summary_nl", "report_summary_en", "report_outcome_nl",
                 "report_outcome_en"):
        setattr(consultation, name, (texts.get(name) or "").strip())
    db.session.flush()
    audit.record(actor, "consultation.report_save", consultation)


def publish_report(actor: User, consultation: Consultation) -> None:
    if consultation.effective_status() != ConsultationStatus.CLOSED:
        raise DomainError(_l("The report can be published only after the close."))
    if not (consultation.report_summary_nl or consultation.report_summary_en):
        raise DomainError(_l("Write the summary of the report first."))
    consultation.status = ConsultationStatus.REPORT_PUBLISHED
    consultation.report_published_at = utcnow()
    db.session.flush()
    audit.record(actor, "consultation.report_publish", consultation)


# --- documents -------------------------------------------------------------------------

def add_document(actor: User, consultation: Consultation, title_nl: str, title_en: str,
                 url: str | None = None, filename: str | None = None,
                 content: bytes | None = None,
                 check_only: bool = False) -> ConsultationDocument | None:
    """A link (http/https) or an uploaded PDF (checked by its first bytes, at most 10 MB).
    `check_only`: raise what is wrong, add nothing (the form had mistakes of its own)."""
    problems = []
    if not title_nl.strip() and not title_en.strip():
        problems.append(DomainError(_l("Give the document a title."), "title_nl"))
    if content is not None and len(content) > MAX_PDF_BYTES:
        problems.append(DomainError(_l("The file is larger than 10 MB."), "file"))
    elif content is not None and not content.startswith(b"%PDF-"):
        problems.append(DomainError(_l("The file is not a PDF. Upload a PDF file."), "file"))
    elif content is None and url and (len(url) > 500
                                      or not re.match(r"^https?://[^\s]+$", url)):
        problems.append(DomainError(_l("Enter a web address starting with https://."), "url"))
    elif content is None and not url:
        problems.append(DomainError(_l("Upload a PDF or enter a link."), "file"))
    raise_all(problems)
    if check_only:
        return None
    if content is not None:
        url = None
        safe_name = re.sub(r"[^A-Za-z0-9._-]+", "-", filename or "document.pdf")[:150]
        if not safe_name.lower().endswith(".pdf"):
            safe_name += ".pdf"
        filename = safe_name
    document = ConsultationDocument(
        title_nl=title_nl.strip(), title_en=title_en.strip(), url=url,
        filename=filename if content is not None else None,
        size=len(content) if content is not None else None, content=content,
    )
    consultation.documents.append(document)
    db.session.flush()
    audit.record(actor, "document.add", document, consultation=consultation.slug)
    return document


def remove_document(actor: User, document: ConsultationDocument) -> None:
    audit.record(actor, "document.remove", document)
    document.consultation.documents.remove(document)
    db.session.flush()


# --- reading ---------------------------------------------------------------------------

def by_slug(slug: str) -> Consultation | None:
    return db.session.scalar(select(Consultation).filter_by(slug=slug))


def public_consultations(topic_code: str | None = None) -> dict[str, list[Consultation]]:
    """Non-draft consultations grouped as open, upcoming and closed (incl. reported)."""
    query = select(Consultation).where(Consultation.is_public)
    if topic_code:
        query = query.join(Topic, Consultation.topic_id == Topic.id).where(
            Topic.code == topic_code)
    groups: dict[str, list[Consultation]] = {"open": [], "upcoming": [], "closed": []}
    now = utcnow()
    for consultation in db.session.scalars(query.order_by(Consultation.opens_at.desc())):
        status = consultation.effective_status(now)
        key = {ConsultationStatus.OPEN: "open", ConsultationStatus.SCHEDULED: "upcoming"}.get(
            status, "closed")
        groups[key].append(consultation)
    groups["open"].sort(key=lambda c: c.closes_at or now)
    groups["upcoming"].sort(key=lambda c: c.opens_at or now)
    return groups


def all_consultations() -> Sequence[Consultation]:
    return db.session.scalars(
        select(Consultation).order_by(Consultation.created_at.desc())
    ).all()

