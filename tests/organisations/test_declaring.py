"""Declaring an organisation: what the person sees for bad input (nl and en), that what
they typed is kept, and that a good declaration waits for verification, audited."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import AuditEntry, Organisation, VerificationStatus
from tests.factories.users import new_user
from tests.support.sessions import log_in

GOOD = {"name": "Stichting Kweekvlees Nu", "kind": "civil_society", "kvk_number": "12345678",
        "register_id": "", "website": "https://www.kweekvleesnu.nl",
        "declared_interest": "Wij spreken voor 2.000 leden die kweekvlees willen proeven."}

MISTAKES = [
    ({"kvk_number": "1234567"}, "kvk_number",
     "Een KvK-nummer heeft precies 8 cijfers",
     "A KvK number has exactly 8 digits"),
    ({"kvk_number": "", "register_id": "12345-6"}, "register_id",
     "Een id uit het Transparantieregister",
     "A Transparency Register id is written as digits"),
    ({"website": "www.kweekvleesnu.nl"}, "website",
     "Vul het volledige adres van de website in",
     "Enter the full address of the website"),
    ({"website": "javascript:alert(1)"}, "website",
     "Vul het volledige adres van de website in",
     "Enter the full address of the website"),
    ({"kvk_number": "", "register_id": ""}, "kvk_number",
     "Vul een KvK-nummer of een id uit het EU-Transparantieregister in",
     "Enter a KvK number or an EU Transparency Register id"),
]


@pytest.mark.parametrize(("change", "field", "dutch", "english"), MISTAKES)
def test_bad_input_gets_a_clear_message_in_both_languages_and_keeps_what_was_typed(
    app: Flask, change: dict[str, str], field: str, dutch: str, english: str,
) -> None:
    user = new_user("anna@example.nl")
    db.session.commit()
    typed = dict(GOOD, **change)
    for lang, message in (("nl", dutch), ("en", english)):
        client = app.test_client()
        log_in(client, user)
        result = client.post(f"/account/organisations?lang={lang}", data=typed)
        body = result.get_data(as_text=True)
        assert result.status_code == 200
        assert message in body, lang
        assert f'href="#{field}"' in body  # the error summary leads to the field
        assert 'value="Stichting Kweekvlees Nu"' in body
        assert "Wij spreken voor 2.000 leden" in body
        for name in ("kvk_number", "register_id", "website"):
            if typed[name]:
                assert f'value="{typed[name]}"' in body.replace("&amp;", "&"), name
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 0


def test_a_kvk_number_may_be_typed_with_spaces_and_a_register_id_alone_will_do(
    app: Flask,
) -> None:
    user = new_user("anna@example.nl")
    db.session.commit()
    client = app.test_client()
    log_in(client, user)
    assert client.post("/account/organisations",
                       data=dict(GOOD, kvk_number="1234 5678")).status_code == 302
    assert client.post("/account/organisations", data=dict(
        GOOD, name="EU Biotech Alliance", kvk_number="",
        register_id="1234567890123-45")).status_code == 302
    found = db.session.scalars(select(Organisation).order_by(Organisation.id)).all()
    assert [(o.kvk_number, o.register_id) for o in found] == [
        ("12345678", None), (None, "1234567890123-45")]


def test_declaring_asks_for_verification_and_is_audited(app: Flask) -> None:
    user = new_user("anna@example.nl")
    db.session.commit()
    client = app.test_client()
    log_in(client, user)
    result = client.post("/account/organisations", data=GOOD)
    assert result.status_code == 302
    page = client.get("/account/organisations").get_data(as_text=True)
    assert "Stichting Kweekvlees Nu" in page and "Waiting for verification" in page
    organisation = db.session.scalar(select(Organisation))
    assert organisation.status == VerificationStatus.PENDING
    assert organisation.requested_by_id == user.id
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == "organisation.requested"))
    assert entry.actor_id == user.id and entry.object_id == organisation.id


def test_declaring_needs_an_account(client) -> None:
    result = client.post("/account/organisations", data=GOOD)
    assert result.status_code == 302 and "/account/login" in result.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 0


def test_declarations_are_in_my_data_and_the_organisation_outlives_the_account(
    app: Flask,
) -> None:
    from consult.services import privacy

    user = new_user("anna@example.nl")
    db.session.commit()
    client = app.test_client()
    log_in(client, user)
    assert client.post("/account/organisations", data=GOOD).status_code == 302
    with app.test_request_context("/"):
        mine = privacy.export_user(user)["areas"]["consultations"]["declared_organisations"]
        assert [(o["name"], o["kvk_number"], o["verification"]) for o in mine] == [
            ("Stichting Kweekvlees Nu", "12345678", "pending")]
        privacy.erase_user(user)
        db.session.commit()
    organisation = db.session.scalar(select(Organisation))
    assert organisation.name == "Stichting Kweekvlees Nu"
    assert organisation.requested_by_id is None
