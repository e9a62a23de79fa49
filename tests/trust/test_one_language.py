"""Every page speaks one language: a Dutch page shows no English, an English page no Dutch.

The pages are the ones the HTML and raw-code walks visit: every URL of the app's map with
its arguments filled from the security world plus one of every status, the living design
page, as anonymous, citizen, organiser, official and admin, in Dutch and in English. The
checker (tests/support/one_language.py) reads the visible text, leaves out parts marked
as another language, and looks for function words that exist in the other language only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from consult.extensions import db
from consult.models import Consultation, ModerationStatus, QuestionKind, Response, Statement
from tests.factories.consultations import q
from tests.support.every_status import add_every_status
from tests.support.one_language import Leak, other_language, shown_texts
from tests.support.responding import respond
from tests.support.security_world import World, seed_world
from tests.trust.test_no_raw_codes import _pages, walk


def test_the_checker_finds_a_planted_leak() -> None:
    page = ('<!doctype html><html lang="{lang}"><head><title>{title}</title></head><body>'
            '<main><h1>{title}</h1><p>{text}</p>'
            '<blockquote lang="{other}">{quote}</blockquote>'
            '<a href="?lang={other}" lang="{other}">{switch}</a>'
            '<script>var x = "{quote}";</script></main></body></html>')
    clean_nl = page.format(lang="nl", other="en", title="Uw reacties",
                           text="U kunt uw reactie nog wijzigen.",
                           quote="This is what I think", switch="English")
    assert other_language(clean_nl) == []
    leaking_nl = clean_nl.replace("U kunt uw reactie nog wijzigen.",
                                  "U kunt uw reactie nog wijzigen. Change your answers")
    assert other_language(leaking_nl) == [
        Leak("your", "U kunt uw reactie nog wijzigen. Change your answers")]
    clean_en = page.format(lang="en", other="nl", title="Your responses",
                           text="You can still change your response.",
                           quote="Dit is wat ik denk", switch="Nederlands")
    assert other_language(clean_en) == []
    leaking_en = clean_en.replace('<main>', '<main><button aria-label="Sluit het menu">'
                                  'x</button>')
    assert [leak.word for leak in other_language(leaking_en)] == ["het"]
    # A Dutch answer the page does not mark as Dutch is reported too.
    unmarked = clean_en.replace('<blockquote lang="nl">', "<blockquote>")
    assert {leak.word for leak in other_language(unmarked)} == {"dit", "wat"}
    # What a person typed, marked lang="" (language unknown), is theirs.
    typed = clean_en.replace('<blockquote lang="nl">', '<blockquote lang="">')
    assert other_language(typed) == []
    # A decimal written the other language's way, but not a version such as "WCAG 2.1".
    assert [leak.word for leak in other_language(
        clean_nl.replace("nog wijzigen.", "nog wijzigen. Gemiddeld 4.1 (WCAG 2.1)"))] == ["4.1"]
    assert [leak.word for leak in other_language(
        clean_en.replace("your response.", "your response. Mean 4,53; 4,000 people"))] == ["4,53"]
    assert shown_texts(clean_en)[0] == "en"


@pytest.fixture
def world(app_factory: Callable[..., Flask]) -> Iterator[World]:
    app = app_factory(DESIGN_PAGE=True)
    with app.app_context():
        yield add_every_status(seed_world(app))
        db.session.remove()


#: What a respondent types, in the other language than the page's.
TYPED = {"en": "Het is een goed idee, ook voor mij.", "nl": "This is not what you want."}


def _journeys(world: World, lang: str) -> Iterator[tuple[str, object]]:
    """Pages reached by doing something: answering up to check-your-answers and the
    receipt (in the other language's words: what people type stays theirs), and forms
    sent with mistakes."""
    c = world.consultation
    client = world.app.test_client()
    client.get(f"/?lang={lang}")
    respond(client, c, text=TYPED[lang], submit=False)
    yield "check your answers", client.get(f"/consultations/{c.slug}/review")
    sent = client.post(f"/consultations/{c.slug}/review", data={"website": ""})
    yield "receipt", client.get(sent.headers["Location"])
    fresh = world.app.test_client()
    fresh.get(f"/?lang={lang}")
    yield "about you with errors", fresh.post(f"/consultations/{c.slug}/respond", data={})
    yield "register with errors", fresh.post(
        "/account/register", data={"email": "not an address", "password": "short"})
    yield "login with errors", fresh.post("/account/login", data={"email": "", "password": ""})


def test_no_page_shows_the_other_language(world: World) -> None:
    found: dict[str, set[str]] = {}
    shown = 0
    for where, html in walk(world, [*_pages(world), "/_design"]):
        shown += 1
        for leak in other_language(html):
            found.setdefault(str(leak), set()).add(where)
    # Last: the journeys add responses, which the walk would otherwise show.
    for lang in ("nl", "en"):
        for name, response in _journeys(world, lang):
            assert getattr(response, "status_code", 0) in (200, 400, 422), name
            shown += 1
            html = response.get_data(as_text=True)  # type: ignore[attr-defined]
            if name in ("check your answers", "receipt"):  # the typed answer is there
                assert TYPED[lang] in html, name
            for leak in other_language(html):
                found.setdefault(str(leak), set()).add(f"{name} ({lang})")
    print(f"{shown} page views read")
    assert shown > 400  # the walk reached the pages (not only error pages)
    report = "\n".join(f"{leak}: {len(where)} × {sorted(where)[:3]}"
                       for leak, where in sorted(found.items()))
    assert not found, f"{len(found)} phrases in the other language:\n{report}"


def test_a_text_given_in_dutch_only_is_marked_dutch_on_english_pages(
    app: Flask, consultation: Consultation,
) -> None:
    """An official may leave the English texts empty: the English pages then show the
    Dutch ones (the fallback), marked lang="nl", so they read as Dutch and do not count
    as a leak; the Dutch pages need no mark."""
    consultation.title_en = consultation.summary_en = consultation.body_en = ""
    consultation.summary_nl = "Wat vindt u van het kweken van vlees?"
    consultation.body_nl = "Het kabinet wil weten wat u denkt."
    question = consultation.questions[2]
    question.text_nl, question.text_en = "Wilt u het proeven?", ""
    db.session.commit()
    client = app.test_client()
    respond(client, consultation, submit=False)
    slug = consultation.slug
    for path in ("/", "/consultations/", f"/consultations/{slug}",
                 f"/consultations/{slug}/respond/1", f"/consultations/{slug}/review"):
        english = client.get(f"{path}?lang=en").get_data(as_text=True)
        assert other_language(english) == [], path
        dutch = client.get(f"{path}?lang=nl").get_data(as_text=True)
        assert other_language(dutch) == [] and ' lang="nl"' not in dutch.split("<body")[1], path
    english = client.get(f"/consultations/{slug}?lang=en").get_data(as_text=True)
    assert '<p class="lead" lang="nl">Wat vindt u van het kweken van vlees?</p>' in english
    english = client.get(f"/consultations/{slug}/respond/1?lang=en").get_data(as_text=True)
    assert '<span lang="nl">Wilt u het proeven?</span>' in english


def test_a_statement_a_respondent_proposed_is_marked_as_of_unknown_language(
    app: Flask, consultation: Consultation,
) -> None:
    """A respondent writes a proposal in their own language; it is stored as the Dutch text
    but may be English, so both pages mark it lang="" (unknown) until an official gives it
    an English text; an official's Dutch-only statement stays marked Dutch on English pages."""
    question = q(consultation, QuestionKind.STATEMENTS)
    proposal = Statement(question=question, text_nl="Labels must say where it was grown",
                         text_en="", status=ModerationStatus.APPROVED)
    official = Statement(question=question, text_nl="Kweekvlees hoort in de supermarkt",
                         text_en="", status=ModerationStatus.APPROVED)
    db.session.add_all([proposal, official])
    db.session.commit()
    client = app.test_client()
    respond(client, consultation, submit=False)
    proposal.proposed_by_response_id = db.session.scalar(db.select(Response.id))
    db.session.commit()
    for lang in ("nl", "en"):
        page = client.get(f"/consultations/{consultation.slug}/respond/1?lang={lang}")
        html = page.get_data(as_text=True)
        assert '<legend lang="">Labels must say where it was grown</legend>' in html, lang
        assert other_language(html) == [], lang
    english = client.get(f"/consultations/{consultation.slug}/respond/1?lang=en").get_data(
        as_text=True)
    assert '<legend lang="nl">Kweekvlees hoort in de supermarkt</legend>' in english
    proposal.text_en = "Labels must say where it was grown"
    db.session.commit()
    english = client.get(f"/consultations/{consultation.slug}/respond/1?lang=en").get_data(
        as_text=True)
    assert "<legend>Labels must say where it was grown</legend>" in english
