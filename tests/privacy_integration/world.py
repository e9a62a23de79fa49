"""A world with two people, their consultation responses and event registrations.

Built straight through the services (registering, responding by insert like the
analysis tests), on SQLite and on PostgreSQL when CONSULT_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import Flask

from consult.extensions import db
from consult.models import (
    DietaryNote,
    Event,
    PublicationConsent,
    Registration,
    RegistrationStatus,
    RespondentCategory,
    ResponseStatus,
    Role,
    User,
    VerificationStatus,
    utcnow,
)
from consult.services.events import registration as reg_service
from consult.services.events.codes import new_checkin_code, new_secret
from tests.factories.consultations import build_consultation
from tests.factories.events import adult, make_event_in_db
from tests.factories.insights import add_response
from tests.factories.organisations import declared_organisation
from tests.factories.users import PASSWORD, new_user


@dataclass
class World:
    anna_id: int
    bram_id: int
    full_event_id: int
    email_only_event_id: int
    past_event_id: int
    published_id: int  # anna, citizen, publish anonymously: kept anonymised
    private_id: int  # anna, do not publish: deleted
    by_email_id: int  # no account, anna's address, a company named with consent: kept
    draft_id: int  # anna, never submitted: deleted
    bram_response_id: int


def seed_people(app: Flask) -> World:
    """Anna's and Bram's responses and registrations (see the module's docstring)."""
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        anna = new_user("anna@example.nl", password=PASSWORD)
        bram = new_user("bram@example.nl", password=PASSWORD)
        a = build_consultation(slug="kweekvlees-a")
        b = build_consultation(slug="kweekvlees-b")
        published = add_response(a, user_id=anna.id, votes=[1, -1], rating=4, likert=5,
                                 text="Ik heb het geproefd en vond het lekker.")
        published.email = "anna@example.nl"
        published.edit_token_hash = "e" * 64
        private = add_response(b, user_id=anna.id, votes=[-1, -1], likert=1,
                               consent=PublicationConsent.DO_NOT_PUBLISH)
        by_email = add_response(a, category="company", organisation="Kweek BV",
                                consent=PublicationConsent.PUBLISH_WITH_NAME, likert=3)
        # Anna declared Kweek BV and an official verified it: its name is published.
        by_email.organisation_id = declared_organisation(
            anna, "Kweek BV", RespondentCategory.COMPANY, VerificationStatus.VERIFIED).id
        by_email.email = "Anna@Example.nl"
        draft = add_response(b, status=ResponseStatus.DRAFT)
        draft.email = "anna@example.nl"
        bram_response = add_response(b, user_id=bram.id, likert=2,
                                     text="Bram vindt het niks.")
        bram_response.email = "bram@example.nl"

        organiser = new_user("org@example.nl", Role.ORGANISER)
        full = make_event_in_db(organiser, capacity=3, allow_guests=True, max_guests=1,
                                tasting=True)
        reg_service.register(full, adult("anna@example.nl", user=anna, guests=1,
                                          dietary_note="Notenallergie", dietary_consent=True))
        reg_service.register(full, adult("bram@example.nl", user=bram,
                                          dietary_note="Geen varkensvlees",
                                          dietary_consent=True))
        reg_service.register(full, adult("carla@example.nl"))  # the waiting list
        email_only = make_event_in_db(organiser, title_nl="Rondetafel", title_en="Round table")
        reg_service.register(email_only, adult("anna@example.nl"))  # no account used
        past = make_event_in_db(organiser, starts_at=utcnow() - timedelta(days=3),
                                title_nl="Eerdere proeverij", title_en="Earlier tasting")
        _attended(past, anna)
        db.session.commit()
        assert full.seats_taken == 3
        return World(anna.id, bram.id, full.id, email_only.id, past.id, published.id,
                     private.id, by_email.id, draft.id, bram_response.id)


def _attended(event: Event, user: User) -> None:
    """A registration of a past event that was checked in (with a note not purged yet)."""
    _, secret_hash = new_secret()
    registration = Registration(
        event_id=event.id, user_id=user.id, email=user.email, name="Anna", locale="en",
        status=RegistrationStatus.ATTENDED, guests=0, checkin_code=new_checkin_code(),
        cancel_token_hash=secret_hash, checked_in_at=event.starts_at,
    )
    db.session.add(registration)
    db.session.flush()
    db.session.add(DietaryNote(registration_id=registration.id, event_id=event.id,
                               note="Lactosevrij", consent_given=True,
                               consent_at=event.starts_at - timedelta(days=5)))
    event.seats_taken = 1
    db.session.flush()
