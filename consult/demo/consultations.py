"""Demo consultations: an open one on cultivated meat using every question kind, with a
few thousand synthetic responses, and a closed one with a published report.

The responses come from four planted opinion groups whose mix of respondent categories
differs, so the opinion analysis has something real to find:

- "innovators": companies and knowledge institutions, some citizens; agree with
  statements on safety and strategic autonomy, disagree with naturalness objections;
- "animals and climate": civil society and young citizens; agree with welfare and
  climate statements, want labelling;
- "naturalness": older citizens and farmers' organisations; disagree with cultivated
  meat, agree with naturalness and farmers' livelihoods;
- "careful regulators": government and knowledge institutions; agree with testing,
  labelling and legitimacy, pass on much else.

Everything is seeded (the same every time) and inserted in bulk (a few seconds on
SQLite). Running the step twice adds nothing the second time.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select

from consult.extensions import db
from consult.models import (
    Answer,
    Audience,
    Consultation,
    ConsultationStatus,
    ModerationStatus,
    PublicationConsent,
    QuestionKind,
    Response,
    ResponseStatus,
    Statement,
    StatementVote,
    Topic,
    User,
    utcnow,
)
from consult.services.catalogue import ensure_catalogues, principles
from consult.services.consultations import editing as service
from consult.services.consultations import questions as question_service
from consult.services.consultations.similarity import normalised_hash

Progress = Callable[[str, int], Callable[[int], None]]

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

#: Per group: P(agree), P(disagree) per statement (the rest is pass or not seen).
GROUP_VOTES: dict[str, list[tuple[float, float]]] = {
    "innovators": [(.95, .03), (.03, .95), (.3, .5), (.1, .85), (.95, .03), (.1, .85),
                   (.95, .03), (.3, .5), (.05, .9), (.1, .8), (.1, .8), (.95, .03)],
    "animals": [(.5, .3), (.05, .92), (.97, .02), (.95, .03), (.1, .8), (.1, .85),
                (.1, .8), (.95, .03), (.9, .05), (.9, .05), (.1, .1), (.2, .5)],
    "naturalness": [(.05, .92), (.95, .03), (.08, .85), (.95, .03), (.03, .95), (.97, .02),
                    (.03, .95), (.08, .85), (.92, .04), (.85, .08), (.6, .2), (.04, .92)],
    "regulators": [(.9, .05), (.1, .1), (.1, .1), (.97, .02), (.1, .8), (.1, .1),
                   (.03, .95), (.1, .1), (.1, .8), (.95, .03), (.98, .01), (.9, .05)],
}

#: Per group: category weights (citizen, civil_society, knowledge, company, government).
GROUP_CATEGORIES: dict[str, list[float]] = {
    "innovators": [.45, .02, .23, .28, .02],
    "animals": [.75, .22, .02, .01, .0],
    "naturalness": [.82, .12, .01, .05, .0],
    "regulators": [.35, .05, .25, .0, .35],
}
GROUP_WEIGHTS = {"innovators": .26, "animals": .26, "naturalness": .28, "regulators": .20}
CATEGORIES = ["citizen", "civil_society", "knowledge_institution", "company", "government"]
AGES: dict[str, list[float]] = {  # weights over the seven age bands
    "innovators": [.15, .25, .25, .15, .1, .07, .03],
    "animals": [.3, .3, .15, .1, .08, .05, .02],
    "naturalness": [.05, .08, .12, .18, .22, .22, .13],
    "regulators": [.05, .2, .25, .25, .15, .08, .02],
}
#: Mean importance per principle (catalogue order) per group.
GROUP_PRINCIPLES: dict[str, list[float]] = {
    "innovators": [3.8, 4.2, 3.2, 1.8, 3.0, 3.2, 4.6],
    "animals": [3.6, 4.4, 3.8, 2.4, 4.5, 3.6, 2.6],
    "naturalness": [4.7, 3.0, 4.4, 4.8, 4.0, 3.8, 3.4],
    "regulators": [4.8, 3.6, 4.2, 3.0, 3.8, 4.7, 3.6],
}
GROUP_LIKERT = {"innovators": 4.5, "animals": 3.8, "naturalness": 1.6, "regulators": 3.0}
#: Per group: ranking preference scores for (price, taste, animal welfare, climate, health).
GROUP_RANKING: dict[str, list[float]] = {
    "innovators": [3, 4, 2, 2.5, 3.5], "animals": [1, 1.5, 5, 4, 2],
    "naturalness": [3, 4, 2, 1, 4.5], "regulators": [2, 2, 3, 3, 5],
}
GROUP_MEAT = {"innovators": [.8, .15, .05], "animals": [.25, .35, .4],
              "naturalness": [.95, .04, .01], "regulators": [.7, .25, .05]}
#: Open answers are put together from parts, so they vary like real ones do.
TEXT_PARTS: dict[str, list[list[str]]] = {
    "innovators": [
        ["Ik zie vooral kansen.", "Geef innovatie de ruimte.", "Dit is de toekomst.",
         "Wees niet te bang voor nieuwe technieken.", "Kweekvlees verdient een eerlijke kans.",
         "Ik werk zelf in de voedseltechnologie."],
        ["Zorg wel voor goede veiligheidstoetsen.", "Maak de toelating sneller en duidelijker.",
         "Nederland kan hier een voortrekkersrol spelen.",
         "Investeer in onderzoek aan universiteiten.",
         "Laat bedrijven proeverijen houden onder streng toezicht.",
         "Europa moet minder afhankelijk worden van import."],
        ["", "Dat levert banen op.", "Anders gaan andere landen ervandoor.",
         "De wetenschap is er klaar voor.", "Consumenten kiezen dan zelf."],
    ],
    "animals": [
        ["Minder dierenleed is voor mij het belangrijkste.", "Ik eet al jaren geen vlees.",
         "Denk aan de dieren.", "Het klimaat vraagt om andere keuzes.",
         "Ik ben blij dat dit onderzocht wordt.", "Als het echt diervriendelijk is, ben ik voor."],
        ["Het moet wel eerlijk geprijsd zijn.", "Zet duidelijk op het etiket hoe het gemaakt is.",
         "Gebruik geen kalfsserum bij de productie.", "Help boeren om over te stappen.",
         "Maak plantaardige alternatieven ook goedkoper.",
         "Ik zou het misschien wel proberen."],
        ["", "Dank voor deze consultatie.", "Mijn kinderen denken er net zo over.",
         "Graag snel.", "Dat scheelt veel uitstoot."],
    ],
    "naturalness": [
        ["Laat ons gewoon echt vlees eten.", "Dit is knutselen met de natuur.",
         "Ik vertrouw dit niet.", "Wat de natuur geeft is goed genoeg.",
         "Ik heb een veehouderij en maak mij zorgen.", "Waarom moet alles anders?"],
        ["Denk aan de boeren en het platteland.", "We weten niet wat het op lange termijn doet.",
         "Koop bij de slager om de hoek.", "Grote bedrijven worden er rijk van, niet wij.",
         "Onze voedseltradities zijn belangrijk.", "Zorg dat ik altijd kan blijven kiezen."],
        ["", "Luister naar de mensen op het platteland.", "Ik eet het in elk geval niet.",
         "Mijn familie boert al generaties.", "Dat is mijn mening."],
    ],
    "regulators": [
        ["Eerst goed onderzoek, dan pas toelaten.", "Veiligheid gaat voor alles.",
         "De regels moeten helder zijn.", "Ik werk bij een gemeente en zie vragen van burgers.",
         "Een zorgvuldige afweging is nodig.", "Toezicht is hier de sleutel."],
        ["Etikettering en toezicht moeten op orde zijn.",
         "Laat onafhankelijke experts elke proeverij beoordelen.",
         "Betrek burgers bij de besluiten.", "Houd rekening met de gevolgen voor boeren.",
         "Stem de regels af met andere Europese landen.",
         "Publiceer de uitkomsten van de proeverijen."],
        ["", "Dan kan het vertrouwen groeien.", "Neem daar de tijd voor.",
         "Zo blijft het besluit te volgen.", "Dat voorkomt problemen later."],
    ],
}
NO_MEAT_REASONS = ["Vanwege dierenwelzijn.", "Vanwege het klimaat.", "Ik vind het niet lekker.",
                   "Om mijn gezondheid.", "Vanwege dierenwelzijn en het klimaat.",
                   "Ik ben zo opgevoed.", "Het is te duur."]
CAMPAIGN_TEXT = ("Stop kweekvlees! Echt voedsel komt van de boer, niet uit het lab. "
                 "Bescherm onze boeren en onze voedseltradities.")
ORGANISATIONS = {
    "civil_society": ["Stichting Dier & Toekomst", "Vereniging Boer en Buurt",
                      "Consumentenplatform Eerlijk Eten", "Klimaatcoalitie Nu"],
    "knowledge_institution": ["Universiteit van Oost-Nederland", "Hogeschool Voedsel & Techniek",
                              "Instituut voor Voedselveiligheid"],
    "company": ["CellCultuur BV", "Slagerij De Vries", "FoodTech Delta BV",
                "Zuivel- en Vleescoöperatie Noord"],
    "government": ["Gemeente Leiden", "Provincie Gelderland", "Waterschap Rijn en IJssel"],
}


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


def _pick(rng: random.Random, weights: list[float]) -> int:
    return rng.choices(range(len(weights)), weights=weights)[0]


def _scale(rng: random.Random, mean: float) -> int:
    return max(1, min(5, round(rng.gauss(mean, 0.8))))


def seed_responses(consultation: Consultation, count: int, seed: int,
                   progress: Progress | None = None) -> int:
    """Insert `count` synthetic submitted responses in bulk; returns how many."""
    rng = random.Random(seed)  # noqa: S311 - synthetic demo data, seeded on purpose
    questions = {q.kind: q for q in consultation.questions if q.kind != QuestionKind.OPEN_TEXT}
    open_texts = [q for q in consultation.questions if q.kind == QuestionKind.OPEN_TEXT]
    conditional = next((q for q in open_texts if q.condition_option is not None), None)
    general = next(q for q in open_texts if q.condition_option is None)
    statements = questions[QuestionKind.STATEMENTS].approved_statements()
    codes = [p.code for p in principles()]
    meat_options = [o.id for o in questions[QuestionKind.SINGLE_CHOICE].options]
    sell_options = [o.id for o in questions[QuestionKind.MULTIPLE_CHOICE].options]
    rank_options = [o.id for o in questions[QuestionKind.RANKING].options]
    groups = list(GROUP_WEIGHTS)
    start = consultation.opens_at or utcnow()
    span = max(1.0, ((min(utcnow(), consultation.closes_at or utcnow()) - start)
                     .total_seconds()))
    advance = progress("responses", count) if progress else None
    done = 0
    batch = 1000
    from consult.models import AGE_BANDS, PROVINCES

    while done < count:
        size = min(batch, count - done)
        people: list[dict[str, Any]] = []
        rows: list[dict[str, Any]] = []
        for _ in range(size):
            group = groups[_pick(rng, list(GROUP_WEIGHTS.values()))]
            category = CATEGORIES[_pick(rng, GROUP_CATEGORIES[group])]
            consent = [PublicationConsent.PUBLISH_ANONYMOUSLY,
                       PublicationConsent.PUBLISH_WITH_NAME,
                       PublicationConsent.DO_NOT_PUBLISH][_pick(rng, [.6, .2, .2])]
            submitted = start + timedelta(seconds=rng.random() * span)
            people.append({"group": group})
            rows.append({
                "public_id": f"{rng.getrandbits(128):032x}",
                "consultation_id": consultation.id, "status": ResponseStatus.SUBMITTED,
                "category": category,
                "organisation_name": None if category == "citizen"
                else rng.choice(ORGANISATIONS[category]),
                "age_band": AGE_BANDS[_pick(rng, AGES[group])] if rng.random() < .85 else None,
                "province": rng.choice(PROVINCES) if rng.random() < .8 else None,
                "consent": consent, "age_confirmed": True, "locale": "nl",
                "is_spam": False, "started_at": submitted - timedelta(minutes=12),
                "updated_at": submitted, "submitted_at": submitted,
            })
        ids = list(db.session.scalars(
            insert(Response).returning(Response.id, sort_by_parameter_order=True), rows))
        answers: list[dict[str, Any]] = []
        votes: list[dict[str, Any]] = []
        for response_id, person in zip(ids, people, strict=True):
            group = person["group"]
            means = GROUP_PRINCIPLES[group]
            answers.append({"response_id": response_id,
                            "question_id": questions[QuestionKind.PRINCIPLE_RATING].id,
                            "value": {c: _scale(rng, m) for c, m in zip(codes, means,
                                                                         strict=False)}})
            answers.append({"response_id": response_id,
                            "question_id": questions[QuestionKind.LIKERT].id,
                            "number": float(_scale(rng, GROUP_LIKERT[group]))})
            meat = meat_options[_pick(rng, GROUP_MEAT[group])]
            answers.append({"response_id": response_id,
                            "question_id": questions[QuestionKind.SINGLE_CHOICE].id,
                            "value": [meat]})
            if rng.random() < .8:
                chosen = sorted(rng.sample(sell_options, rng.choice([1, 2])),
                                key=sell_options.index)
                if group == "naturalness" and rng.random() < .6:
                    chosen = [sell_options[3]]
                answers.append({"response_id": response_id,
                                "question_id": questions[QuestionKind.MULTIPLE_CHOICE].id,
                                "value": chosen})
            if rng.random() < .7:
                scores = [s + rng.gauss(0, 1) for s in GROUP_RANKING[group]]
                order = [o for _, o in sorted(zip(scores, rank_options, strict=True),
                                              reverse=True)]
                answers.append({"response_id": response_id,
                                "question_id": questions[QuestionKind.RANKING].id,
                                "value": order})
            for statement, (agree, disagree) in zip(statements, GROUP_VOTES[group],
                                                    strict=False):
                if rng.random() < .03:
                    continue  # not seen
                roll = rng.random()
                vote = 1 if roll < agree else -1 if roll < agree + disagree else 0
                votes.append({"response_id": response_id, "statement_id": statement.id,
                              "vote": vote})
            text = None
            if group == "naturalness" and rng.random() < .08:
                text = CAMPAIGN_TEXT if rng.random() < .7 else CAMPAIGN_TEXT.replace(
                    "Stop kweekvlees!", "Stop met kweekvlees!")
            elif rng.random() < .2:
                text = " ".join(part for part in (rng.choice(options)
                                                  for options in TEXT_PARTS[group]) if part)
            if text:
                answers.append(_text_answer(response_id, general.id, text, rng))
            if conditional and meat == meat_options[2] and rng.random() < .5:
                answers.append(_text_answer(response_id, conditional.id,
                                            rng.choice(NO_MEAT_REASONS), rng))
        full = [{"value": None, "number": None, "text": None, "text_hash": None,
                 "moderation": None, **a} for a in answers]
        db.session.execute(insert(Answer), full)
        if votes:
            db.session.execute(insert(StatementVote), votes)
        done += size
        if advance:
            advance(size)
    return done


def _text_answer(response_id: int, question_id: int, text: str,
                 rng: random.Random) -> dict[str, Any]:
    approved = rng.random() < .8
    return {"response_id": response_id, "question_id": question_id, "text": text,
            "text_hash": normalised_hash(text),
            "moderation": ModerationStatus.APPROVED if approved else ModerationStatus.PENDING}


def _official() -> User:
    from consult.services.accounts.auth import find_by_email

    official = find_by_email("ambtenaar@consult.example")
    if official is None:
        from consult.demo.steps import ensure_demo_users

        ensure_demo_users()
        official = find_by_email("ambtenaar@consult.example")
    assert official is not None
    return official


def consultations_demo_step(progress: Progress) -> list[str]:
    ensure_catalogues()
    lines = []
    if service.by_slug(SLUG) is None:
        official = _official()
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
        official = _official()
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
