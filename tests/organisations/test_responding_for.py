"""Responding for a declared organisation from the "about you" step."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from consult.extensions import db
from consult.models import RespondentCategory, Response, VerificationStatus
from tests.factories.consultations import build_consultation
from tests.factories.organisations import declared_organisation, respond_for
from tests.factories.users import new_user
from tests.support.responding import PROFILE
from tests.support.sessions import log_in


def test_a_declared_organisation_gives_the_response_its_name_and_type(app: Flask) -> None:
    with app.test_request_context("/"):
        c = build_consultation()
    user = new_user("anna@example.nl")
    organisation = declared_organisation(user, "Provincie Gelderland",
                                         RespondentCategory.GOVERNMENT)
    db.session.commit()
    client = app.test_client()
    log_in(client, user)
    form = client.get(f"/consultations/{c.slug}/respond").get_data(as_text=True)
    assert "Provincie Gelderland (Waiting for verification)" in form
    # the type the person ticked gives way to the declared one
    respond_for(client, c, organisation, category="company", organisation_name="Iets anders")
    response = db.session.scalar(select(Response))
    assert response.organisation_id == organisation.id
    assert response.category == RespondentCategory.GOVERNMENT
    assert response.organisation_name == "Provincie Gelderland"
    again = client.get(f"/consultations/{c.slug}/respond").get_data(as_text=True)
    assert f'<option value="{organisation.id}" selected>' in again


def test_another_persons_organisation_cannot_be_chosen(app: Flask) -> None:
    with app.test_request_context("/"):
        c = build_consultation()
    owner, other = new_user("owner@example.nl"), new_user("other@example.nl")
    organisation = declared_organisation(owner, "Gemeente Leiden",
                                         RespondentCategory.GOVERNMENT,
                                         VerificationStatus.VERIFIED)
    db.session.commit()
    client = app.test_client()
    log_in(client, other)
    result = client.post(f"/consultations/{c.slug}/respond", data=dict(
        PROFILE, category="government", organisation_id=str(organisation.id),
        consent="publish_with_name"))
    assert result.status_code == 400
    assert db.session.scalar(select(Response)) is None


def test_a_citizen_cannot_respond_for_an_organisation_at_the_same_time(app: Flask) -> None:
    with app.test_request_context("/"):
        c = build_consultation()
    user = new_user("anna@example.nl")
    organisation = declared_organisation(user)
    db.session.commit()
    client = app.test_client()
    log_in(client, user)
    for lang, message in (("en", "You respond as a citizen"), ("nl", "U reageert als burger")):
        result = client.post(f"/consultations/{c.slug}/respond?lang={lang}", data=dict(
            PROFILE, category="citizen", organisation_id=str(organisation.id)))
        body = result.get_data(as_text=True)
        assert result.status_code == 200 and message in body
        assert f'<option value="{organisation.id}" selected>' in body
    assert db.session.scalar(select(Response)) is None
