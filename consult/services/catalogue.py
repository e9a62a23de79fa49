"""The catalogues of topics and ethical principles, and reading them."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from sqlalchemy import select

from ..extensions import db
from ..models import Principle, Topic
from ..models._common import Bilingual

#: code, domain, Dutch name, English name
TOPICS: list[tuple[str, str, str, str]] = [
    ("cultivated-meat-fish", "food", "Kweekvlees en kweekvis", "Cultivated meat and fish"),
    ("ngt-crops", "food", "Nieuwe genomische technieken in de plantenveredeling",
     "New genomic techniques in plant breeding"),
    ("gene-therapy", "health", "Gentherapie", "Gene therapy"),
    ("biobased-materials", "circular_economy", "Biobased materialen", "Biobased materials"),
]

#: code, Dutch name, English name, Dutch description, English description
PRINCIPLES: list[tuple[str, str, str, str, str]] = [
    ("safety", "Veiligheid", "Safety",
     "Voor mens, dier en milieu, en de nationale veiligheid.",
     "For people, animals and the environment, and national security."),
    ("broad-prosperity", "Brede welvaart", "Broad prosperity",
     "Welzijn hier en nu, later en elders.",
     "Well-being here and now, later and elsewhere."),
    ("freedom-of-choice", "Keuzevrijheid", "Freedom of choice",
     "Zelf kunnen kiezen, bijvoorbeeld door duidelijke etikettering.",
     "Being able to choose for yourself, for example through clear labelling."),
    ("naturalness", "Natuurlijkheid en genetische integriteit",
     "Naturalness and genetic integrity",
     "Respect voor de eigen aard van planten, dieren en mensen.",
     "Respect for the own nature of plants, animals and people."),
    ("justice", "Rechtvaardigheid", "Justice",
     "Eerlijke verdeling van lusten en lasten.",
     "A fair sharing of benefits and burdens."),
    ("legitimacy", "Legitimiteit", "Legitimacy",
     "Besluiten die mensen kunnen volgen en waarin zij zijn gehoord.",
     "Decisions people can follow and in which they were heard."),
    ("strategic-autonomy", "Strategische autonomie", "Strategic autonomy",
     "Minder afhankelijk zijn van andere landen voor kennis en productie.",
     "Depending less on other countries for knowledge and production."),
]


def ensure_catalogues() -> int:
    """Add the topics and principles that are missing; returns how many were added."""
    added = 0
    known_topics = set(db.session.scalars(select(Topic.code)))
    for position, (code, domain, nl, en) in enumerate(TOPICS):
        if code not in known_topics:
            db.session.add(
                Topic(code=code, domain=domain, name_nl=nl, name_en=en, position=position)
            )
            added += 1
    known_principles = set(db.session.scalars(select(Principle.code)))
    for position, (code, nl, en, d_nl, d_en) in enumerate(PRINCIPLES):
        if code not in known_principles:
            db.session.add(
                Principle(code=code, name_nl=nl, name_en=en, description_nl=d_nl,
                          description_en=d_en, position=position)
            )
            added += 1
    db.session.flush()
    return added


def principles() -> Sequence[Principle]:
    return db.session.scalars(select(Principle).order_by(Principle.position)).all()


def topics() -> Sequence[Topic]:
    return db.session.scalars(select(Topic).order_by(Topic.position)).all()


#: How long (seconds) a worker reuses the topics' names it read (`topic_names`).
NAMES_MAX_AGE = 60.0


@dataclass(frozen=True)
class TopicName:
    """A topic's code and names, read once and kept by a worker (no database row)."""

    code: str
    name_nl: str
    name_en: str

    def name(self, locale: str) -> str:
        if locale == "en":
            return self.name_en or self.name_nl
        return self.name_nl or self.name_en


_names: dict[str, tuple[float, tuple[TopicName, ...]]] = {}
_names_lock = threading.Lock()


def topic_names(max_age: float = NAMES_MAX_AGE) -> tuple[TopicName, ...]:
    """The topics' names in order, read from the database at most every `max_age`
    seconds per worker process. Topics are only ever added (by `seed`, at deploy time)
    and never edited in the site, so a new topic shows up within that time."""
    key = str(db.engine.url)
    now = time.monotonic()
    with _names_lock:
        found = _names.get(key)
    if found is not None and now - found[0] < max_age:
        return found[1]
    names = tuple(TopicName(t.code, t.name_nl, t.name_en) for t in topics())
    with _names_lock:
        if len(_names) > 64:
            _names.clear()
        _names[key] = (now, names)
    return names


def forget_topic_names() -> None:
    """Forget the kept topics' names and principles (tests)."""
    with _names_lock:
        _names.clear()
        _principles.clear()


@dataclass(frozen=True)
class KeptPrinciple(Bilingual):
    """A principle as plain data, read once and kept by a worker (no database row), with
    what the respond pages and the question kinds read of a `Principle`."""

    code: str
    position: int
    name_nl: str
    name_en: str
    description_nl: str
    description_en: str

    def name(self, locale: str) -> str:
        return self._pick("name", locale)

    def description(self, locale: str) -> str:
        return self._pick("description", locale)


_principles: dict[str, tuple[float, tuple[KeptPrinciple, ...]]] = {}


def kept_principles(max_age: float = NAMES_MAX_AGE) -> Sequence[Principle]:
    """The principles in order, read from the database at most every `max_age` seconds
    per worker process, for the respond flow (a question page, the review, the submit,
    the receipt). Principles are only added by `seed`, at deploy time, like the topics;
    an edit made in the database shows within that time. Plain data with every
    attribute the respond flow reads of a `Principle`, hence the cast."""
    key = str(db.engine.url)
    now = time.monotonic()
    with _names_lock:
        found = _principles.get(key)
    if found is None or now - found[0] >= max_age:
        kept = tuple(KeptPrinciple(p.code, p.position, p.name_nl, p.name_en,
                                   p.description_nl or "", p.description_en or "")
                     for p in principles())
        found = (now, kept)
        with _names_lock:
            if len(_principles) > 64:
                _principles.clear()
            _principles[key] = found
    return cast("Sequence[Principle]", found[1])
