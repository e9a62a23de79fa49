"""Every download the app offers, fetched from a real gunicorn and checked against the database.

The app runs as it is deployed: `flask --app consult db upgrade`, `demo load` (two
consultations with 3,000 and 400 responses, two events, the demo accounts) and
`analysis run`, then gunicorn with 3 sync workers on a loopback port, on a SQLite file
and (when CONSULT_TEST_DATABASE_URL is set; required in CI) on PostgreSQL. The demo
official, organiser and citizen log in through the login form with their CSRF tokens.
Each file is parsed (csv, openpyxl, json, icalendar, PNG/SVG) and holds exactly the rows
the database holds, counted here with SQL: every counted response in an internal export,
only those with consent to publish in a public one, names only with consent to publish
with the name, open texts only once approved.

A body cut off part way raises IncompleteRead in the client; an export that failed while
streaming ends with a failure line and does not parse, so these tests fail on it. The
demo load takes about 20-60 s per database on the shared 2-core machine; it runs once
per database for the whole module.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import icalendar
import openpyxl
import pytest
from sqlalchemy import Engine, create_engine, text

from tests.reliability.live_gunicorn import ROOT, Browser, Gunicorn, csrf_token
from tests.support.apps import PG_URL, need, reset_postgres

pytestmark = pytest.mark.slow

OPEN, CLOSED = "kweekvlees-in-nederland", "kweekvlees-eerste-ronde"
OFFICIAL = ("ambtenaar@consult.example", "demo-ambtenaar-2026")
ORGANISER = ("organisator@consult.example", "demo-organisator-2026")
CITIZEN = ("burger@consult.example", "demo-burger-2026")
WORKSHOP = "Werkplaats: wat vindt u van nieuwe genomische technieken?"
SECRET = "live-downloads-secret"
PUBLISHING = ("publish_with_name", "publish_anonymously")


@dataclass
class Site:
    server: Gunicorn
    engine: Engine
    url: str
    env: dict[str, str]
    tmp: Path

    def browser(self, who: tuple[str, str]) -> Browser:
        browser = Browser(self.server.url)
        _status, _loc, html = browser.get("/account/login")
        status, _loc, _html = browser.post("/account/login", {
            "email": who[0], "password": who[1], "csrf_token": csrf_token(html)})
        assert status == 302, f"{who[0]} could not log in"
        return browser

    def scalar(self, sql: str, **params: Any) -> Any:
        with self.engine.connect() as connection:
            return connection.execute(text(sql), params).scalar_one()

    def rows(self, sql: str, **params: Any) -> list[Any]:
        with self.engine.connect() as connection:
            return list(connection.execute(text(sql), params).all())


def _flask(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "consult", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp(f"live-{request.param}")
    if request.param == "postgresql":
        need(bool(PG_URL), "PostgreSQL: set CONSULT_TEST_DATABASE_URL")
        reset_postgres(PG_URL)
        url = PG_URL
    else:
        url = f"sqlite:///{tmp / 'consult.sqlite3'}"
    env = dict(os.environ, CONSULT_ENV="development", CONSULT_SECRET_KEY=SECRET,
               CONSULT_DATABASE_URL=url, CONSULT_INSTANCE_PATH=str(tmp / "instance"),
               CONSULT_MAIL_BACKEND="outbox", CONSULT_RATELIMIT_ENABLED="0",
               PYTHONPATH=str(ROOT))
    _flask(env, "db", "upgrade")
    _flask(env, "demo", "load")
    _flask(env, "analysis", "run", OPEN)
    server = Gunicorn(url, tmp / "instance", SECRET, workers=3)
    engine = create_engine(url)
    try:
        built = Site(server, engine, url, env, tmp)
        _register_citizen(built)
        yield built
    finally:
        server.stop()
        engine.dispose()
        log = server.log.read_text()
        assert "Traceback" not in log, log[-4000:]


def _register_citizen(site: Site) -> None:
    event_id = site.scalar("SELECT id FROM events WHERE title_nl = :t", t=WORKSHOP)
    citizen = site.browser(CITIZEN)
    status, _loc, html = citizen.get(f"/events/{event_id}/register")
    assert status == 200, html
    status, _loc, html = citizen.post(f"/events/{event_id}/register", {
        "csrf_token": csrf_token(html), "name": "Bert Burger", "guests": "0"})
    assert status == 302, html


# --- consultation exports -------------------------------------------------------------

#: Each person once: no later counted response of the same account or tasting registration.
ONCE = (" AND NOT EXISTS (SELECT 1 FROM responses l WHERE l.consultation_id = r.consultation_id"
        " AND l.id <> r.id AND l.status = 'submitted' AND l.is_spam = :no"
        " AND (l.user_id = r.user_id OR l.registration_id = r.registration_id)"
        " AND (l.submitted_at > r.submitted_at"
        " OR (l.submitted_at = r.submitted_at AND l.id > r.id)))")


def _expected(site: Site, slug: str, public: bool, once: bool | None = None) -> dict[int, str]:
    """Response id -> consent, for the responses the export must hold: the officials' file
    every counted response (a tasting's two rounds both), the public one each person once."""
    rows = site.rows(
        "SELECT r.id, r.consent FROM responses r JOIN consultations c"
        " ON c.id = r.consultation_id WHERE c.slug = :slug AND r.status = 'submitted'"
        " AND r.is_spam = :no" + (ONCE if (public if once is None else once) else ""),
        slug=slug, no=False)
    return {rid: consent for rid, consent in rows if not public or consent in PUBLISHING}


def _open_texts(site: Site, slug: str) -> dict[tuple[int, str], tuple[str, str]]:
    """(response id, column key) -> (text, moderation) for every open-text answer."""
    rows = site.rows(
        "SELECT a.response_id, a.question_id, a.text, a.moderation FROM answers a"
        " JOIN questions q ON q.id = a.question_id JOIN consultations c"
        " ON c.id = q.consultation_id WHERE c.slug = :slug AND q.kind = 'open_text'",
        slug=slug)
    return {(rid, f"q{qid}"): (body, moderation) for rid, qid, body, moderation in rows}


def _records(fmt: str, body: bytes) -> list[dict[str, Any]]:
    """The export's rows as {column key: cell}, whatever the format."""
    if fmt == "json":
        data = json.loads(body)
        return list(data["responses"])
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        keys = [h.split(":")[0] for h in rows[0]]
        assert all(len(row) == len(keys) for row in rows[1:]), "a row of the wrong width"
        return [dict(zip(keys, row, strict=True)) for row in rows[1:]]
    sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True).active
    lines = list(sheet.iter_rows(values_only=True))
    keys = [str(h).split(":")[0] for h in lines[0]]
    return [dict(zip(keys, line, strict=True)) for line in lines[1:]]


