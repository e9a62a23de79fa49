"""Time `consult.services.insights.run.run` inside the platform, and print JSON figures.

1. The demo consultation (`flask demo load`: 3,000 responses in four planted groups).
2. A synthetic consultation with --synthetic responses (default 20,000) inserted in bulk:
   the demo's questions, votes from `analysis.synthetic.planted_opinions` (4 groups) and
   ratings derived from each planted group, in a temporary SQLite database.

Run: /work/venv/bin/python benchmarks/analysis_platform_bench.py [--synthetic 20000]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from analysis.synthetic import planted_opinions  # noqa: E402


def _quiet(_label: str, _total: int) -> Any:
    return lambda _n=1: None


def _app(tmp: str) -> Any:
    from consult import create_app
    from consult.extensions import db

    os.environ["CONSULT_INSTANCE_PATH"] = os.path.join(tmp, "instance")
    app = create_app({"DATABASE_URL": f"sqlite:///{os.path.join(tmp, 'bench.sqlite3')}",
                      "SECRET_KEY": "bench", "MAIL_BACKEND": "outbox",
                      "MAIL_OUTBOX": os.path.join(tmp, "outbox")})
    with app.app_context():
        db.create_all()
    return app


def _timed_run(consultation: Any) -> dict[str, Any]:
    from consult.services.insights import run as analysis

    start = time.perf_counter()
    run = analysis.run(consultation)
    wall = time.perf_counter() - start
    results = run.results or {}
    return {"status": run.status.value, "respondents": results.get("n_respondents"),
            "items": results.get("n_items"), "groups": results.get("k"),
            "wall_s": round(wall, 3), "steps_s": run.timings,
            "snapshot_kb": round(len(json.dumps(results)) / 1024, 1)}


def _synthetic(n: int) -> Any:
    """A copy of the demo consultation's questions with `n` bulk-inserted responses."""
    from consult.demo.accounts import demo_official
    from consult.demo.consultations import _make_consultation
    from consult.demo.responses import CATEGORIES
    from consult.extensions import db
    from consult.models import (
        Answer,
        Consultation,
        QuestionKind,
        Response,
        ResponseStatus,
        StatementVote,
    )
    from consult.services.catalogue import principles

    c: Consultation = _make_consultation(demo_official(), "bench-synthetic", "cultivated-meat-fish",
                                         ("Benchmark", "Benchmark"), -10, 20)
    statements = next(q for q in c.questions if q.kind == QuestionKind.STATEMENTS)
    statement_ids = [s.id for s in statements.approved_statements()]
    rating_q = next(q for q in c.questions if q.kind == QuestionKind.PRINCIPLE_RATING).id
    likert_q = next(q for q in c.questions if q.kind == QuestionKind.LIKERT).id
    codes = [p.code for p in principles()]
    votes, labels = planted_opinions(n, len(statement_ids) + len(codes) + 1, 4, noise=0.6,
                                     missing=0.1, random_state=7)
    rng = np.random.default_rng(7)
    batch = 5_000
    for start in range(0, n, batch):
        stop = min(n, start + batch)
        rows = [{"public_id": f"b{i:031d}", "consultation_id": c.id,
                 "status": ResponseStatus.SUBMITTED,
                 "category": CATEGORIES[(int(labels[i]) + int(rng.integers(0, 2))) % 5],
                 "organisation_name": "Org", "consent": "publish_anonymously",
                 "age_confirmed": True, "locale": "nl", "is_spam": False}
                for i in range(start, stop)]
        for row in rows:
            if row["category"] == "citizen":
                row["organisation_name"] = None
        ids = list(db.session.scalars(insert(Response).returning(
            Response.id, sort_by_parameter_order=True), rows))
        vote_rows, answer_rows = [], []
        for rid, i in zip(ids, range(start, stop), strict=True):
            row = votes[i]
            for j, sid in enumerate(statement_ids):
                if not np.isnan(row[j]):
                    vote_rows.append({"response_id": rid, "statement_id": sid,
                                      "vote": int(row[j])})
            offset = len(statement_ids)
            ratings = {code: int(3 + 2 * row[offset + k]) for k, code in enumerate(codes)
                       if not np.isnan(row[offset + k])}
            answer_rows.append({"response_id": rid, "question_id": rating_q, "value": ratings,
                                "number": None, "text": None, "text_hash": None,
                                "moderation": None})
            if not np.isnan(row[-1]):
                answer_rows.append({"response_id": rid, "question_id": likert_q, "value": None,
                                    "number": float(3 + 2 * row[-1]), "text": None,
                                    "text_hash": None, "moderation": None})
        db.session.execute(insert(StatementVote), vote_rows)
        db.session.execute(insert(Answer), answer_rows)
    db.session.commit()
    return db.session.scalar(select(Consultation).filter_by(slug="bench-synthetic"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--synthetic", type=int, default=20_000)
    args = parser.parse_args()
    from consult.demo.consultations import SLUG
    from consult.demo.steps import load_demo_data
    from consult.extensions import db
    from consult.models import Consultation

    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        app = _app(tmp)
        with app.test_request_context("/"):
            start = time.perf_counter()
            load_demo_data(_quiet)
            db.session.commit()
            figures["demo_data_load_s"] = round(time.perf_counter() - start, 2)
            demo = db.session.scalar(select(Consultation).filter_by(slug=SLUG))
            figures["demo"] = _timed_run(demo)
            start = time.perf_counter()
            synthetic = _synthetic(args.synthetic)
            figures["synthetic_insert_s"] = round(time.perf_counter() - start, 2)
            figures["synthetic"] = _timed_run(synthetic)
            db.session.rollback()
            db.session.remove()
            db.engine.dispose()
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
