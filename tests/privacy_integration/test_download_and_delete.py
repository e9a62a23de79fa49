"""Issue 6 across the areas: "download my data" and "delete my account" for consultations
and events, and purging what has expired."""

from __future__ import annotations

import json
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, or_, select

from consult.extensions import db
from consult.models import (
    DietaryNote,
    Event,
    OfferStatus,
    PublicationConsent,
    Registration,
    RegistrationStatus,
    Response,
    User,
    WaitlistOffer,
    utcnow,
)
from consult.services import privacy
from consult.services.events.seats import counter_mismatches
from tests.factories.users import PASSWORD
from tests.privacy_integration.world import World
from tests.support.sessions import login


def _client(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert login(client, email).status_code == 302
    return client


def _download(client: FlaskClient) -> dict:  # type: ignore[type-arg]
    response = client.post("/account/my-data")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return json.loads(response.get_data(as_text=True))  # type: ignore[no-any-return]


def test_download_holds_the_persons_responses_and_registrations_and_no_one_elses(
    db_app: Flask, world: World
) -> None:
    data = _download(_client(db_app, "anna@example.nl"))
    text = json.dumps(data)

    responses = data["areas"]["consultations"]["responses"]
    # Her two account responses, and the two given with her address without an account.
    assert len(responses) == 4
    assert sorted(r["consultation"]["slug"] for r in responses) == [
        "kweekvlees-a", "kweekvlees-a", "kweekvlees-b", "kweekvlees-b"]
    published = next(r for r in responses if r["consent"] == "publish_anonymously"
                     and r["linked_to_account"])
    assert published["status"] == "submitted" and published["submitted_at"]
    assert published["profile"]["category"] == "citizen"
    texts = [a["text"] for a in published["answers"] if a["text"]]
    assert texts == ["Ik heb het geproefd en vond het lekker."]
    assert any(a["question"]["kind"] == "likert" and a["number"] == 5
               for a in published["answers"])
    assert sorted(v["vote"] for v in published["statement_votes"]) == [-1, 1]
    company = next(r for r in responses if r["consent"] == "publish_with_name")
    assert company["profile"]["organisation_name"] == "Kweek BV"
    assert {r["status"] for r in responses} == {"submitted", "draft"}

    events = data["areas"]["events"]
    registrations = events["registrations"]
    assert sorted(r["event"]["title_en"] for r in registrations) == [
        "Cultivated meat workshop", "Earlier tasting", "Round table"]
    tasting = next(r for r in registrations if r["event"]["kind"] == "tasting")
    assert tasting["status"] == "confirmed" and tasting["guests"] == 1
    assert tasting["dietary_note"]["note"] == "Notenallergie"
    past = next(r for r in registrations if r["event"]["title_en"] == "Earlier tasting")
    assert past["status"] == "attended" and past["checked_in_at"]
    email_only = next(r for r in registrations if r["event"]["title_en"] == "Round table")
    assert email_only["linked_to_account"] is False

    # Nothing of Bram's (or Carla's) is in it.
    for foreign in ("bram@example.nl", "Bram vindt het niks.", "Geen varkensvlees",
                    "carla@example.nl"):
        assert foreign not in text


def test_delete_my_account_erases_registrations_and_anonymises_published_responses(
    db_app: Flask, world: World
) -> None:
    client = _client(db_app, "anna@example.nl")
    deleted = client.post("/account/delete", data={"password": PASSWORD})
    assert deleted.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, world.anna_id) is None

    # Registrations and dietary notes: none left, whether by account or by address.
    assert db.session.scalar(select(func.count(Registration.id)).where(or_(
        Registration.user_id == world.anna_id, Registration.email == "anna@example.nl"))) == 0
    notes = list(db.session.scalars(select(DietaryNote.note)))
    assert notes == ["Geen varkensvlees"]  # only Bram's
    # Her two seats went back and the first waiting person was offered one.
    full = db.session.get(Event, world.full_event_id)
    assert full is not None and full.seats_taken == 2
    carla = db.session.scalar(select(Registration).where(
        Registration.email == "carla@example.nl"))
    assert carla is not None and carla.status == RegistrationStatus.OFFERED
    offer = db.session.scalar(select(WaitlistOffer).where(
        WaitlistOffer.registration_id == carla.id))
    assert offer is not None and offer.status == OfferStatus.OPEN
    past = db.session.get(Event, world.past_event_id)
    email_only = db.session.get(Event, world.email_only_event_id)
    assert past is not None and past.seats_taken == 0
    assert email_only is not None and email_only.seats_taken == 0
    assert counter_mismatches() == []  # `flask --app consult events check` stays clean
    assert db_app.test_cli_runner().invoke(args=["events", "check"]).exit_code == 0

    # Responses: the unpublished ones are gone, the published ones kept without a link.
    assert db.session.get(Response, world.private_id) is None
    assert db.session.get(Response, world.draft_id) is None
    published = db.session.get(Response, world.published_id)
    assert published is not None
    assert (published.user_id, published.email, published.edit_token_hash) == (None, None,
                                                                                 None)
    assert published.is_published and published.consent == (
        PublicationConsent.PUBLISH_ANONYMOUSLY)
    company = db.session.get(Response, world.by_email_id)
    assert company is not None and company.email is None
    assert company.organisation_name == "Kweek BV"  # names the company, not the person
    assert db.session.get(Response, world.bram_response_id).user_id == world.bram_id  # type: ignore[union-attr]
    assert db.session.scalar(select(func.count(Response.id)).where(
        func.lower(Response.email) == "anna@example.nl")) == 0

    # The public pages and the open-data API still show the anonymous response.
    visitor = db_app.test_client()
    page = visitor.get("/consultations/kweekvlees-a/responses?lang=en")
    assert page.status_code == 200
    assert "Ik heb het geproefd en vond het lekker." in page.get_data(as_text=True)
    api = visitor.get("/api/v1/consultations/kweekvlees-a/responses").get_json()
    shown = {r["id"]: r for r in api["responses"]}
    assert world.published_id in shown and shown[world.by_email_id]["organisation"] == "Kweek BV"
    assert "anna" not in json.dumps(api).lower()

    # The old session no longer works.
    again = client.get("/account/my-data")
    assert again.status_code == 302 and "/account/login" in again.headers["Location"]


