"""The analysis service: the demo consultation, privacy, consent, bad data, the shift."""

from __future__ import annotations

import json

import numpy as np
from flask import Flask
from sqlalchemy import select

from analysis import OpinionClusters
from consult.demo import tasting_rounds
from consult.demo.consultations import SLUG
from consult.demo.steps import load_demo_data
from consult.extensions import db
from consult.models import (
    AnalysisStatus,
    Consultation,
    PublicationConsent,
    RespondentCategory,
    VerificationStatus,
)
from consult.services.insights import run as analysis
from consult.services.insights import tasting_shift
from consult.services.insights.matrix import build_matrix
from consult.services.insights.snapshot import groups_section
from tests.factories.consultations import build_consultation
from tests.factories.insights import add_response, two_camps
from tests.factories.organisations import declared_organisation
from tests.factories.users import PASSWORD, new_user


def _quiet(_label: str, _total: int):
    return lambda _n=1: None


def test_demo_consultation_has_three_to_five_groups_that_differ_in_make_up(
    db_app: Flask,
) -> None:
    with db_app.test_request_context("/"):
        load_demo_data(_quiet)
        db.session.commit()
        c = db.session.scalar(select(Consultation).filter_by(slug=SLUG))
        steps: list[str] = []
        run = analysis.run(c, progress=steps.append)
        db.session.commit()
        assert steps == list(analysis.STEPS)
        assert run.status == AnalysisStatus.DONE, run.error
        r = run.results
        # the synthetic ones and the tasting's people, each once (before and after: one)
        n = 3000 + tasting_rounds.EXPECTED_PEOPLE
        assert r["n_respondents"] == n and r["notice"] is None
        assert 3 <= r["k"] <= 5
        groups = [g for g in r["groups"] if not g["suppressed"]]
        # the groups differ in who they are: the citizen share spreads widely
        citizen_share = [next(c["share"] for c in g["composition"] if c["category"] == "citizen")
                         for g in groups]
        assert max(citizen_share) - min(citizen_share) > 0.25
        company_share = [next(c["share"] or 0 for c in g["composition"]
                              if c["category"] == "company") for g in groups]
        assert max(company_share) - min(company_share) > 0.15
        assert all(g["statements"] for g in groups)
        assert r["divisive"] and len(r["respondents"]) == len(r["labels"]) == n
        assert len(r["map"]["points"]) == n and not r["map"]["sampled"]
        assert set(run.versions) == {"numpy", "scikit-learn", "scipy", "consult"}
        assert run.timings["total"] > 0 and run.started_at and run.finished_at
        # the summary exists in both languages and they differ
        assert any(line.startswith("Groep A (") for line in r["summary"]["nl"])
        assert any(line.startswith("Group A (") for line in r["summary"]["en"])
        assert r["strength"]["level"] in ("strong", "moderate", "weak")
        assert "natuurlijkheid" in " ".join(r["summary"]["nl"]).lower()
        assert "naturalness" in " ".join(r["summary"]["en"]).lower()
        assert r["topics"] and all(t["topics"] for t in r["topics"] if t["n_texts"] > 50)


def _clusters(labels: list[int], k: int) -> OpinionClusters:
    lab = np.array(labels, dtype=np.int64)
    n = lab.size
    coords = np.column_stack([lab.astype(float), np.zeros(n)])
    return OpinionClusters(
        labels=lab, k=k, coords=coords, components=np.zeros((2, 1)), center=np.zeros(1),
        centroids=np.array([[float(g), 0.0] for g in range(k)]), item_means=np.zeros((k, 1)),
        sizes=np.bincount(lab[lab >= 0], minlength=k), silhouette=None,
        clustered=lab >= 0)


