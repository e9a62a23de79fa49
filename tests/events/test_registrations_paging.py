"""An event's registrations, as its organisers see them, paged: "1–50 of 60" in English,
"1–50 van 60" in Dutch, links that keep the chosen size, and only the offered sizes."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from flask import Flask

from consult.extensions import db
from consult.models import Event, User
from consult.services.events import registration as reg_service
from tests.factories.events import adult
from tests.support.sessions import log_in


def _event_with(app: Flask, make_event: Callable[..., Event], n: int) -> Event:
    event = make_event(capacity=200)
    with app.test_request_context("/"):
        for k in range(n):
            reg_service.register(event, adult(f"person{k:03d}@example.nl",
                                              name=f"Persoon {k:03d}",
                                              birth_date=date(1980, 1, 1)))
        db.session.commit()
    return event


def test_registrations_are_counted_and_paged_in_both_languages(
    app: Flask, make_event: Callable[..., Event], organiser: User
) -> None:
    event = _event_with(app, make_event, 60)
    client = app.test_client()
    log_in(client, organiser)
    url = f"/organise/events/{event.id}/registrations"
    english = client.get(url + "?lang=en").get_data(as_text=True)
    assert "1–50 of 60" in english and 'aria-label="Pages of registrations"' in english
    assert "Persoon 049" in english and "Persoon 050" not in english
    dutch = client.get(url + "?lang=nl&page=2").get_data(as_text=True)
    assert "51–60 van 60" in dutch and "Persoon 050" in dutch and "Persoon 049" not in dutch
    assert 'aria-current="page"><span class="visually-hidden">Pagina </span>2</a>' in dutch


def test_registration_page_links_keep_the_size_and_a_bad_size_is_the_default(
    app: Flask, make_event: Callable[..., Event], organiser: User
) -> None:
    event = _event_with(app, make_event, 30)
    client = app.test_client()
    log_in(client, organiser)
    url = f"/organise/events/{event.id}/registrations"
    small = client.get(url + "?lang=en&per_page=25").get_data(as_text=True)
    assert "1–25 of 30" in small
    nav = re.search(r'<nav class="pager".*?</nav>', small, re.S)
    assert nav is not None
    assert "per_page=25&amp;page=2" in nav.group()
    assert "1–30 of 30" in client.get(url + "?lang=en&per_page=5000").get_data(as_text=True)


def test_an_action_on_page_two_comes_back_to_page_two(
    app: Flask, make_event: Callable[..., Event], organiser: User
) -> None:
    event = _event_with(app, make_event, 30)
    client = app.test_client()
    log_in(client, organiser)
    page = client.get(f"/organise/events/{event.id}/registrations?lang=en&per_page=25&page=2")
    action = re.search(r'action="([^"]+/no-show\?[^"]+)"', page.get_data(as_text=True))
    assert action is not None and "page=2" in action.group(1)
    done = client.post(action.group(1).replace("&amp;", "&"))
    assert done.status_code == 302
    assert done.location.endswith("/registrations?page=2&per_page=25")
