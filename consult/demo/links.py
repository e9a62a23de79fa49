"""Demo: the demo tasting asks its participants to answer the demo consultation on
cultivated meat before and after tasting (issue 4).

The same consultation is linked before and after, as the demo has one open consultation
on the topic: registrants answer it twice through their personal links, once per round
(see services.events.survey_links; a held tasting with answers is in tasting_rounds).
Idempotent: the links are set only when they differ, and nothing is added.
"""

from __future__ import annotations

from sqlalchemy import select

from consult.extensions import db
from consult.models import Consultation, Event

from .consultations import SLUG
from .events import TASTING_TITLE
from .progress import Progress


def links_demo_step(_progress: Progress) -> list[str]:
    tasting = db.session.scalar(select(Event).where(Event.title_nl == TASTING_TITLE))
    consultation = db.session.scalar(select(Consultation).where(Consultation.slug == SLUG))
    if tasting is None or consultation is None:
        return ["tasting questionnaires: the demo tasting or consultation is missing"]
    wanted = (consultation.id, consultation.id)
    if (tasting.before_consultation_id, tasting.after_consultation_id) == wanted:
        return [f"tasting questionnaires: exists ({SLUG} before and after)"]
    tasting.before_consultation_id, tasting.after_consultation_id = wanted
    db.session.flush()
    return [f"tasting questionnaires: linked {SLUG} before and after the tasting"]
