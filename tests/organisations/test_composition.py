"""The analysis shows who is in each opinion group: respondents per stakeholder type, and
how many of the organisations among them are verified."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from consult.extensions import db
from consult.models import Consultation, Organisation, RespondentCategory, Response, Role
from consult.models import VerificationStatus as Status
from consult.services.insights import run as analysis
from tests.factories.insights import two_camps
from tests.factories.organisations import declared_organisation
from tests.factories.users import PASSWORD, new_user
from tests.support.sessions import login


def test_each_group_has_its_make_up_by_type_and_verification(
    app: Flask, consultation: Consultation,
) -> None:
    two_camps(consultation)  # 15 keen citizens, 15 sceptical companies
    verified = declared_organisation(None, "Vlees BV", RespondentCategory.COMPANY,
                                     Status.VERIFIED)
    pending = declared_organisation(None, "Wacht BV", RespondentCategory.COMPANY)
    companies = db.session.scalars(select(Response).where(
        Response.category == RespondentCategory.COMPANY).order_by(Response.id)).all()
    for n, response in enumerate(companies):
        organisation: Organisation | None = verified if n < 6 else pending if n < 9 else None
        response.organisation_id = organisation.id if organisation else None
    db.session.commit()
    run = analysis.run(consultation)
    db.session.commit()
    rows = run.results["composition"]
    assert [r["letter"] for r in rows] == ["A", "B", None]
    by_type = {r["letter"]: r for r in rows}
    company_group = next(r for r in rows[:2] if r["counts"]["company"])
    citizen_group = next(r for r in rows[:2] if r["counts"]["citizen"])
    assert company_group["counts"] == {"citizen": 0, "civil_society": 0,
                                       "knowledge_institution": 0, "company": 15,
                                       "government": 0, "other": 0}
    # 6 verified; 3 waiting and 6 that never declared are "not verified"
    assert (company_group["verified"], company_group["unverified"]) == (6, 9)
    assert (citizen_group["verified"], citizen_group["unverified"]) == (0, 0)
    assert by_type[None]["counts"]["citizen"] == 15 and by_type[None]["verified"] == 6

    new_user("checker@example.nl", Role.OFFICIAL, password=PASSWORD)
    db.session.commit()
    for lang, heading, column in (("nl", "Wie er in elke groep zit", "Geverifieerde organisaties"),
                                  ("en", "Who is in each group", "Verified organisations")):
        official = app.test_client()
        official.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
        assert login(official, "checker@example.nl").status_code == 302
        url = f"/officials/consultations/{consultation.slug}/analysis"
        page = official.get(url).get_data(as_text=True)
        assert heading in page and column in page
        assert "Vlees BV" not in page.split(heading)[1].split("</table>")[0]


def test_small_cells_of_the_composition_are_suppressed(consultation: Consultation) -> None:
    two_camps(consultation)
    verified = declared_organisation(None, "Klein BV", RespondentCategory.COMPANY,
                                     Status.VERIFIED)
    for response in db.session.scalars(select(Response).where(
            Response.category == RespondentCategory.COMPANY).limit(2)):
        response.organisation_id = verified.id
    db.session.commit()
    run = analysis.run(consultation)
    company_group = next(r for r in run.results["composition"][:2] if r["counts"]["company"])
    assert company_group["verified"] is None  # 2 is fewer than 5: "fewer than 5"
    assert company_group["unverified"] == 13