@pytest.mark.parametrize("slug", [OPEN, CLOSED])
@pytest.mark.parametrize("public", [False, True], ids=["internal", "public"])
@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_consultation_exports_hold_exactly_the_counted_responses(
    site: Site, slug: str, public: bool, fmt: str
) -> None:
    official = site.browser(OFFICIAL)
    query = "?public=1" if public else ""
    status, headers, body = official.download(
        f"/officials/consultations/{slug}/export.{fmt}{query}")
    assert status == 200
    assert headers["Content-Disposition"].startswith("attachment")
    records = _records(fmt, body)
    expected = _expected(site, slug, public)
    assert len(expected) > (100 if public else 300)
    assert sorted(int(r["response"]) for r in records) == sorted(expected)
    keys = set(records[0])
    assert ({"consent", "spam", "round"} <= keys) is not public
    if not public and slug == OPEN:  # the demo's tasting: 20 people answered twice
        rounds = [r["round"] for r in records]
        assert rounds.count("before") == 22 and rounds.count("after") == 20, rounds.count("after")
        assert len(_expected(site, slug, public, once=True)) == len(expected) - 20
    texts = _open_texts(site, slug)
    for record in records:
        rid = int(record["response"])
        if public and expected[rid] != "publish_with_name":
            assert record["organisation"] in (None, ""), f"name without consent: {rid}"
        for key in keys:
            if (rid, key) in texts:
                body_text, moderation = texts[(rid, key)]
                shown = record[key] or None
                if public and moderation != "approved":
                    assert shown is None, f"unapproved text in the public file: {rid}"
                elif body_text:
                    assert str(shown).lstrip("'") == body_text


def test_the_public_exports_say_the_same_as_the_published_count_in_every_format(
    site: Site
) -> None:
    official = site.browser(OFFICIAL)
    sizes = set()
    for fmt in ("csv", "json", "xlsx"):
        _s, _h, body = official.download(
            f"/officials/consultations/{OPEN}/export.{fmt}?public=1")
        sizes.add(len(_records(fmt, body)))
    published = site.scalar(
        "SELECT count(*) FROM responses r JOIN consultations c ON c.id = r.consultation_id"
        " WHERE c.slug = :slug AND r.status = 'submitted' AND r.is_spam = :no"
        " AND r.consent IN ('publish_with_name', 'publish_anonymously')" + ONCE,
        slug=OPEN, no=False)
    assert sizes == {published}


# --- analysis --------------------------------------------------------------------------

def test_the_analysis_downloads_hold_the_newest_run(site: Site) -> None:
    official = site.browser(OFFICIAL)
    run_id, = site.rows(
        "SELECT a.id FROM analysis_runs a JOIN consultations c ON c.id = a.consultation_id"
        " WHERE c.slug = :slug ORDER BY a.id DESC LIMIT 1", slug=OPEN)[0]
    status, headers, body = official.download(f"/officials/consultations/{OPEN}/analysis.json")
    assert status == 200 and f"-{run_id}.json" in headers["Content-Disposition"]
    snapshot = json.loads(body)
    assert snapshot
    status, headers, body = official.download(f"/officials/consultations/{OPEN}/analysis.csv")
    assert status == 200 and f"-{run_id}.csv" in headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    counted = len(_expected(site, OPEN, public=False, once=True))
    assert len(rows) - 1 == counted, "one group label per counted respondent, each once"


