"""Language choice and per-locale formatting."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from flask import Flask, render_template_string
from flask_babel import force_locale

from consult.extensions import db
from consult.models import User
from tests.support.sessions import login


def lang_of(html: str) -> str:
    start = html.index('<html lang="') + len('<html lang="')
    return html[start : start + 2]


def test_dutch_is_the_default(app: Flask) -> None:
    html = app.test_client().get("/").get_data(as_text=True)
    assert lang_of(html) == "nl"
    assert "Praat mee over biotechnologie" in html


def test_accept_language_is_followed(app: Flask) -> None:
    client = app.test_client()
    html = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert lang_of(html) == "en"
    html = client.get("/", headers={"Accept-Language": "fr, de"}).get_data(as_text=True)
    assert lang_of(html) == "nl"


def test_lang_parameter_switches_and_is_remembered(app: Flask) -> None:
    client = app.test_client()
    assert lang_of(client.get("/about?lang=en").get_data(as_text=True)) == "en"
    assert lang_of(client.get("/privacy").get_data(as_text=True)) == "en"
    assert lang_of(client.get("/privacy?lang=nl").get_data(as_text=True)) == "nl"
    assert lang_of(client.get("/").get_data(as_text=True)) == "nl"


def test_an_unknown_language_code_is_explained_and_changes_nothing(app: Flask) -> None:
    client = app.test_client()
    client.get("/?lang=en")
    response = client.get("/about?lang=xx")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert lang_of(html) == "en"
    assert "That language is not available. Choose Nederlands or English." in html
    html = client.get("/?lang=%3Cscript%3E&lang=nl").get_data(as_text=True)
    assert "<script>" not in html


def test_every_page_has_a_switch_to_the_other_language(app: Flask) -> None:
    html = app.test_client().get("/about?lang=nl").get_data(as_text=True)
    assert 'href="/about?lang=en"' in html
    assert 'lang="en"' in html  # the link text "English" is marked as English


def test_the_saved_preference_wins_and_the_switch_saves_it(
    app: Flask, make_user: Callable[..., User]
) -> None:
    user = make_user("anna@example.nl")
    user.locale = "en"
    db.session.commit()
    client = app.test_client()
    login(client, "anna@example.nl")
    html = client.get("/", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert lang_of(html) == "en"
    client.get("/?lang=nl")
    db.session.refresh(user)
    assert user.locale == "nl"
    assert lang_of(client.get("/").get_data(as_text=True)) == "nl"


def test_a_language_chosen_before_logging_in_becomes_the_account_s(
    app: Flask, make_user: Callable[..., User]
) -> None:
    user = make_user("bram@example.nl")
    user.locale = "nl"
    db.session.commit()
    client = app.test_client()
    assert lang_of(client.get("/account/login?lang=en").get_data(as_text=True)) == "en"
    login(client, "bram@example.nl")
    assert lang_of(client.get("/").get_data(as_text=True)) == "en"
    db.session.refresh(user)
    assert user.locale == "en"
    # Without a choice on this visit, the account's language stays.
    other = app.test_client()
    other.environ_base["HTTP_ACCEPT_LANGUAGE"] = "nl"
    login(other, "bram@example.nl")
    assert lang_of(other.get("/").get_data(as_text=True)) == "en"


def test_dates_and_numbers_follow_the_locale_in_amsterdam_time(app: Flask) -> None:
    moment = datetime(2026, 6, 30, 22, 30, tzinfo=UTC)  # 1 July 00:30 in Amsterdam (CEST)
    template = "{{ moment | date }}|{{ moment | datetime('short') }}|{{ 1234567.5 | number }}"
    with app.test_request_context("/"):
        with force_locale("nl"):
            nl = render_template_string(template, moment=moment)
        with force_locale("en"):
            en = render_template_string(template, moment=moment)
    assert nl.split("|")[0] == "1 juli 2026"
    assert "00:30" in nl.split("|")[1]
    assert nl.split("|")[2] == "1.234.567,5"
    assert en.split("|")[0] == "1 July 2026"  # British English, not US
    assert en.split("|")[2] == "1,234,567.5"


def test_date_times_read_in_local_time_to_the_minute_without_offsets(app: Flask) -> None:
    moment = datetime(2026, 12, 19, 17, 0, 5, tzinfo=UTC)  # 18:00 in Amsterdam (CET)
    template = "{{ moment | datetime }}|{{ moment | time_element('full') }}"
    with app.test_request_context("/"):
        with force_locale("nl"):
            nl = render_template_string(template, moment=moment)
        with force_locale("en"):
            en = render_template_string(template, moment=moment)
    assert nl.split("|")[0] == "19 december 2026, 18:00"
    assert en.split("|")[0] == "19 December 2026, 18:00"  # en-GB: 24-hour clock
    assert "zaterdag 19 december 2026, 18:00</time>" in nl
    assert 'datetime="2026-12-19T17:00:05+00:00"' in nl
    assert "+01" not in nl and "+01" not in en.split("|")[0]


def test_a_time_span_names_the_day_once_and_both_days_across_midnight(app: Flask) -> None:
    start = datetime(2026, 12, 19, 17, 0, tzinfo=UTC)  # 18:00 in Amsterdam
    template = "{{ start | timespan(end) }}"
    with app.test_request_context("/"):
        with force_locale("nl"):
            same_day = render_template_string(
                template, start=start, end=start.replace(hour=19, minute=30))
            overnight = render_template_string(
                template, start=start, end=start.replace(day=20, hour=0, minute=30))
        with force_locale("en"):
            english = render_template_string(
                template, start=start, end=start.replace(hour=19, minute=30))
    assert same_day == "zaterdag 19 december 2026, 18:00–20:30"
    assert overnight == "zaterdag 19 december 2026, 18:00 – zondag 20 december 2026, 01:30"
    assert english == "Saturday, 19 December 2026, 18:00–20:30"


def test_numbers_and_shares_follow_the_page_language(app: Flask) -> None:
    template = "{{ 4.1 | number }}|{{ 0.375 | percent }}"
    with app.test_request_context("/"):
        with force_locale("nl"):
            nl = render_template_string(template)
        with force_locale("en"):
            en = render_template_string(template)
    assert nl == "4,1|38%"
    assert en == "4.1|38%"


def test_template_translations_follow_a_forced_locale_and_a_switch(app: Flask) -> None:
    """Templates look the catalogue up once per request and locale
    (i18n.request_translations): a mail rendered in the other language inside a request
    (`force_locale`) and a language switch (`refresh`) still get their own language,
    and formatting is Jinja's (escaped variables, %(name)s)."""
    from flask_babel import refresh

    source = '{{ _("Save and continue") }}|{{ _("Questions, part %(n)s", n=tag) }}'
    with app.test_request_context("/", headers={"Accept-Language": "nl"}):
        assert render_template_string(source, tag="<b>") == \
            "Opslaan en verder|Vragen, deel &lt;b&gt;"
        with force_locale("en"):
            assert render_template_string(source, tag=2) == "Save and continue|Questions, part 2"
        assert render_template_string(source, tag=3) == "Opslaan en verder|Vragen, deel 3"
        from flask import g

        g.explicit_locale = "en"
        refresh()
        assert render_template_string(source, tag=4) == "Save and continue|Questions, part 4"
