"""The open-data API for consultations, and its OpenAPI description."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient

from consult.models import Consultation, QuestionKind
from tests.support.responding import PROFILE, respond


def test_the_list_and_detail_with_question_kinds(
    client: FlaskClient, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    listed = client.get("/api/v1/consultations").get_json()["consultations"]
    assert [item["slug"] for item in listed] == [c.slug]
    assert listed[0]["status"] == "open" and listed[0]["title"]["en"]
    detail = client.get(f"/api/v1/consultations/{c.slug}").get_json()
    kinds = {q["kind"] for q in detail["questions"]}
    assert kinds == {k.value for k in QuestionKind}
    conditional = [q for q in detail["questions"] if "shown_when" in q]
    assert len(conditional) == 1
    assert client.get("/api/v1/consultations/nope").status_code == 404


def test_drafts_are_not_in_the_api(client: FlaskClient,
                                   make_consultation: Callable[..., Consultation]) -> None:
    from consult.extensions import db
    from consult.models import ConsultationStatus

    c = make_consultation()
    c.status = ConsultationStatus.DRAFT
    db.session.commit()
    assert client.get("/api/v1/consultations").get_json()["consultations"] == []
    assert client.get(f"/api/v1/consultations/{c.slug}").status_code == 404


def test_results_and_responses_respect_consent(
    app, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    respond(app.test_client(), c, dict(PROFILE, category="company", organisation_name="Open BV",
                                        consent="publish_with_name"))
    respond(app.test_client(), c, dict(PROFILE, category="company",
                                        organisation_name="Anoniem BV",
                                        consent="publish_anonymously"))
    respond(app.test_client(), c, dict(PROFILE, category="government",
                                        organisation_name="Gesloten Gemeente",
                                        consent="do_not_publish"))
    client = app.test_client()
    results = client.get(f"/api/v1/consultations/{c.slug}/results").get_json()
    assert results["responses"]["total"] == 2
    assert results["responses"]["per_category"]["government"] == 0
    body = client.get(f"/api/v1/consultations/{c.slug}/responses").get_data(as_text=True)
    data = client.get(f"/api/v1/consultations/{c.slug}/responses").get_json()
    assert data["total"] == 2
    assert "Gesloten Gemeente" not in body and "Anoniem BV" not in body
    # A typed name is never published: it belongs to no verified organisation.
    assert "Open BV" not in body
    assert {r["organisation"] for r in data["responses"]} == {None}
    assert sorted(r["organisation_unverified"] for r in data["responses"]) == [False, True]
    assert {r["category"] for r in data["responses"]} == {"company"}


def test_openapi_describes_the_consultation_paths(client: FlaskClient) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/consultations", "/api/v1/consultations/{slug}",
                 "/api/v1/consultations/{slug}/results",
                 "/api/v1/consultations/{slug}/responses"):
        assert "get" in doc["paths"][path]
    kinds = doc["components"]["schemas"]["Question"]["properties"]["kind"]["enum"]
    assert set(kinds) == {k.value for k in QuestionKind}