# --- events ----------------------------------------------------------------------------

def _event_ids(site: Site) -> list[int]:
    return [r[0] for r in site.rows("SELECT id FROM events WHERE status = 'published'")]


def test_the_registrations_csv_and_attendance_list_hold_every_registration(site: Site) -> None:
    organiser = site.browser(ORGANISER)
    for event_id in _event_ids(site):
        status, headers, body = organiser.download(f"/organise/events/{event_id}/registrations.csv")
        assert status == 200 and headers["Content-Disposition"].startswith("attachment")
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        emails = sorted(r[1] for r in rows[1:])
        in_db = sorted(r[0] for r in site.rows(
            "SELECT email FROM registrations WHERE event_id = :e", e=event_id))
        assert emails == in_db
        status, _h, page = organiser.download(f"/organise/events/{event_id}/attendance")
        assert status == 200
        for name, email in site.rows(
                "SELECT name, email FROM registrations WHERE event_id = :e", e=event_id):
            assert (name or email).encode() in page
    workshop = site.scalar("SELECT id FROM events WHERE title_nl = :t", t=WORKSHOP)
    assert site.scalar("SELECT count(*) FROM registrations WHERE event_id = :e",
                       e=workshop) >= 1


def test_the_calendar_files_hold_every_published_event(site: Site) -> None:
    """The feed holds every event the public may see: published, and also held or
    cancelled ones (a calendar shows a cancellation); drafts never."""
    anyone = Browser(site.server.url)
    status, _h, body = anyone.download("/events.ics")
    assert status == 200
    feed = icalendar.Calendar.from_ical(body)
    published = site.rows("SELECT id, title_en FROM events"
                          " WHERE status IN ('published', 'completed', 'cancelled')")
    assert site.rows("SELECT id FROM events WHERE status = 'completed'")  # the held tasting
    assert len(feed.walk("VEVENT")) == len(published)
    for event_id, title in published:
        status, _h, body = anyone.download(f"/events/{event_id}/event.ics")
        assert status == 200
        (vevent,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
        assert str(vevent["SUMMARY"]) == title


def test_the_qr_images_are_whole_png_and_svg_files(site: Site) -> None:
    workshop = site.scalar("SELECT id FROM events WHERE title_nl = :t", t=WORKSHOP)
    citizen = site.browser(CITIZEN)
    status, _h, png = citizen.download(f"/events/{workshop}/mine/qr.png")
    assert status == 200 and png.startswith(b"\x89PNG\r\n\x1a\n") and png.endswith(
        b"IEND\xaeB`\x82")
    status, _h, svg = citizen.download(f"/events/{workshop}/mine/qr.svg")
    assert status == 200 and ET.fromstring(svg).tag.endswith("svg")
    registration = site.scalar(
        "SELECT r.id FROM registrations r JOIN users u ON u.id = r.user_id"
        " WHERE r.event_id = :e AND u.email = :m", e=workshop, m=CITIZEN[0])
    organiser = site.browser(ORGANISER)
    status, _h, png = organiser.download(
        f"/organise/events/{workshop}/registrations/{registration}/qr.png")
    assert status == 200 and png.startswith(b"\x89PNG")


# --- my data and backups -----------------------------------------------------------------

def test_my_data_holds_the_citizens_registrations(site: Site) -> None:
    citizen = site.browser(CITIZEN)
    _s, _l, html = citizen.get("/account/my-data")
    status, headers, body = citizen.download("/account/my-data",
                                             {"csrf_token": csrf_token(html)})
    assert status == 200 and headers["Content-Disposition"].startswith("attachment")
    data = json.loads(body)
    assert CITIZEN[0] in json.dumps(data)
    in_db = site.scalar("SELECT count(*) FROM registrations r JOIN users u ON u.id = r.user_id"
                        " WHERE u.email = :m", m=CITIZEN[0])
    assert in_db >= 1
    assert json.dumps(data, ensure_ascii=False).count("Bert Burger") == in_db


def test_a_backup_of_the_served_database_holds_every_response(site: Site) -> None:
    target = site.tmp / ("backup.sqlite3" if site.url.startswith("sqlite") else "backup.dump")
    _flask(site.env, "data", "backup", str(target))
    responses = site.scalar("SELECT count(*) FROM responses")
    if site.url.startswith("sqlite"):
        with sqlite3.connect(target) as copy:
            assert copy.execute("SELECT count(*) FROM responses").fetchone()[0] == responses
    else:
        listing = subprocess.run(["pg_restore", "--list", str(target)], capture_output=True,
                                 text=True, check=True).stdout
        assert "TABLE DATA public responses" in listing
