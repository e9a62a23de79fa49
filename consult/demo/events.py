"""Demo events: a published cultivated-meat tasting (approval, products, allergens,
eligibility, information sheet) and a published workshop. Added only when missing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from consult.extensions import db
from consult.models import (
    ApprovalVerdict,
    EligibilityItem,
    Event,
    EventKind,
    EventStatus,
    InfoSheet,
    RegistrationMode,
    TastingApproval,
    TastingProduct,
    Topic,
)
from consult.services.accounts.auth import find_by_email
from consult.timezone import to_utc

from .progress import Progress

ORGANISER = "organisator@consult.example"
TASTING_TITLE = "Proeverij kweekvlees en kweekvis"
WORKSHOP_TITLE = "Werkplaats: wat vindt u van nieuwe genomische technieken?"


def _evening(days_ahead: int, hour: int) -> datetime:
    day = date.today() + timedelta(days=days_ahead)
    return to_utc(datetime.combine(day, time(hour, 0)))


def _topic(code: str) -> Topic:
    topic = db.session.scalar(select(Topic).where(Topic.code == code))
    assert topic is not None, "the catalogue step runs first"
    return topic


def _exists(title_nl: str) -> bool:
    return db.session.scalar(select(Event.id).where(Event.title_nl == title_nl)) is not None


def build_tasting() -> Event:
    """The demo tasting, not yet added (also the model of the past tasting)."""
    start = _evening(21, 18)
    event = Event(
        kind=EventKind.TASTING,
        status=EventStatus.PUBLISHED,
        topic_id=_topic("cultivated-meat-fish").id,
        title_nl=TASTING_TITLE,
        title_en="Tasting of cultivated meat and fish",
        description_nl=(
            "Proef kweekvlees en kweekvis, onder de gedragscode voor proeverijen. "
            "Daarna praten we over wat u ervan vindt.\n\n"
            "Vooraf en achteraf vragen we u een korte vragenlijst in te vullen."
        ),
        description_en=(
            "Taste cultivated meat and fish, under the code of practice for tastings. "
            "Afterwards we talk about what you think of it.\n\n"
            "Before and after, we ask you to fill in a short questionnaire."
        ),
        starts_at=start,
        ends_at=start + timedelta(hours=2, minutes=30),
        venue="Jaarbeurs, Jaarbeursplein 6, Utrecht",
        capacity=24,
        seats_taken=0,
        registration_mode=RegistrationMode.FCFS,
        min_age=18,
        dietary_purge_days=30,
    )
    event.approval = TastingApproval(
        committee="Onafhankelijke commissie van deskundigen (gedragscode proeverijen)",
        reference="GP-2026-014",
        verdict=ApprovalVerdict.SAFE,
        decided_on=date.today() - timedelta(days=14),
        conditions="Ten hoogste 30 gram per product per deelnemer; alleen gaar bereid.",
        conditions_en="At most 30 grams of each product per participant; served fully cooked "
                      "only.",
    )
    event.products = [
        TastingProduct(position=0, name_nl="Gehaktbal van gekweekt rundvlees",
                       name_en="Meatball of cultivated beef",
                       allergens=["gluten", "eggs", "celery"]),
        TastingProduct(position=1, name_nl="Gekweekte zalm op roggebrood",
                       name_en="Cultivated salmon on rye bread",
                       allergens=["gluten", "fish", "sesame"]),
    ]
    event.eligibility_items = [
        EligibilityItem(position=0, text_nl="Ik ben zwanger of geef borstvoeding.",
                        text_en="I am pregnant or breastfeeding."),
        EligibilityItem(position=1, text_nl="Ik heb een ernstige voedselallergie.",
                        text_en="I have a severe food allergy."),
        EligibilityItem(position=2, text_nl="Ik gebruik medicijnen die mijn afweer onderdrukken.",
                        text_en="I take medicines that suppress my immune system."),
    ]
    event.info_sheets = [InfoSheet(
        version=1,
        body_nl=("U proeft producten die nog niet in de EU zijn toegelaten. Een commissie "
                 "van deskundigen oordeelde dat de proeverij veilig is onder de gestelde "
                 "voorwaarden.\n\nU mag op elk moment stoppen, zonder opgave van reden."),
        body_en=("You taste products that are not yet authorised in the EU. A committee of "
                 "experts judged the tasting safe under the stated conditions.\n\nYou may "
                 "stop at any moment, without giving a reason."),
    )]
    return event


def _workshop() -> Event:
    start = _evening(28, 19)
    return Event(
        kind=EventKind.WORKSHOP,
        status=EventStatus.PUBLISHED,
        topic_id=_topic("ngt-crops").id,
        title_nl=WORKSHOP_TITLE,
        title_en="Workshop: what do you think of new genomic techniques?",
        description_nl="Een avond over gewassen die met nieuwe technieken zijn veredeld.",
        description_en="An evening about crops bred with new techniques.",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        venue="Provinciehuis, Pythagoraslaan 101, Utrecht",
        capacity=30,
        seats_taken=0,
        allow_guests=True,
        max_guests=1,
        min_age=0,
    )


def events_step(_progress: Progress) -> list[str]:
    organiser = find_by_email(ORGANISER)
    lines = ["events:"]
    for title, build in ((TASTING_TITLE, build_tasting), (WORKSHOP_TITLE, _workshop)):
        if _exists(title):
            lines.append(f"  exists {title}")
            continue
        event = build()
        if organiser is not None:
            event.organisers = [organiser]
        db.session.add(event)
        db.session.flush()
        lines.append(f"  added  {title}")
    return lines
