"""The security world plus one of every status: demo-like data for pages that show codes.

`add_every_status(world)` adds, mostly through the real services: consultations that are
draft, scheduled, closed and with a published report; an approved and a hidden answer;
statements that are pending, approved and hidden, with principles; events that are
draft, cancelled and completed; a registration in every status; analysis runs queued,
running and failed; a withdrawn response; and an audit entry for every action the code
records (found in the source by `audit_actions()`), with the details it gives.
The extra pages to visit are in `world.extra["urls"]`.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from consult.extensions import db
from consult.models import (
    AnalysisRun,
    AnalysisStatus,
    Answer,
    ConsultationStatus,
    EventStatus,
    ModerationStatus,
    Principle,
    QuestionKind,
    RegistrationMode,
    RegistrationStatus,
    utcnow,
)
from consult.services import audit
from consult.services.consultations import editing, moderation
from consult.services.events import manage
from consult.services.events import registration as registration_service
from tests.factories.consultations import build_consultation, q
from tests.factories.events import adult, make_event_in_db
from tests.support.security_world import World

SOURCE = Path(__file__).resolve().parents[2] / "consult"
_RECORD = re.compile(r"record\(\s*[\w.]+,\s*\"([a-z_]+\.[a-z_]+)\"")
_CALL = re.compile(r"\brecord\((?:[^()]|\([^()]*\))*\)")


def audit_actions() -> set[str]:
    """Every audit action the code records: the literal ones, and the moderation ones
    it builds from the item's kind."""
    found = {m.group(1) for path in SOURCE.rglob("*.py") for m in
             _RECORD.finditer(path.read_text(encoding="utf-8"))}
    return found | {f"{kind}.{act}" for kind in ("answer", "statement")
                    for act in ("approve", "hide")}


def audit_detail_keys() -> set[str]:
    """Every keyword (detail) given to `audit.record` in the code."""
    return {key for path in SOURCE.rglob("*.py") for call in
            _CALL.findall(path.read_text(encoding="utf-8"))
            for key in re.findall(r"\b([a-z_]+)=", call)}


#: The details the code records, by key, with a value like the real one.
DETAILS = {"consultation": "kweekvlees", "text": "Vraag", "deleted": 2, "anonymised": 1,
           "count": 3, "reason": "Spam", "mailed": 4, "verdict": "safe", "product": 1,
           "version": 2, "user": 1, "events": [1, 2], "old": "citizen", "new": "organiser",
           "run": 1, "slug": "kweekvlees", "cancelled": 1, "provider": "DigiD",
           "route": "eHerkenning"}


def _consultations(world: World) -> list[str]:
    official = world.users["official"]
    draft = build_consultation(slug="concept", opened=False)
    draft.status, draft.opens_at, draft.closes_at = ConsultationStatus.DRAFT, None, None
    build_consultation(slug="gepland", opened=False)
    closed = build_consultation(slug="gesloten")
    editing.close_now(official, closed)
    published = build_consultation(slug="verslag")
    editing.close_now(official, published)
    published.report_summary_nl, published.report_summary_en = "Wat we hoorden.", "What we heard."
    editing.publish_report(official, published)
    urls = []
    for slug in ("concept", "gepland", "gesloten", "verslag"):
        urls += [f"/officials/consultations/{slug}", f"/consultations/{slug}",
                 f"/officials/consultations/{slug}/report", f"/consultations/{slug}/report"]
    return urls + [f"/officials/consultations/{world.consultation.slug}/status/close",
                   "/officials/consultations/gesloten/status/publish"]


def _moderation(world: World) -> list[str]:
    official, c = world.users["official"], world.consultation
    answers = db.session.scalars(select(Answer).where(
        Answer.question_id == q(c, QuestionKind.OPEN_TEXT).id)).all()
    moderation.moderate_answer(official, answers[0], True)
    moderation.moderate_answer(official, answers[1], False, "Not about the topic")
    question = q(c, QuestionKind.STATEMENTS)
    statements = list(question.statements)
    statements[0].principles = list(db.session.scalars(select(Principle).where(
        Principle.code.in_(("safety", "justice")))))
    for statement, status in zip(statements[1:], (ModerationStatus.PENDING,
                                                  ModerationStatus.HIDDEN), strict=False):
        statement.status = status
    return [f"/officials/consultations/{c.slug}/questions/{question.id}",
            f"/officials/consultations/{c.slug}/moderation?status=hidden",
            f"/officials/consultations/{c.slug}/moderation?status=approved"]


def _events(world: World) -> list[str]:
    organiser = world.users["organiser_a"]
    now = utcnow().replace(microsecond=0)
    draft = make_event_in_db(organiser, status=EventStatus.DRAFT, title_en="Draft meeting")
    cancelled = make_event_in_db(organiser, title_en="Cancelled meeting")
    manage.cancel_event(organiser, cancelled)
    held = make_event_in_db(organiser, starts_at=now - timedelta(days=2), title_en="Held")
    manage.complete(organiser, held)
    chosen = make_event_in_db(organiser, registration_mode=RegistrationMode.SELECTION,
                              capacity=20, title_en="Chosen meeting")
    for n, status in enumerate(RegistrationStatus):
        registration, _ = registration_service.register(chosen, adult(f"p{n}@example.nl"))
        registration.status = status
    urls = []
    for event in (draft, cancelled, held, chosen):
        urls += [f"/organise/events/{event.id}", f"/events/{event.id}",
                 f"/organise/events/{event.id}/registrations"]
    return urls + [f"/organise/events/{chosen.id}/cancel",
                   f"/organise/events/{held.id}/complete"]


def _runs_and_audit(world: World) -> list[str]:
    official, c = world.users["official"], world.consultation
    for status in (AnalysisStatus.QUEUED, AnalysisStatus.RUNNING, AnalysisStatus.FAILED):
        db.session.add(AnalysisRun(consultation=c, status=status, created_by_id=official.id,
                                   error="boom" if status == AnalysisStatus.FAILED else None))
    for action in sorted(audit_actions()):
        audit.record(official, action, c, **DETAILS)
    pages = 1 + (len(audit_actions()) + 60) // 50
    return [f"/admin/audit?page={n}" for n in range(1, pages + 1)]


def add_every_status(world: World) -> World:
    with world.app.test_request_context("/", headers={"Accept-Language": "en"}):
        urls = _consultations(world) + _moderation(world) + _events(world)
        urls += _runs_and_audit(world)
        db.session.commit()
    world.extra["urls"] = urls
    return world
