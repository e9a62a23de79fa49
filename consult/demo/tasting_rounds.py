"""Demo: a tasting held two weeks ago, whose attendees answered before and after.

"Eerste proeverij kweekvlees" took place 14 days ago and links the demo consultation on
cultivated meat before and after (the same consultation, answered in two rounds). 22
people registered by email only; 20 were checked in at the door and answered the
consultation through their personal links the day before and the day after (a "before"
and an "after" response each, tied to their registration); the 2 who did not come
answered only before. The planted change: after tasting, more people find cultivated
meat as safe as ordinary meat and trust the science, fewer call it unnatural, and more
would taste it again, so the officials' analysis page shows a shift on 20 pairs.
Added once (found by title); seeded, so every load gives the same answers.
"""

from __future__ import annotations

import random
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select

from consult.extensions import db
from consult.models import (
    ROUND_AFTER,
    ROUND_BEFORE,
    Answer,
    Consultation,
    Event,
    EventStatus,
    PublicationConsent,
    QuestionKind,
    Registration,
    RegistrationStatus,
    Response,
    ResponseStatus,
    StatementVote,
    utcnow,
)
from consult.services.accounts.auth import find_by_email
from consult.services.catalogue import principles
from consult.services.events.codes import new_checkin_code, new_secret

from .consultations import SLUG
from .events import ORGANISER, build_tasting
from .progress import Progress

TITLE_NL = "Eerste proeverij kweekvlees"
TITLE_EN = "First tasting of cultivated meat"
ATTENDED = 20
NO_SHOW = 2
SEED = 1014
#: Per statement (in order): (agree, disagree) before the tasting.
VOTES_BEFORE = [(.35, .45), (.5, .3), (.6, .2), (.85, .05), (.4, .35), (.6, .15),
                (.35, .4), (.55, .2), (.5, .25), (.7, .1), (.8, .05), (.35, .4)]
#: Per statement: after the tasting, the chance that someone moves one step towards
#: agreeing (positive) or disagreeing (negative); the others keep their vote.
MOVES = {0: .6, 1: -.55, 11: .55, 4: .3}
#: Mean importance per principle (catalogue order) before; after, safety matters a little less.
PRINCIPLES_BEFORE = [4.4, 3.6, 4.0, 3.4, 3.6, 3.8, 3.0]
SAFETY_AFTER = -0.7
LIKERT_BEFORE, LIKERT_AFTER = 2.8, 4.1
#: How many responses the step adds (the demo's tests count on it).
EXPECTED_RESPONSES = 2 * ATTENDED + NO_SHOW
#: How many people they are: the consultation's own figures count each once.
EXPECTED_PEOPLE = ATTENDED + NO_SHOW


def _scale(rng: random.Random, mean: float) -> int:
    return max(1, min(5, round(rng.gauss(mean, 0.7))))


def _vote(rng: random.Random, agree: float, disagree: float) -> int:
    roll = rng.random()
    return 1 if roll < agree else -1 if roll < agree + disagree else 0


def _moved(rng: random.Random, vote: int, chance: float) -> int:
    if chance and rng.random() < abs(chance):
        return max(-1, min(1, vote + (1 if chance > 0 else -1)))
    return vote


def _past_tasting() -> Event:
    event = build_tasting()
    event.title_nl, event.title_en = TITLE_NL, TITLE_EN
    start = utcnow().replace(minute=0, second=0, microsecond=0) - timedelta(days=14)
    event.starts_at, event.ends_at = start, start + timedelta(hours=2, minutes=30)
    event.status = EventStatus.COMPLETED
    event.seats_taken = ATTENDED + NO_SHOW
    if event.approval is not None:
        event.approval.decided_on = (start - timedelta(days=30)).date()
    return event


def _registrations(event: Event) -> list[Registration]:
    rows = []
    for n in range(ATTENDED + NO_SHOW):
        came = n < ATTENDED
        rows.append(Registration(
            event=event, email=f"proever{n + 1}@voorbeeld.nl", name=f"Proever {n + 1}",
            locale="nl" if n % 4 else "en",
            status=RegistrationStatus.ATTENDED if came else RegistrationStatus.NO_SHOW,
            checkin_code=new_checkin_code(), cancel_token_hash=new_secret()[1],
            info_sheet_version=1, info_sheet_accepted_at=event.starts_at - timedelta(days=9),
            eligibility_confirmed_at=event.starts_at - timedelta(days=9),
            created_at=event.starts_at - timedelta(days=9),
            checked_in_at=event.starts_at + timedelta(minutes=n % 15) if came else None))
    db.session.add_all(rows)
    db.session.flush()
    return rows


