"""Demo consultations: an open one on cultivated meat using every question kind, with a
few thousand synthetic responses (responses.py), and a closed one with a published report.

Running the step twice adds nothing the second time.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from consult.extensions import db
from consult.models import (
    Audience,
    Consultation,
    ConsultationStatus,
    ModerationStatus,
    QuestionKind,
    Statement,
    Topic,
    User,
    utcnow,
)
from consult.services.catalogue import ensure_catalogues
from consult.services.consultations import editing as service
from consult.services.consultations import questions as question_service

from .accounts import demo_official
from .progress import Progress
from .responses import seed_responses

SLUG = "kweekvlees-in-nederland"
CLOSED_SLUG = "kweekvlees-eerste-ronde"
SEED = 20260301
RESPONSES = 3000
CLOSED_RESPONSES = 400

#: (nl, en, principle codes)
STATEMENTS: list[tuple[str, str, list[str]]] = [
    ("Kweekvlees is even veilig als gewoon vlees, als het goed getest is.",
     "Cultivated meat is as safe as ordinary meat, if it is tested well.", ["safety"]),
    ("Kweekvlees is onnatuurlijk en hoort niet op ons bord.",
     "Cultivated meat is unnatural and does not belong on our plates.", ["naturalness"]),
    ("Kweekvlees kan veel dierenleed voorkomen.",
     "Cultivated meat can prevent much animal suffering.", ["broad-prosperity", "justice"]),
    ("Op de verpakking moet duidelijk staan dat het kweekvlees is.",
     "The package must say clearly that it is cultivated meat.", ["freedom-of-choice"]),
    ("Nederland moet investeren om voorop te lopen met kweekvlees.",
     "The Netherlands should invest to lead in cultivated meat.",
     ["strategic-autonomy", "broad-prosperity"]),
    ("Boeren mogen niet de dupe worden van kweekvlees.",
     "Farmers must not pay the price for cultivated meat.", ["justice"]),
    ("De overheid moet proeverijen toestaan vóór Europese toelating.",
     "The government should allow tastings before European approval.",
     ["freedom-of-choice", "legitimacy"]),
    ("Kweekvlees is goed voor het klimaat.",
     "Cultivated meat is good for the climate.", ["broad-prosperity"]),
    ("Grote bedrijven krijgen te veel macht over ons voedsel.",
     "Big companies get too much power over our food.", ["justice", "strategic-autonomy"]),
    ("Burgers moeten meebeslissen over nieuwe voedseltechnieken.",
     "Citizens should have a say in new food technologies.", ["legitimacy"]),
    ("Onafhankelijke experts moeten elke proeverij beoordelen.",
     "Independent experts should assess every tasting.", ["safety", "legitimacy"]),
    ("Ik vertrouw de wetenschap achter kweekvlees.",
     "I trust the science behind cultivated meat.", ["safety"]),
]

def _every_kind(official: User, consultation: Consultation) -> None:
    QD = question_service.QuestionData
    question_service.add_question(official, consultation, QD(
        QuestionKind.PRINCIPLE_RATING,
        "Hoe belangrijk is elk van deze principes bij kweekvlees?",
        "How much does each of these principles matter for cultivated meat?",
        help_nl="1 is niet belangrijk, 5 is heel belangrijk.",
        help_en="1 is not important, 5 is very important.", page=1, required=True))
    question_service.add_question(official, consultation, QD(
        QuestionKind.LIKERT, "Ik zou kweekvlees willen proeven.",
        "I would like to taste cultivated meat.", page=1, required=True))
    meat = question_service.add_question(official, consultation, QD(
        QuestionKind.SINGLE_CHOICE, "Eet u vlees?", "Do you eat meat?", page=1,
        required=True, options=[("Ja", "Yes"), ("Soms", "Sometimes"), ("Nee", "No")]))
    question_service.add_question(official, consultation, QD(
        QuestionKind.STATEMENTS, "Bent u het eens met deze stellingen?",
        "Do you agree with these statements?",
        help_nl="Kies eens, oneens of overslaan. U kunt ook zelf een stelling voorstellen.",
        help_en="Choose agree, disagree or pass. You can also propose a statement.",
        page=2, allow_proposals=True, statements=STATEMENTS))
    question_service.add_question(official, consultation, QD(
        QuestionKind.MULTIPLE_CHOICE, "Waar zou kweekvlees verkocht mogen worden?",
        "Where should cultivated meat be sold?", page=3, max_choices=2,
        options=[("Supermarkt", "Supermarket"), ("Restaurant", "Restaurant"),
                 ("Alleen bij proeverijen", "Only at tastings"), ("Nergens", "Nowhere")]))
    question_service.add_question(official, consultation, QD(
        QuestionKind.RANKING, "Wat vindt u het belangrijkst bij vlees? Zet in volgorde.",
        "What matters most to you in meat? Put in order.", page=3,
        options=[("Prijs", "Price"), ("Smaak", "Taste"), ("Dierenwelzijn", "Animal welfare"),
                 ("Klimaat", "Climate"), ("Gezondheid", "Health")]))
    question_service.add_question(official, consultation, QD(
        QuestionKind.OPEN_TEXT, "Waarom eet u geen vlees?", "Why do you not eat meat?",
        page=3, max_length=500, condition_option_id=meat.options[2].id))
    question_service.add_question(official, consultation, QD(
        QuestionKind.OPEN_TEXT, "Wat wilt u de overheid nog meegeven?",
        "What else would you like to tell the government?", page=3, max_length=2000))


def _make_consultation(official: User, slug: str, topic_code: str, title: tuple[str, str],
                       opens_days: int, closes_days: int) -> Consultation:
    topic = db.session.scalar(select(Topic).filter_by(code=topic_code))
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    consultation = service.create_consultation(official, service.ConsultationData(
        title_nl=title[0], title_en=title[1], slug=slug,
        summary_nl="Het kabinet wil weten wat u vindt van kweekvlees: vlees uit gekweekte "
                   "dierlijke cellen. Uw antwoorden helpen bij de afweging.",
        summary_en="The cabinet wants to know what you think of cultivated meat: meat grown "
                   "from animal cells. Your answers help weigh the choices.",
        body_nl="## Waar gaat het over?\n\nKweekvlees wordt gemaakt van dierlijke cellen "
                "die in een bioreactor groeien. Sinds 2023 mogen proeverijen in Nederland "
                "onder een gedragscode.\n\n## Wat doen we met uw reactie?\n\nWe lezen alle "
                "reacties en publiceren een verslag.",
        body_en="## What is it about?\n\nCultivated meat is made from animal cells grown in "
                "a bioreactor. Since 2023, tastings are allowed in the Netherlands under a "
                "code of practice.\n\n## What do we do with your response?\n\nWe read every "
                "response and publish a report.",
        topic_id=topic.id if topic else None, audience=Audience.ANYONE,
        opens_at_local=service.utc_to_local(now + timedelta(days=1)),
        closes_at_local=service.utc_to_local(now + timedelta(days=closes_days + 60)),
    ))
    _every_kind(official, consultation)
    service.schedule(official, consultation)
    consultation.opens_at = now + timedelta(days=opens_days)
    consultation.closes_at = now + timedelta(days=closes_days)
    consultation.status = ConsultationStatus.OPEN
    db.session.flush()
    return consultation


def consultations_demo_step(progress: Progress) -> list[str]:
    ensure_catalogues()
    lines = []
    if service.by_slug(SLUG) is None:
        official = demo_official()
        consultation = _make_consultation(
            official, SLUG, "cultivated-meat-fish",
            ("Kweekvlees in Nederland", "Cultivated meat in the Netherlands"), -14, 42)
        n = seed_responses(consultation, RESPONSES, SEED, progress)
        question = next(q for q in consultation.questions
                        if q.kind == QuestionKind.STATEMENTS)
        for text in ("Kweekvlees moet net zo duur zijn als gewoon vlees.",
                     "Scholen moeten lesgeven over kweekvlees."):
            db.session.add(Statement(question=question, text_nl=text, text_en=text,
                                     status=ModerationStatus.PENDING))
        db.session.flush()
        lines.append(f"consultation {SLUG}: open, {n} synthetic responses")
    else:
        lines.append(f"consultation {SLUG}: exists")
    if service.by_slug(CLOSED_SLUG) is None:
        official = demo_official()
        closed = _make_consultation(
            official, CLOSED_SLUG, "cultivated-meat-fish",
            ("Kweekvlees: eerste ronde", "Cultivated meat: first round"), -90, -30)
        n = seed_responses(closed, CLOSED_RESPONSES, SEED + 1, progress)
        closed.report_summary_nl = (
            "Veel mensen vinden veiligheid en keuzevrijheid het belangrijkst. Er zijn "
            "duidelijke verschillen tussen groepen: sommigen zien vooral kansen, anderen "
            "maken zich zorgen over natuurlijkheid en boeren.")
        closed.report_summary_en = (
            "Many people find safety and freedom of choice most important. Groups differ "
            "clearly: some mainly see opportunities, others worry about naturalness and "
            "farmers.")
        closed.report_outcome_nl = "We nemen de uitkomsten mee in de kabinetsvisie."
        closed.report_outcome_en = "We take the results into the cabinet's vision."
        service.publish_report(official, closed)
        lines.append(f"consultation {CLOSED_SLUG}: report published, {n} responses")
    else:
        lines.append(f"consultation {CLOSED_SLUG}: exists")
    return lines