def test_no_group_or_category_under_five_is_shown(consultation: Consultation) -> None:
    # 12 in group A (8 citizens, 4 companies) and 3 in group B
    for _ in range(8):
        add_response(consultation, category="citizen", votes=[1, 1], rating=5, text="ja hoor")
    for _ in range(4):
        add_response(consultation, category="company", votes=[1, 1], rating=5, text="ja hoor")
    for _ in range(3):
        add_response(consultation, category="government", votes=[-1, -1], rating=1,
                     text="nee hoor")
    db.session.commit()
    m = build_matrix(consultation)
    groups = groups_section(m, _clusters([0] * 12 + [1] * 3, 2))
    a, b = groups
    assert a["size"] == 12 and not a["suppressed"]
    counts = {c["category"]: c["count"] for c in a["composition"]}
    assert counts == {"citizen": 8, "company": None, "civil_society": 0,
                      "knowledge_institution": 0, "government": 0, "other": 0}
    assert next(c for c in a["composition"] if c["category"] == "company")["share"] is None
    assert b == {"index": 1, "letter": "B", "size": None, "suppressed": True,
                 "centroid": [1.0, 0.0]}
    # participation overall: 3 government respondents show as "fewer than 5"
    run = analysis.run(consultation)
    assert run.results["participation"]["government"] is None
    assert run.results["participation"]["citizen"] == 8


def test_do_not_publish_text_never_reaches_the_snapshot(consultation: Consultation) -> None:
    two_camps(consultation)
    add_response(consultation, category="citizen", votes=[1, 1], rating=5, likert=5,
                 consent=PublicationConsent.DO_NOT_PUBLISH,
                 text="Geheime-mening-zeventien over kweekvlees en dieren.")
    jansen = add_response(consultation, category="company", votes=[-1, -1], rating=1, likert=1,
                          consent=PublicationConsent.PUBLISH_WITH_NAME,
                          organisation="Slagerij Jansen",
                          text="Slagerij wil echt vlees blijven verkopen.")
    jansen.organisation_id = declared_organisation(
        None, "Slagerij Jansen", RespondentCategory.COMPANY, VerificationStatus.VERIFIED).id
    db.session.commit()
    run = analysis.run(consultation)
    db.session.commit()
    dumped = json.dumps(run.results, ensure_ascii=False)
    assert run.results["k"] == 2
    assert "Geheime-mening-zeventien" not in dumped
    quotes = [q for g in run.results["groups"] for q in g["quotes"]]
    assert {"text": "Slagerij wil echt vlees blijven verkopen.", "name": "Slagerij Jansen"} \
        .items() <= next(q for q in quotes if q["name"]).items()
    assert all(q["name"] in (None, "Slagerij Jansen") for q in quotes)


def test_small_and_bad_data_give_a_notice_not_a_traceback(consultation: Consultation) -> None:
    empty = analysis.run(consultation)
    assert empty.status == AnalysisStatus.DONE
    assert empty.results["notice"] == analysis.NO_RESPONSES and empty.results["groups"] == []

    add_response(consultation, votes=[None, None])
    nothing = analysis.run(consultation)
    assert nothing.results["notice"] == analysis.NO_ANSWERS

    add_response(consultation, votes=[1, None], rating=4, likert=3)
    one = analysis.run(consultation)
    assert one.results["notice"] == analysis.TOO_FEW
    assert one.results["n_respondents"] == 2 and one.results["summary"] == {"nl": [], "en": []}


def test_an_all_empty_statement_column_does_not_break_the_analysis(
    consultation: Consultation,
) -> None:
    for i in range(12):
        keen = i % 2 == 0
        add_response(consultation, votes=[1 if keen else -1, None], rating=5 if keen else 1,
                     likert=5 if keen else 1)
    db.session.commit()
    run = analysis.run(consultation)
    assert run.status == AnalysisStatus.DONE and run.results["notice"] is None
    assert run.results["k"] >= 1


def test_consultation_without_statements_or_ratings(app: Flask) -> None:
    with app.test_request_context("/"):
        c = build_consultation(slug="alleen-tekst")
        from consult.models import QuestionKind

        for question in [q for q in c.questions if q.kind != QuestionKind.OPEN_TEXT]:
            db.session.delete(question)
        db.session.commit()
        db.session.refresh(c)
        add_response(c, text="alleen tekst")
        run = analysis.run(c)
        assert run.results["notice"] == analysis.NO_ITEMS