def _answers(consultation: Consultation, rng: random.Random, registrations: list[Registration],
             event: Event) -> int:
    questions = {q.kind: q for q in consultation.questions}
    statements = questions[QuestionKind.STATEMENTS].approved_statements()
    codes = [p.code for p in principles()]
    meat = [o.id for o in questions[QuestionKind.SINGLE_CHOICE].options]
    rows: list[dict[str, Any]] = []
    plans: list[tuple[str, dict[str, int], float, list[int], int]] = []
    for registration in registrations:
        ratings = {c: _scale(rng, m) for c, m in zip(codes, PRINCIPLES_BEFORE, strict=False)}
        likert = _scale(rng, LIKERT_BEFORE)
        eats = meat[rng.choice([0, 0, 1, 2])]
        votes: list[int] = []
        rounds = [ROUND_BEFORE] + ([ROUND_AFTER] if registration.checked_in_at else [])
        for name in rounds:
            after = name == ROUND_AFTER
            if after:
                ratings = {c: max(1, min(5, v + (round(rng.gauss(SAFETY_AFTER, .5))
                                                  if c == "safety" else 0)))
                           for c, v in ratings.items()}
                likert = max(1, min(5, likert + round(rng.gauss(LIKERT_AFTER - LIKERT_BEFORE,
                                                                 .6))))
            if after:
                votes = [_moved(rng, v, MOVES.get(j, 0.0)) for j, v in enumerate(votes)]
            else:
                votes = [_vote(rng, a, d) for a, d in VOTES_BEFORE[:len(statements)]]
            when = event.ends_at + timedelta(hours=20) if after else \
                event.starts_at - timedelta(hours=30)
            when += timedelta(minutes=rng.randint(0, 600))
            rows.append({
                "public_id": secrets.token_hex(16), "consultation_id": consultation.id,
                "status": ResponseStatus.SUBMITTED, "category": "citizen",
                "consent": PublicationConsent.PUBLISH_ANONYMOUSLY, "age_confirmed": True,
                "locale": registration.locale, "is_spam": False,
                "registration_id": registration.id, "survey_round": name,
                "started_at": when - timedelta(minutes=9), "updated_at": when,
                "submitted_at": when,
            })
            plans.append((name, dict(ratings), float(likert), votes, eats))
    ids = list(db.session.scalars(
        insert(Response).returning(Response.id, sort_by_parameter_order=True), rows))
    answers: list[dict[str, Any]] = []
    votes_rows: list[dict[str, Any]] = []
    for response_id, (_name, rated, score, given, eats) in zip(ids, plans, strict=True):
        base: dict[str, Any] = {"response_id": response_id, "value": None, "number": None,
                                "text": None, "text_hash": None, "moderation": None}
        answers.append({**base, "question_id": questions[QuestionKind.PRINCIPLE_RATING].id,
                        "value": rated})
        answers.append({**base, "question_id": questions[QuestionKind.LIKERT].id,
                        "number": score})
        answers.append({**base, "question_id": questions[QuestionKind.SINGLE_CHOICE].id,
                        "value": [eats]})
        votes_rows.extend({"response_id": response_id, "statement_id": s.id, "vote": v}
                          for s, v in zip(statements, given, strict=False))
    db.session.execute(insert(Answer), answers)
    db.session.execute(insert(StatementVote), votes_rows)
    return len(ids)


def tasting_rounds_step(_progress: Progress) -> list[str]:
    if db.session.scalar(select(Event.id).where(Event.title_nl == TITLE_NL)) is not None:
        return [f"past tasting: exists {TITLE_NL}"]
    consultation = db.session.scalar(select(Consultation).where(Consultation.slug == SLUG))
    if consultation is None:
        return ["past tasting: the demo consultation is missing"]
    event = _past_tasting()
    organiser = find_by_email(ORGANISER)
    if organiser is not None:
        event.organisers = [organiser]
    event.before_consultation_id = event.after_consultation_id = consultation.id
    db.session.add(event)
    db.session.flush()
    registrations = _registrations(event)
    n = _answers(consultation, random.Random(SEED), registrations, event)  # noqa: S311
    db.session.flush()
    return [f"past tasting: added {TITLE_NL}, {len(registrations)} registrations, "
            f"{n} responses before and after"]
