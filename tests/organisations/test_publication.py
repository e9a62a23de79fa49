"""An organisation's name reaches public places only once it is verified.

Public places: the published responses page (and its search), the report page, the
open-data API (consultation, responses, results) and the public exports (CSV, JSON and
the workbook). Each test reads the bodies those places send."""

from __future__ import annotations

import io
from collections.abc import Iterator

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.extensions import db
from consult.models import (
    Answer,
    AuditEntry,
    Consultation,
    ConsultationStatus,
    ModerationStatus,
    Organisation,
    RespondentCategory,
    Role,
    User,
    VerificationStatus,
)
from consult.services.organisations.verification import mark_verified_by_route
from tests.factories.consultations import build_consultation
from tests.factories.organisations import declared_organisation, respond_for
from tests.factories.users import PASSWORD, new_user
from tests.support.sessions import log_in, login

NAME = "Gemeente Leiden"


@pytest.fixture
def world(db_app: Flask) -> Iterator[tuple[Flask, Consultation, Organisation, User]]:
    """An open consultation, and a pending organisation that responded with consent to
    publish its name (its open text approved), with the report published."""
    with db_app.test_request_context("/"):
        c = build_consultation()
        speaker = new_user("leiden@example.nl")
        organisation = declared_organisation(speaker, NAME, RespondentCategory.GOVERNMENT)
        new_user("checker@example.nl", Role.OFFICIAL, password=PASSWORD)
        db.session.commit()
    client = db_app.test_client()
    log_in(client, speaker)
    respond_for(client, c, organisation, text="Wij willen proeven")
    for answer in db.session.scalars(select(Answer).where(Answer.text.is_not(None))):
        answer.moderation = ModerationStatus.APPROVED
    official = db.session.scalar(select(User).filter_by(email="checker@example.nl"))
    yield db_app, c, organisation, official


def _public_bodies(app: Flask, c: Consultation, lang: str) -> dict[str, str]:
    db.session.commit()
    public = app.test_client()
    public.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    urls = [f"/consultations/{c.slug}/responses", f"/consultations/{c.slug}/responses?q=leiden",
            f"/api/v1/consultations/{c.slug}", f"/api/v1/consultations/{c.slug}/responses",
            f"/api/v1/consultations/{c.slug}/responses?q=leiden",
            f"/api/v1/consultations/{c.slug}/results"]
    bodies = {}
    for url in urls:
        result = public.get(url)
        assert result.status_code == 200, url
        bodies[url] = result.get_data(as_text=True)
    return bodies


def _public_exports(app: Flask, c: Consultation, lang: str) -> dict[str, str]:
    """The public exports as an official downloads them to publish them."""
    official = app.test_client()
    official.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    assert login(official, "checker@example.nl").status_code == 302
    base = f"/officials/consultations/{c.slug}/export"
    files = {fmt: official.get(f"{base}.{fmt}?public=1") for fmt in ("csv", "json", "xlsx")}
    assert all(f.status_code == 200 for f in files.values())
    sheet = openpyxl.load_workbook(io.BytesIO(files["xlsx"].get_data())).active
    cells = "\n".join(str(cell) for row in sheet.iter_rows(values_only=True)
                      for cell in row if cell is not None)
    return {"csv": files["csv"].get_data().decode("utf-8-sig"),
            "json": files["json"].get_data(as_text=True), "xlsx": cells}


def _report(app: Flask, c: Consultation) -> str:
    c.status = ConsultationStatus.REPORT_PUBLISHED
    db.session.commit()
    return app.test_client().get(f"/consultations/{c.slug}/report").get_data(as_text=True)


def test_an_unverified_name_is_on_no_public_page_api_or_export(world) -> None:
    app, c, organisation, _official = world
    for lang, placeholder in (("nl", "organisatie (niet geverifieerd)"),
                              ("en", "organisation (not verified)")):
        bodies = _public_bodies(app, c, lang)
        bodies.update(_public_exports(app, c, lang))
        for place, body in bodies.items():
            assert NAME not in body, place
        page = bodies[f"/consultations/{c.slug}/responses"]
        assert placeholder in page and "Wij willen proeven" in page
        assert placeholder in bodies["csv"] and placeholder in bodies["xlsx"]
        # a search for the name finds nothing: it cannot tell that Leiden responded
        assert "Wij willen proeven" not in bodies[f"/consultations/{c.slug}/responses?q=leiden"]
    api = app.test_client().get(f"/api/v1/consultations/{c.slug}/responses").get_json()
    assert [(r["organisation"], r["organisation_unverified"]) for r in api["responses"]] == [
        (None, True)]
    assert NAME not in _report(app, c)


