"""Survey filler words: words people use in any open answer, whatever they write about.

The ``stop-words`` package removes function words (de, het, the, and). Open answers to a
consultation also carry words that say *that* someone gives an opinion, not *what* it is
about: "ik vind gewoon echt dat ...", "verder geen opmerkingen", "I really think ...".
Left in, they fill every topic's top words. This list is ours (kept here, tested in
``tests/analysis/test_text_features.py``) and is removed on top of the package's list.
Words are lower case and unstemmed; matching is on the lower-cased word. "natuurlijk" is
left out on purpose: it means "of course" but also "natural", a theme of its own.
"""

from __future__ import annotations

from analysis.errors import AnalysisInputError

__all__ = ["FILLERS", "filler_words"]

_DUTCH = """
vind vindt vinden vond denk denkt denken dacht mening meningen idee ideeën gevoel
gewoon echt eigenlijk best heel erg zeer beetje wel misschien zeker toch
verder overigens opmerking opmerkingen vraag vragen antwoord antwoorden punt punten
graag aub alsjeblieft svp ok oke oké ja nee nou hoor even enzo enz etc bijvoorbeeld
belangrijk belangrijke belangrijkst belangrijkste goed goede slecht prima lijkt lijken
vooral steeds altijd nooit soms vaak ergens iets niets alles iedereen mensen men
moet moeten mag mogen kan kunnen zou zouden wil willen ga gaan gaat komt komen
zeggen zegt zeg weet weten snap begrijp alleen kunt staan staat zit zitten krijg krijgen
doen doet hebben heeft maken maakt gemaakt laten laat ver
"""

_ENGLISH = """
think thinks thought believe feel feels felt opinion opinions view views idea ideas
just really actually basically simply quite very pretty bit lot lots maybe perhaps
sure certainly definitely anyway further comment comments remark remarks question
questions answer answers point points please ok okay yes yeah no well
important good bad fine seems seem especially always never sometimes often something
nothing everything everyone people person must need needs should would could can will
want wants go going get gets say says know understand let make made put
do does done have has got
"""

FILLERS: dict[str, frozenset[str]] = {
    "nl": frozenset(_DUTCH.split()),
    "en": frozenset(_ENGLISH.split()),
}


def filler_words(language: str) -> frozenset[str]:
    """The survey filler words for ``"nl"`` or ``"en"``."""
    if language not in FILLERS:
        raise AnalysisInputError(f"language must be 'nl' or 'en', got {language!r}")
    return FILLERS[language]
