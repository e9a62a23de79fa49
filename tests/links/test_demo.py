"""The demo tasting links the demo cultivated-meat consultation before and after, once."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from consult.demo import consultations as consultations_demo
from consult.demo.consultations import SLUG
from consult.demo.events import TASTING_TITLE
from consult.demo.steps import load_demo_data
from consult.extensions import db
from consult.models import Consultation, Event


def _no_progress(_label: str, _total: int):  # type: ignore[no-untyped-def]
    return lambda _n=1: None


def test_demo_tasting_asks_for_the_demo_consultation_before_and_after(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(consultations_demo, "RESPONSES", 40)  # the links, not the bulk
    monkeypatch.setattr(consultations_demo, "CLOSED_RESPONSES", 10)
    with app.test_request_context("/"):
        first = load_demo_data(_no_progress)
        db.session.commit()
    tasting = db.session.scalar(select(Event).where(Event.title_nl == TASTING_TITLE))
    consultation = db.session.scalar(select(Consultation).where(Consultation.slug == SLUG))
    assert tasting is not None and consultation is not None
    assert tasting.before_consultation_id == consultation.id
    assert tasting.after_consultation_id == consultation.id
    assert any("linked" in line and SLUG in line for line in first)

    with app.test_request_context("/"):
        again = load_demo_data(_no_progress)
        db.session.commit()
    assert any("tasting questionnaires: exists" in line for line in again)
    db.session.expire_all()
    assert (tasting.before_consultation_id, tasting.after_consultation_id) == (
        consultation.id, consultation.id)

    page = app.test_client().get(f"/events/{tasting.id}?lang=nl").get_data(as_text=True)
    assert "Vul vóór en na de proeverij deze vragenlijst in:" in page
    assert f'href="/consultations/{SLUG}"' in page
