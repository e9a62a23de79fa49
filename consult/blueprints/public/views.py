"""The public pages: home, about, privacy and accessibility statements, health, security.txt."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request

from consult.services.consultations.editing import public_consultations
from consult.services.consultations.results import card_facts

from ... import __version__
from ...database import database_answers, read_only_request
from ...extensions import db, limiter
from ...i18n import select_locale
from ...models import ConsultationStatus, utcnow
from ...services import catalogue
from ...services.events import queries as event_queries
from ...services.paging import Page
from .. import anonymous_pages

bp = Blueprint("public", __name__)

#: When the accessibility statement was last drawn up; change it with the text.
ACCESSIBILITY_STATEMENT_DATE = date(2026, 11, 28)


@bp.get("/")
def home() -> str:
    """What is open now (with its deadline, size and responses so far), the coming
    tastings and meetings with their seats, and what happened with earlier input."""
    read_only_request()
    groups = public_consultations()
    reports = [c for c in groups["closed"]
               if c.effective_status() == ConsultationStatus.REPORT_PUBLISHED][:3]
    return render_template(
        "public/home.html",
        principles=catalogue.principles(),
        open_consultations=groups["open"],
        facts=card_facts(groups["open"]),
        reports=reports,
        upcoming_events=event_queries.upcoming(utcnow(), limit=3),
    )


@bp.get("/_design")
def design() -> str:
    """The living design system: every component as the stylesheet draws it
    (docs/DESIGN-SYSTEM.md). Development only: 404 unless config DESIGN_PAGE is on."""
    if not current_app.config.get("DESIGN_PAGE"):
        abort(404)
    sample = Page(items=list(range(51, 76)), total=240, page=3, per_page=25)
    return render_template(
        "public/design.html", sample_page=sample,
        sample_closes=datetime(2027, 1, 10, 11, 0, tzinfo=UTC),
        sample_starts=datetime(2026, 12, 20, 17, 0, tzinfo=UTC),
        sample_later=datetime(2027, 1, 15, 18, 30, tzinfo=UTC))


def _kept(key: tuple[object, ...], render: Callable[[], str]) -> str:
    """A page the same for every anonymous visitor in a language: rendered once per
    worker (anonymous_pages), fresh for anyone else (their menu, a message to show)."""
    if anonymous_pages.shareable():
        return anonymous_pages.rendered(
            (id(current_app._get_current_object()),  # type: ignore[attr-defined]
             str(db.engine.url), request.endpoint,
             select_locale(), *key), render)
    return render()


@bp.get("/about")
def about() -> str:
    topics = catalogue.topic_names()
    return _kept(topics, lambda: render_template("public/about.html", topics=topics))


@bp.get("/privacy")
def privacy() -> str:
    return _kept((), lambda: render_template("public/privacy.html"))


@bp.get("/accessibility")
def accessibility() -> str:
    return _kept((ACCESSIBILITY_STATEMENT_DATE,), lambda: render_template(
        "public/accessibility.html", statement_date=ACCESSIBILITY_STATEMENT_DATE))


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """503 when the database does not answer. When Redis is configured but does not
    answer, the site still works ("degraded", 200): rate limits count per worker
    ("rate_limits": "per-worker") and background jobs run in the web worker's threads."""
    ok = database_answers(db.engine)
    redis: bool | None = None
    if current_app.config.get("REDIS_URL"):
        redis = limiter.storage_answers()
    status = "unavailable" if not ok else "degraded" if redis is False else "ok"
    body = {
        "status": status, "version": __version__, "database": ok, "redis": redis,
        "rate_limits": "shared" if redis else "per-worker",
    }
    return jsonify(body), 200 if ok else 503


@bp.get("/.well-known/security.txt")
def security_txt() -> Response:
    contact = current_app.config["SECURITY_CONTACT"]
    lines = [
        f"Contact: {contact}",
        "Expires: " + (utcnow() + timedelta(days=365)).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "Preferred-Languages: nl, en",
    ]
    return Response("\n".join(lines) + "\n", mimetype="text/plain")