def test_after_verification_the_name_is_published_everywhere(world) -> None:
    app, c, organisation, official = world
    checker = app.test_client()
    assert login(checker, official.email).status_code == 302
    result = checker.post(f"/officials/organisations/{organisation.id}",
                          data={"decision": "verify", "reason": "KvK en website kloppen"})
    assert result.status_code == 302
    bodies = _public_bodies(app, c, "nl")
    bodies.update(_public_exports(app, c, "nl"))
    for place in (f"/consultations/{c.slug}/responses",
                  f"/consultations/{c.slug}/responses?q=leiden",
                  f"/api/v1/consultations/{c.slug}/responses", "csv", "json", "xlsx"):
        assert NAME in bodies[place], place
        assert "niet geverifieerd" not in bodies[place], place
    api = app.test_client().get(f"/api/v1/consultations/{c.slug}/responses").get_json()
    assert [(r["organisation"], r["organisation_unverified"]) for r in api["responses"]] == [
        (NAME, False)]


def test_a_verification_is_audited_and_a_rejection_needs_a_reason(world) -> None:
    app, c, organisation, official = world
    checker = app.test_client()
    assert login(checker, official.email).status_code == 302
    url = f"/officials/organisations/{organisation.id}"
    page = checker.get(url).get_data(as_text=True)
    for evidence in ("12345678", "https://www.example.nl", "Wij vertegenwoordigen 4.000 leden",
                     "leiden@example.nl"):
        assert evidence in page
    checker.post(url, data={"decision": "verify", "reason": "Gecontroleerd"})
    refused = checker.post(url, data={"decision": "reject", "reason": ""})
    assert refused.status_code == 200
    assert "Geef aan waarom de organisatie niet wordt geverifieerd." in refused.get_data(
        as_text=True)
    refused = checker.post(url + "?lang=en", data={"decision": "reject", "reason": " "})
    assert "Say why the organisation is not verified." in refused.get_data(as_text=True)
    checker.post(url, data={"decision": "reject", "reason": "Website hoort bij een ander"})
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "organisation").order_by(AuditEntry.id)).all()
    decisions = [(e.action, e.actor_id, e.detail.get("reason")) for e in entries
                 if e.action != "organisation.requested"]
    assert decisions == [("organisation.verified", official.id, "Gecontroleerd"),
                         ("organisation.rejected", official.id, "Website hoort bij een ander")]
    assert all(e.at is not None for e in entries)
    db.session.refresh(organisation)
    assert organisation.status == VerificationStatus.REJECTED
    assert organisation.decided_by_id == official.id and organisation.decided_at is not None
    # rejected after a verification: the name is withdrawn from the public places again
    assert all(NAME not in body for body in _public_bodies(app, c, "en").values())
    log = checker.get("/admin/audit")  # officials are not admins: the log is the admins'
    assert log.status_code == 403


def test_a_login_route_can_vouch_for_an_organisation_but_not_overrule_a_rejection(
    world,
) -> None:
    app, c, organisation, _official = world
    with app.test_request_context("/"):
        mark_verified_by_route(organisation, "eHerkenning")
        db.session.commit()
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == "organisation.verified_by_route"))
    assert entry.actor_id is None and entry.detail == {"route": "eHerkenning"}
    assert NAME in _public_bodies(app, c, "nl")[f"/consultations/{c.slug}/responses"]
    other = declared_organisation(None, "Afgewezen BV", RespondentCategory.COMPANY,
                                  VerificationStatus.REJECTED)
    with app.test_request_context("/"):
        mark_verified_by_route(other, "eHerkenning")
    assert other.status == VerificationStatus.REJECTED


def test_the_queue_is_for_officials_only(world) -> None:
    app, _c, organisation, _official = world
    citizen = app.test_client()
    log_in(citizen, db.session.get(User, organisation.requested_by_id))
    assert citizen.get("/officials/organisations").status_code == 403
    assert citizen.post(f"/officials/organisations/{organisation.id}",
                        data={"decision": "verify"}).status_code == 403
    assert organisation.status == VerificationStatus.PENDING


def test_officials_filter_responses_by_verification(world) -> None:
    app, c, organisation, official = world
    checker: FlaskClient = app.test_client()
    assert login(checker, official.email).status_code == 302
    base = f"/officials/consultations/{c.slug}/responses"
    unverified = checker.get(base + "?verification=unverified").get_data(as_text=True)
    verified = checker.get(base + "?verification=verified").get_data(as_text=True)
    assert NAME in unverified and NAME not in verified
    checker.post(f"/officials/organisations/{organisation.id}", data={"decision": "verify"})
    assert NAME in checker.get(base + "?verification=verified&category=government"
                               ).get_data(as_text=True)
    assert NAME not in checker.get(base + "?verification=verified&category=company"
                                   ).get_data(as_text=True)
