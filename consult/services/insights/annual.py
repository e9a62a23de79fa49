"""The annual overview for the report to Parliament.

For a calendar year (Europe/Amsterdam): every consultation that was open at some moment
in that year (drafts never count), with its participation per respondent category
(counted responses; a category of fewer than 5 shows "fewer than 5"), the main groups
and consensus statements of its newest finished analysis; and every event in the year
(`events_in_year`).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select

from consult.extensions import db
from consult.models import Consultation
from consult.services.consultations.results import response_counts
from consult.services.insights.run import newest_done
from consult.services.insights.snapshot import CATEGORIES, MIN_CELL, suppressed
from consult.timezone import LOCAL_ZONE

MAIN_GROUPS = 5


def year_bounds(year: int) -> tuple[datetime, datetime]:
    return (datetime(year, 1, 1, tzinfo=LOCAL_ZONE), datetime(year + 1, 1, 1, tzinfo=LOCAL_ZONE))


def consultations_in_year(year: int) -> list[Consultation]:
    start, end = year_bounds(year)
    return list(db.session.scalars(
        select(Consultation).where(
            Consultation.is_public,
            Consultation.opens_at.is_not(None), Consultation.opens_at < end,
            or_(Consultation.closes_at.is_(None), Consultation.closes_at >= start))
        .order_by(Consultation.opens_at, Consultation.id)))


def events_in_year(year: int) -> list[dict[str, Any]]:
    """Events starting in `year` that were published (drafts are left out)."""
    from consult.models import Event, EventStatus

    start, end = year_bounds(year)
    events = db.session.scalars(select(Event).where(
        Event.starts_at >= start, Event.starts_at < end, Event.status != EventStatus.DRAFT
    ).order_by(Event.starts_at))
    return [{"event": e, "title_nl": e.title_nl, "title_en": e.title_en,
             "starts_at": e.starts_at, "kind": e.kind.value,
             "participants": suppressed(int(e.seats_taken or 0))}
            for e in events]


def _main_groups(results: dict[str, Any]) -> list[dict[str, Any]]:
    groups = []
    for g in results.get("groups", []):
        if g["suppressed"]:
            continue
        counted = [c for c in g.get("composition", []) if c["count"]]
        top = max(counted, key=lambda c: c["count"], default=None)
        groups.append({"letter": g["letter"], "size": g["size"], "share": g.get("share"),
                       "top_category": top["category"] if top else None,
                       "statements": g.get("statements", [])[:2]})
    return groups[:MAIN_GROUPS]


def overview(year: int) -> dict[str, Any]:
    """Everything the annual page shows, with the privacy rule applied."""
    rows = []
    totals: Counter[str] = Counter()
    for consultation in consultations_in_year(year):
        counts = response_counts(consultation, public=False)
        totals.update(counts["per_category"])
        run = newest_done(consultation)
        results = run.results if run is not None and run.results else {}
        rows.append({
            "consultation": consultation, "total": counts["total"],
            "participation": {c: suppressed(n) if n else 0
                              for c, n in counts["per_category"].items()},
            "analysed_at": run.finished_at if run is not None else None,
            "k": results.get("k", 0), "groups": _main_groups(results),
            "consensus": results.get("consensus", []),
            "summary": results.get("summary", {}),
        })
    return {
        "year": year, "consultations": rows, "events": events_in_year(year),
        "totals": {c: suppressed(totals[c]) if totals[c] else 0 for c in CATEGORIES},
        "total": sum(totals.values()), "min_cell": MIN_CELL,
    }
