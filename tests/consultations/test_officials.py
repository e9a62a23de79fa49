"""Officials: create and edit, status changes, moderation with audit, browser, exports."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import openpyxl
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.extensions import db
from consult.models import (
    Answer,
    AuditEntry,
    Consultation,
    ConsultationStatus,
    ModerationStatus,
    RespondentCategory,
    Role,
    Statement,
    VerificationStatus,
)
from tests.factories.organisations import declared_organisation, respond_for
from tests.factories.users import new_user
from tests.support.responding import PROFILE, respond
from tests.support.sessions import log_in, login


def as_official(app, make_user) -> FlaskClient:
    make_user("ambtenaar@example.nl", role=Role.OFFICIAL)
    client = app.test_client()
    login(client, "ambtenaar@example.nl")
    return client


def test_citizens_cannot_open_officials_pages(client: FlaskClient, make_user) -> None:
    make_user()
    login(client, "anna@example.nl")
    assert client.get("/officials/").status_code == 403


def test_an_official_creates_a_consultation_in_local_time_and_schedules_it(
    app, make_user
) -> None:
    official = as_official(app, make_user)
    result = official.post("/officials/consultations/new", data={
        "title_nl": "Gentherapie", "title_en": "Gene therapy", "audience": "anyone",
        "opens_at": "2030-04-05T12:00", "closes_at": "2030-04-30T12:00", "topic_id": "0",
    })
    assert result.status_code == 302
    c = db.session.scalar(select(Consultation))
    assert c.opens_at.isoformat() == "2030-04-05T10:00:00+00:00"  # CEST is UTC+2
    assert official.post(f"/officials/consultations/{c.slug}/status/schedule").status_code == 302
    db.session.refresh(c)
    assert c.status == ConsultationStatus.DRAFT  # no questions yet: refused
    result = official.post(f"/officials/consultations/{c.slug}/questions/new", data={
        "kind": "single_choice", "text_nl": "Kiest u?", "text_en": "Do you choose?",
        "page": "1", "options-0-nl": "Ja", "options-0-en": "Yes", "options-1-nl": "Nee",
        "options-1-en": "No", "condition_option_id": "0"})
    assert result.status_code == 302
    official.post(f"/officials/consultations/{c.slug}/status/schedule")
    db.session.refresh(c)
    assert c.effective_status() == ConsultationStatus.SCHEDULED
    assert [o.label_en for o in c.questions[0].options] == ["Yes", "No"]


def test_a_non_existent_local_time_is_refused_with_a_message(app, make_user) -> None:
    official = as_official(app, make_user)
    result = official.post("/officials/consultations/new", data={
        "title_nl": "X", "audience": "anyone", "opens_at": "2030-03-31T02:30",
        "topic_id": "0"})
    assert result.status_code == 200
    assert db.session.scalar(select(Consultation)) is None


def test_moderation_approve_and_hide_with_reason_are_audited(
    app, make_user, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    citizen = app.test_client()
    respond(citizen, c, text="Ik heb een mening")
    statements = [q for q in c.questions if q.allow_proposals][0]
    citizen.post(f"/consultations/{c.slug}/respond/1", data={
        f"q{statements.id}-new": "Kweekvlees moet goedkoper", **_page1(c)})
    official = as_official(app, make_user)
    page = official.get(f"/officials/consultations/{c.slug}/moderation").get_data(as_text=True)
    assert "Ik heb een mening" in page and "Kweekvlees moet goedkoper" in page
    answer = db.session.scalar(select(Answer).where(Answer.text.is_not(None)))
    proposal = db.session.scalar(select(Statement).filter_by(status=ModerationStatus.PENDING))
    official.post(f"/officials/consultations/{c.slug}/moderation/answer/{answer.id}",
                  data={"decision": "hide", "reason": ""})
    db.session.refresh(answer)
    assert answer.moderation == ModerationStatus.PENDING  # a reason is needed
    official.post(f"/officials/consultations/{c.slug}/moderation/answer/{answer.id}",
                  data={"decision": "hide", "reason": "Persoonsgegevens"})
    official.post(f"/officials/consultations/{c.slug}/moderation/statement/{proposal.id}",
                  data={"decision": "approve"})
    db.session.refresh(answer)
    db.session.refresh(proposal)
    assert answer.moderation == ModerationStatus.HIDDEN
    assert answer.hidden_reason == "Persoonsgegevens"
    assert proposal.status == ModerationStatus.APPROVED
    actions = [e.action for e in db.session.scalars(select(AuditEntry))]
    assert "answer.hide" in actions and "statement.approve" in actions


def _page1(c: Consultation) -> dict:
    from tests.support.responding import page_answers

    return page_answers(c)[1]


def test_exports_have_a_stable_column_order_and_respect_consent(
    app, make_user, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    speaker = new_user("vlees@example.nl")
    vlees = declared_organisation(speaker, "Vlees BV", RespondentCategory.COMPANY,
                                  VerificationStatus.VERIFIED)
    db.session.commit()
    speaking = app.test_client()
    log_in(speaking, speaker)
    respond_for(speaking, c, vlees)
    respond(app.test_client(), c, dict(PROFILE, category="civil_society",
                                        organisation_name="Geheim Genootschap",
                                        consent="do_not_publish"), text="Geheime tekst")
    official = as_official(app, make_user)
    base = f"/officials/consultations/{c.slug}/export"
    internal = official.get(base + ".csv").get_data()
    assert internal.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(internal.decode("utf-8-sig"))))
    again = list(csv.reader(io.StringIO(official.get(base + ".csv").get_data().decode(
        "utf-8-sig"))))
    assert rows[0] == again[0]
    keys = [h.split(":")[0] for h in rows[0]]
    assert keys[:9] == ["response", "submitted_at", "category", "organisation", "age_band",
                        "province", "consent", "spam", "round"]
    question_keys = [k for k in keys[9:]]
    expected = []
    for q in c.questions:
        if q.kind.value == "principle_rating":
            expected += [f"q{q.id}.{code}" for code in
                         ("safety", "broad-prosperity", "freedom-of-choice", "naturalness",
                          "justice", "legitimacy", "strategic-autonomy")]
        elif q.kind.value == "statements":
            expected += [f"s{s.id}" for s in q.statements]
        else:
            expected.append(f"q{q.id}")
    assert question_keys == expected
    assert len(rows) == 3 and "Geheim Genootschap" in internal.decode("utf-8-sig")
    public = official.get(base + ".csv?public=1").get_data().decode("utf-8-sig")
    assert "Geheim Genootschap" not in public and "Geheime tekst" not in public
    assert "Vlees BV" in public
    data = json.loads(official.get(base + ".json?public=1").get_data())
    assert len(data["responses"]) == 1
    assert [c_["key"] for c_ in data["columns"]] == [k for k in keys if k not in
                                                     ("consent", "spam", "round")]
    book = openpyxl.load_workbook(io.BytesIO(official.get(base + ".xlsx").get_data()))
    sheet = book.active
    assert [cell.value for cell in sheet[1]] == rows[0]
    assert sheet.max_row == 3


def test_response_browser_filters_by_category_and_answer(
    app, make_user, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    respond(app.test_client(), c, dict(PROFILE, category="company", organisation_name="Vlees BV"))
    respond(app.test_client(), c)
    official = as_official(app, make_user)
    url = f"/officials/consultations/{c.slug}/responses"
    assert "2 " in official.get(url).get_data(as_text=True)
    page = official.get(url + "?category=company").get_data(as_text=True)
    assert "Vlees BV" in page and "1 " in page
    single = [q for q in c.questions if q.kind.value == "single_choice"][0]
    none = official.get(f"{url}?option={single.options[0].id}").get_data(as_text=True)
    assert "Vlees BV" not in none


def test_an_official_previews_a_draft_as_a_respondent_without_saving(
    app, make_user, make_consultation: Callable[..., Consultation]
) -> None:
    from consult.models import QuestionKind, Response

    c = make_consultation(opened=False)
    c.status = ConsultationStatus.DRAFT
    db.session.commit()
    official = as_official(app, make_user)
    about = official.get(f"/consultations/{c.slug}/respond?preview=1")
    assert about.status_code == 200
    page3 = official.get(f"/consultations/{c.slug}/respond/3?preview=1").get_data(as_text=True)
    conditional = [x for x in c.questions if x.kind == QuestionKind.OPEN_TEXT][1]
    assert f'id="q{conditional.id}"' in page3  # conditional questions are shown too
    official.post(f"/consultations/{c.slug}/respond?preview=1",
                  data={**PROFILE})
    assert db.session.scalar(select(Response)) is None
    assert app.test_client().get(f"/consultations/{c.slug}/respond?preview=1").status_code \
        == 404