def test_bram_keeps_everything_when_anna_deletes_her_account(
    db_app: Flask, world: World
) -> None:
    client = _client(db_app, "anna@example.nl")
    client.post("/account/delete", data={"password": PASSWORD})
    data = _download(_client(db_app, "bram@example.nl"))
    assert len(data["areas"]["consultations"]["responses"]) == 1
    (registration,) = data["areas"]["events"]["registrations"]
    assert registration["status"] == "confirmed"
    assert registration["dietary_note"]["note"] == "Geen varkensvlees"


def test_purge_expired_deletes_old_drafts_and_a_second_run_removes_nothing(
    db_app: Flask, world: World
) -> None:
    old = db.session.get(Response, world.draft_id)
    assert old is not None
    old.updated_at = utcnow() - timedelta(days=31)
    db.session.commit()
    runner = db_app.test_cli_runner()
    first = runner.invoke(args=["purge-expired"])
    assert first.exit_code == 0, first.output
    assert "consultations: 1 removed" in first.output
    assert db.session.get(Response, world.draft_id) is None
    second = runner.invoke(args=["purge-expired"])
    assert second.exit_code == 0
    lines = [line for line in second.output.splitlines() if line.strip()]
    assert lines and all(line.endswith(": 0 removed") for line in lines), second.output
    # The past tasting's dietary note goes once its purge period is over, then not again.
    later = utcnow() + timedelta(days=35)
    assert privacy.purge_expired(later)["events"] == 1
    assert privacy.purge_expired(later) == {
        "account": 0, "outbox": 0, "events": 0, "consultations": 0, "follow": 0
    }


def test_a_fresh_draft_stays_until_the_setting_says_otherwise(
    db_app: Flask, world: World
) -> None:
    assert privacy.purge_expired(utcnow())["consultations"] == 0
    db_app.config["DRAFT_RESPONSE_DAYS"] = 0
    assert privacy.purge_expired(utcnow() + timedelta(seconds=1))["consultations"] == 1
