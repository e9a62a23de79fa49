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


def test_the_demo_has_a_past_tasting_whose_attendees_answered_before_and_after(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from consult.demo import tasting_rounds
    from consult.models import Registration, RegistrationStatus, Response
    from consult.services.insights import tasting_shift

    monkeypatch.setattr(consultations_demo, "RESPONSES", 40)
    monkeypatch.setattr(consultations_demo, "CLOSED_RESPONSES", 10)
    with app.test_request_context("/"):
        lines = load_demo_data(_no_progress)
        db.session.commit()
    assert any("past tasting: added" in line for line in lines)
    held = db.session.scalar(select(Event).where(Event.title_nl == tasting_rounds.TITLE_NL))
    consultation = db.session.scalar(select(Consultation).where(Consultation.slug == SLUG))
    assert held is not None and consultation is not None
    assert held.before_consultation_id == held.after_consultation_id == consultation.id
    came = db.session.scalars(select(Registration).where(
        Registration.event_id == held.id, Registration.checked_in_at.is_not(None))).all()
    assert len(came) == 20 and all(r.status == RegistrationStatus.ATTENDED for r in came)
    rounds = db.session.scalars(select(Response.survey_round).where(
        Response.registration_id.is_not(None))).all()
    assert sorted(set(rounds)) == ["after", "before"] and len(rounds) == 42

    shift = tasting_shift.opinion_shift_between(consultation.id, consultation.id,
                                                event_id=held.id)
    assert shift["n_pairs"] == 20 and not shift["too_few"]
    unnatural = next(i for i in shift["items"] if i["label_nl"].startswith(
        "Kweekvlees is onnatuurlijk"))
    assert unnatural["mean_change"] < 0 and unnatural["p_sign"] < 0.05
    assert [p["event"].title_nl for p in tasting_shift.tasting_pairs(consultation)][0] == \
        tasting_rounds.TITLE_NL  # the one held first comes first

    with app.test_request_context("/"):
        again = load_demo_data(_no_progress)
        db.session.commit()
    assert any("past tasting: exists" in line for line in again)
    assert db.session.scalar(select(db.func.count()).select_from(Registration).where(
        Registration.event_id == held.id)) == 22
