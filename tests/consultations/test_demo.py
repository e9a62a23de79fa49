"""The demo step: every question kind, thousands of responses, the same every time."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from consult.demo import tasting_rounds
from consult.demo.consultations import CLOSED_SLUG, RESPONSES, SLUG
from consult.demo.steps import load_demo_data
from consult.extensions import db
from consult.models import (
    Consultation,
    ConsultationStatus,
    Organisation,
    QuestionKind,
    Response,
    StatementVote,
    VerificationStatus,
)


def _no_progress(_label: str, _total: int):
    return lambda _n=1: None


def test_demo_data_is_complete_idempotent_and_seeded(db_app: Flask) -> None:
    with db_app.test_request_context("/"):
        load_demo_data(_no_progress)
        db.session.commit()
        c = db.session.scalar(select(Consultation).filter_by(slug=SLUG))
        assert c.effective_status() == ConsultationStatus.OPEN
        assert {q.kind for q in c.questions} == set(QuestionKind)
        assert any(q.condition_option is not None for q in c.questions)
        count = db.session.scalar(select(func.count()).select_from(Response).filter_by(
            consultation_id=c.id))
        assert count == RESPONSES + tasting_rounds.EXPECTED_RESPONSES  # + the past tasting's
        load_demo_data(_no_progress)
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Response)) == \
            count + 400
        closed = db.session.scalar(select(Consultation).filter_by(slug=CLOSED_SLUG))
        assert closed.status == ConsultationStatus.REPORT_PUBLISHED
        # one organisation verified, one waiting, one rejected; each once, with responses
        statuses = dict(db.session.execute(select(Organisation.name, Organisation.status)).all())
        assert statuses == {"Gemeente Leiden": VerificationStatus.VERIFIED,
                            "Stichting Dier & Toekomst": VerificationStatus.PENDING,
                            "Slagerij De Vries": VerificationStatus.REJECTED}
        linked = dict(db.session.execute(
            select(Organisation.name, func.count(Response.id))
            .join(Response, Response.organisation_id == Organisation.id)
            .group_by(Organisation.name)).all())
        assert set(linked) == set(statuses) and min(linked.values()) > 0


def _fingerprint(app: Flask) -> tuple:
    with app.app_context(), app.test_request_context("/"):
        db.create_all()
        load_demo_data(_no_progress)
        db.session.commit()
        ids = tuple(db.session.scalars(select(Response.public_id).order_by(Response.id)
                                       .limit(20)))
        votes = db.session.execute(select(StatementVote.vote, func.count())
                                   .group_by(StatementVote.vote).order_by(StatementVote.vote)
                                   ).all()
        db.session.remove()
        db.engine.dispose()
        return ids, tuple(tuple(v) for v in votes)


def test_demo_data_is_the_same_every_time(tmp_path) -> None:
    from tests.support.apps import make_app

    first = _fingerprint(make_app(tmp_path / "one"))
    second = _fingerprint(make_app(tmp_path / "two"))
    assert first == second and len(first[0]) == 20


def test_the_planted_opinion_groups_are_found_and_differ_by_category(app: Flask) -> None:
    import numpy as np

    from analysis.clustering import cluster_opinions

    with app.test_request_context("/"):
        load_demo_data(_no_progress)
        db.session.commit()
        c = db.session.scalar(select(Consultation).filter_by(slug=SLUG))
        rows = db.session.execute(
            select(StatementVote.response_id, StatementVote.statement_id, StatementVote.vote,
                   Response.category).join(Response)
            .where(Response.consultation_id == c.id)).all()
    responses = sorted({r[0] for r in rows})
    statements = sorted({r[1] for r in rows})
    at = {rid: i for i, rid in enumerate(responses)}
    col = {sid: j for j, sid in enumerate(statements)}
    matrix = np.full((len(responses), len(statements)), np.nan)
    category = {}
    for rid, sid, vote, cat in rows:
        matrix[at[rid], col[sid]] = vote
        category[rid] = cat.value
    result = cluster_opinions(matrix)
    assert result.k in (3, 4)
    shares = []
    for group in range(result.k):
        members = [responses[i] for i in np.where(result.labels == group)[0]]
        companies = sum(category[m] in ("company", "knowledge_institution") for m in members)
        shares.append(companies / len(members))
    assert max(shares) - min(shares) > 0.3  # the groups' respondent mix differs
