"""Helpers that drive the respondent pages through the test client."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from consult.models import Consultation, QuestionKind
from consult.services.catalogue import principles
from tests.factories.consultations import q

PROFILE: dict[str, Any] = {"category": "citizen", "consent": "publish_anonymously",
                           "age_confirmed": "y"}


def page_answers(c: Consultation, text: str = "Goed idee", single: int = 1) -> dict[int, dict]:
    rating = q(c, QuestionKind.PRINCIPLE_RATING)
    statements = q(c, QuestionKind.STATEMENTS)
    choice = q(c, QuestionKind.SINGLE_CHOICE)
    ranking = q(c, QuestionKind.RANKING)
    page1: dict[str, Any] = {f"q{rating.id}-{p.code}": "4" for p in principles()}
    page1.update({f"q{statements.id}-s{s.id}": "1" for s in statements.approved_statements()})
    page1[f"q{q(c, QuestionKind.LIKERT).id}"] = "5"
    page2: dict[str, Any] = {f"q{choice.id}": str(choice.options[single].id)}
    page2.update({f"q{ranking.id}-o{o.id}": str(n) for n, o in enumerate(ranking.options, 1)})
    return {1: page1, 2: page2, 3: {f"q{q(c, QuestionKind.OPEN_TEXT).id}": text}}


def respond(client: FlaskClient, c: Consultation, profile: dict[str, Any] | None = None,
            text: str = "Goed idee", submit: bool = True) -> Any:
    base = f"/consultations/{c.slug}"
    result = client.post(f"{base}/respond", data=profile or PROFILE)
    assert result.status_code == 302, result.get_data(as_text=True)
    for page, data in page_answers(c, text).items():
        result = client.post(f"{base}/respond/{page}", data=data)
        assert result.status_code == 302, result.get_data(as_text=True)
    if submit:
        result = client.post(f"{base}/review", data={"website": ""})
        assert result.status_code == 302, result.get_data(as_text=True)
    return result