def test_unexpected_error_is_stored_as_a_failed_run(consultation: Consultation,
                                                    monkeypatch) -> None:
    def broken(*_a, **_k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(analysis, "build_matrix", broken)
    run = analysis.run(consultation)
    assert run.status == AnalysisStatus.FAILED and "disk on fire" in run.error
    assert analysis.newest_done(consultation) is None


def _make_user(email: str) -> int:
    return new_user(email, confirmed=False, password=PASSWORD).id


def test_shift_between_two_consultations_for_shared_people(db_app: Flask) -> None:
    with db_app.test_request_context("/"):
        before = build_consultation(slug="voor")
        after = build_consultation(slug="na")
        users = [_make_user(f"p{i}@example.nl") for i in range(8)]
        for i, user in enumerate(users):
            add_response(before, user_id=user, votes=[-1, 1], rating=2, likert=2)
            add_response(after, user_id=user, votes=[1, 1], rating=4 if i % 4 else 3, likert=4)
        add_response(after, votes=[1, 1], rating=5, likert=5)  # no account: not paired
        db.session.commit()
        shift = tasting_shift.opinion_shift_between(before.id, after.id)
        assert shift["n_pairs"] == 8 and not shift["suppressed"]
        statement = next(i for i in shift["items"] if i["kind"] == "statement")
        assert statement["n"] == 8 and statement["label_en"] == "Cultivated meat is safe"
        assert statement["mean_before"] == -1.0 and statement["mean_after"] == 1.0
        safety = next(p for p in shift["principles"] if p["code"] == "safety")
        assert safety["mean_change"] > 0.5 and safety["label_en"] == "Safety"


def test_shift_with_fewer_than_five_pairs_shows_no_figures(consultation: Consultation) -> None:
    after = build_consultation(slug="na")
    for i in range(4):
        user = _make_user(f"q{i}@example.nl")
        add_response(consultation, user_id=user, votes=[1, 1], rating=2)
        add_response(after, user_id=user, votes=[1, 1], rating=4)
    db.session.commit()
    shift = tasting_shift.opinion_shift_between(consultation.id, after.id)
    assert shift["n_pairs"] == 4 and shift["suppressed"] and shift["items"] == []


def test_shift_pairs_only_the_tastings_participants(db_app: Flask) -> None:
    from consult.models import Registration, RegistrationStatus, Role, utcnow
    from tests.factories.events import make_event_in_db

    with db_app.test_request_context("/"):
        organiser = new_user("organiser@example.nl", Role.ORGANISER)
        before = build_consultation(slug="voor")
        after = build_consultation(slug="na")
        event = make_event_in_db(organiser, tasting=True, before_consultation_id=before.id,
                                 after_consultation_id=after.id)
        users = [_make_user(f"t{i}@example.nl") for i in range(13)]
        for i, user in enumerate(users):
            add_response(before, user_id=user, votes=[-1, 1], rating=2, likert=2)
            add_response(after, user_id=user, votes=[1, 1], rating=4, likert=4)
            if i < 12:  # the 13th answered both but never registered for the tasting
                db.session.add(Registration(
                    event_id=event.id, user_id=user, email=f"t{i}@example.nl",
                    status=RegistrationStatus.ATTENDED if i < 10
                    else RegistrationStatus.CONFIRMED,
                    checkin_code=f"C{i:05d}", cancel_token_hash=f"{i:064d}",
                    checked_in_at=utcnow() if i < 10 else None))
        db.session.commit()
        shift = tasting_shift.opinion_shift_between(before.id, after.id, event_id=event.id)
        assert shift["n_pairs"] == 10 and not shift["too_few"]
        statement = next(i for i in shift["items"] if i["kind"] == "statement")
        assert statement["mean_change"] == 2.0 and statement["ci_low"] == 2.0
        assert statement["p_sign"] == 0.002 and not statement["too_few"]  # 2 / 2**10
        registered = tasting_shift.opinion_shift_between(before.id, after.id, event_id=event.id,
                                                    checked_in_only=False)
        assert registered["n_pairs"] == 12
        assert tasting_shift.opinion_shift_between(before.id, after.id)["n_pairs"] == 13
        pairs = tasting_shift.tasting_pairs(before)
        assert [p["event"].id for p in pairs] == [event.id]
