"""The lists of a consultation that grow, paged: the officials' response browser, the
moderation queue and the public list of published responses. Each says which rows it
shows of how many ("1–50 of 1,030", "1–50 van 1.030"), links to the other pages with
the filters kept, and takes only the offered page sizes."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from consult.extensions import db
from consult.models import (
    Consultation,
    ModerationStatus,
    PublicationConsent,
    RespondentCategory,
    Response,
    ResponseStatus,
    Role,
    utcnow,
)
from tests.factories.insights import add_response
from tests.support.sessions import log_in

_ids = itertools.count(1)


def _many(c: Consultation, n: int, category: str = "citizen") -> None:
    """`n` submitted responses, published anonymously, one second apart (straight inserts)."""
    now = utcnow()
    db.session.add_all(
        Response(public_id=f"p{next(_ids):031d}", consultation_id=c.id,
                 status=ResponseStatus.SUBMITTED, category=RespondentCategory(category),
                 consent=PublicationConsent.PUBLISH_ANONYMOUSLY, age_confirmed=True,
                 organisation_name=None if category == "citizen" else "Stichting Voorbeeld",
                 locale="nl", is_spam=False, submitted_at=now - timedelta(seconds=next(_ids)))
        for _ in range(n))
    db.session.commit()


@pytest.fixture
def official(app: Flask, make_user: Callable[..., object]) -> FlaskClient:
    client = app.test_client()
    log_in(client, make_user("ambtenaar@example.nl", role=Role.OFFICIAL))  # type: ignore[arg-type]
    return client


def _text(client: FlaskClient, url: str) -> str:
    answer = client.get(url)
    assert answer.status_code == 200, url
    return answer.get_data(as_text=True)


def _rows(page: str) -> int:
    return page.count('class="response-item"')


def _links(page: str) -> list[str]:
    nav = re.search(r'<nav class="pager".*?</nav>', page, re.S)
    assert nav is not None, "no page links"
    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', nav.group())]


def test_the_response_browser_counts_in_each_language_and_pages_through_all(
    official: FlaskClient, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    _many(c, 1030)
    url = f"/officials/consultations/{c.slug}/responses"
    english = _text(official, url + "?lang=en")
    assert "1–50 of 1,030" in english and _rows(english) == 50
    assert 'aria-label="Pages of responses"' in english
    assert 'aria-current="page"><span class="visually-hidden">Page </span>1</a>' in english
    dutch = _text(official, url + "?lang=nl")
    assert "1–50 van 1.030" in dutch
    assert 'aria-label="Pagina\'s met reacties"' in dutch
    last = _text(official, url + "?page=21&lang=en")
    assert "1,001–1,030 of 1,030" in last and _rows(last) == 30
    assert "Next page" not in last and "Previous page" in last


def test_the_response_browser_keeps_its_filters_and_size_in_every_page_link(
    official: FlaskClient, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    _many(c, 60, "company")
    _many(c, 5, "citizen")
    url = f"/officials/consultations/{c.slug}/responses?category=company&per_page=25&lang=en"
    page = _text(official, url)
    assert "1–25 of 60" in page and _rows(page) == 25
    links = _links(page)
    assert links and all("category=company" in link and "per_page=25" in link
                         for link in links)
    assert any(link.endswith("page=3") for link in links)
    # The size choice keeps the filter too, and offers only the sizes there are.
    form = page[page.index('class="pager-size"'):]
    assert '<input type="hidden" name="category" value="company">' in form
    assert re.findall(r'<option value="(\d+)"', form)[:3] == ["25", "50", "100"]


@pytest.mark.parametrize("size", ["1000000", "0", "-1", "abc", "30"])
def test_a_tampered_page_size_shows_the_default_fifty(
    official: FlaskClient, make_consultation: Callable[..., Consultation], size: str
) -> None:
    c = make_consultation()
    _many(c, 120)
    page = _text(official, f"/officials/consultations/{c.slug}/responses?lang=en&per_page={size}")
    assert "1–50 of 120" in page and _rows(page) == 50


def test_a_page_beyond_the_last_shows_the_last_with_a_way_back(
    official: FlaskClient, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    _many(c, 60)
    page = _text(official, f"/officials/consultations/{c.slug}/responses?lang=en&page=999")
    assert "51–60 of 60" in page and _rows(page) == 10
    assert any(link.endswith("page=1") for link in _links(page))


def test_an_empty_browser_says_so_without_page_links(
    official: FlaskClient, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    page = _text(official, f"/officials/consultations/{c.slug}/responses?lang=en")
    assert "None found." in page and 'class="pager"' not in page
    assert "Niets gevonden." in _text(official,
                                      f"/officials/consultations/{c.slug}/responses?lang=nl")


def test_the_public_list_pages_and_keeps_the_search(
    client: FlaskClient, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    _many(c, 30, "company")
    _many(c, 40, "citizen")
    base = f"/consultations/{c.slug}/responses"
    english = _text(client, base + "?lang=en&category=citizen&per_page=25")
    assert "1–25 of 40" in english
    links = _links(english)
    assert all("category=citizen" in link and "per_page=25" in link for link in links)
    assert "26–40 van 40" in _text(client, base + "?lang=nl&category=citizen&per_page=25&page=2")
    assert "1–50 of 70" in _text(client, base + "?lang=en&per_page=999")


def test_the_moderation_queue_says_how_many_wait_and_pages(
    official: FlaskClient, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    for n in range(60):
        add_response(c, text=f"Mening nummer {n:03d}", moderation=ModerationStatus.PENDING)
    add_response(c, text="Al goedgekeurd", moderation=ModerationStatus.APPROVED)
    db.session.commit()
    url = f"/officials/consultations/{c.slug}/moderation"
    english = _text(official, url + "?status=pending&lang=en")
    assert "Waiting for moderation: 60 open answers and 0 proposed statements." in english
    assert "1–50 of 60" in english
    assert "Mening nummer 049" in english and "Mening nummer 050" not in english
    assert _links(english) and all("status=pending" in link for link in _links(english))
    dutch = _text(official, url + "?lang=nl&page=2")
    assert "Wachten op moderatie: 60 open antwoorden en 0 voorgestelde stellingen." in dutch
    assert "51–60 van 60" in dutch and "Mening nummer 050" in dutch
    approved = _text(official, url + "?lang=en&status=approved&per_page=25")
    assert "1–1 of 1" in approved and "Al goedgekeurd" in approved


def test_a_decision_on_page_two_comes_back_to_page_two(
    official: FlaskClient, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation()
    answers = [add_response(c, text=f"Mening {n}", moderation=ModerationStatus.PENDING)
               .answers[0] for n in range(30)]
    db.session.commit()
    url = f"/officials/consultations/{c.slug}/moderation?status=pending&per_page=25&page=2"
    page = _text(official, url + "&lang=en")
    action = f"/moderation/answer/{answers[27].id}?status=pending&amp;page=2&amp;per_page=25"
    assert action in page
    decided = official.post(f"/officials/consultations/{c.slug}" + action.replace("&amp;", "&"),
                            data={"decision": "approve"})
    assert decided.status_code == 302
    assert decided.location.endswith("/moderation?status=pending&page=2&per_page=25")
    # Other names in the query string are not passed on.
    other = official.post(f"/officials/consultations/{c.slug}/moderation/answer/"
                          f"{answers[28].id}?slug=x&kind=y&page=2", data={"decision": "approve"})
    assert other.location.endswith("/moderation?page=2")
