"""Every page is valid HTML, as the Nu HTML Checker (vnu.jar) judges it.

Rendered through the test client: every GET page without URL arguments, anonymous and
as an administrator, in Dutch and English; the error pages; and forms in their error
state. All pages go to one run of the checker (Java starts once), and any error fails
with the page it is on. `make test` installs the checker into .cache/vnu (npm vnu-jar);
CONSULT_VNU_JAR may point at another copy.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from consult.errors import render_error
from consult.extensions import db
from consult.models import Role, User
from consult.services import audit
from tests.support.apps import make_app, need
from tests.support.sessions import login

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = Path(
    os.environ.get("CONSULT_VNU_JAR")
    or ROOT / ".cache" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)
JAVA = shutil.which("java")
LANGS = ("nl", "en")
SKIP_PREFIXES = ("/static/", "/api/", "/healthz", "/.well-known/")


def check_html(pages: dict[str, str], folder: Path) -> dict[str, list[str]]:
    """Run vnu over the pages once; the errors per page name (none: an empty dict)."""
    files: dict[str, str] = {}
    for number, (name, html) in enumerate(pages.items()):
        path = folder / f"page-{number:03d}.html"
        path.write_text(html, encoding="utf-8")
        files[path.name] = name
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout",
         *sorted(str(folder / p) for p in os.listdir(folder))],
        capture_output=True, text=True, check=False,
    )
    report = json.loads(result.stdout or "{}")
    errors: dict[str, list[str]] = {}
    for message in report.get("messages", []):
        if message.get("type") not in {"error", "non-document-error"}:
            continue
        url = str(message.get("url", "?"))
        name = files.get(url.rsplit("/", 1)[-1], url)
        errors.setdefault(name, []).append(
            f"line {message.get('lastLine')}: {message.get('message')} "
            f"[{message.get('extract', '').strip()}]"
        )
    return errors


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Flask]:
    app = make_app(tmp_path, DESIGN_PAGE=True)  # the living design page is checked too
    with app.app_context():
        db.create_all()
        from consult.demo.steps import ensure_demo_users
        from consult.services.catalogue import ensure_catalogues

        ensure_catalogues()
        ensure_demo_users()
        admin = db.session.scalar(db.select(User).where(User.role == Role.ADMIN))
        audit.record(admin, "user.role_changed", admin, old="official", new="admin")
        audit.record(None, "account.locked")
        db.session.commit()
        yield app


def _argumentless_get_paths(app: Flask) -> list[str]:
    paths = []
    for rule in app.url_map.iter_rules():
        if rule.arguments or "GET" not in (rule.methods or ()):
            continue
        if rule.rule.startswith(SKIP_PREFIXES):
            continue
        paths.append(rule.rule)
    return sorted(paths)


def _client(app: Flask, email: str | None = None) -> FlaskClient:
    client = app.test_client()
    if email:
        password = {
            "beheer@consult.example": "demo-beheer-2026",
            "burger@consult.example": "demo-burger-2026",
        }[email]
        assert login(client, email, password).status_code == 302
    return client


def _html(response: object) -> str | None:
    mimetype = getattr(response, "mimetype", "")
    if getattr(response, "status_code", 0) >= 300 and getattr(response, "status_code", 0) < 400:
        return None
    return response.get_data(as_text=True) if mimetype == "text/html" else None  # type: ignore[attr-defined]


def test_every_page_is_valid_html(site: Flask, tmp_path: Path) -> None:
    need(JAVA is not None, "java (the Nu HTML Checker runs on it)")
    need(VNU_JAR.is_file(), f"the Nu HTML Checker at {VNU_JAR} (make test installs it)")
    pages: dict[str, str] = {}

    def add(name: str, response: object) -> None:
        html = _html(response)
        if html is not None:
            pages[name] = html

    paths = _argumentless_get_paths(site)
    assert "/admin/audit" in paths and "/account/delete" in paths and "/_design" in paths
    anonymous = _client(site)
    admin = _client(site, "beheer@consult.example")
    citizen = _client(site, "burger@consult.example")
    admin_id = db.session.scalar(db.select(User.id).where(User.role == Role.ADMIN))
    citizen_id = db.session.scalar(db.select(User.id).where(User.role == Role.CITIZEN))
    for lang in LANGS:
        for path in paths:
            add(f"{path} anonymous {lang}", anonymous.get(f"{path}?lang={lang}"))
            add(f"{path} admin {lang}", admin.get(f"{path}?lang={lang}"))
        add(f"admin user page {lang}", admin.get(f"/admin/users/{citizen_id}?lang={lang}"))
        add(f"audit filtered {lang}",
            admin.get(f"/admin/audit?lang={lang}&action=account.locked&actor=beheer"))
        # Error pages, reached the way people reach them.
        add(f"404 {lang}", anonymous.get(f"/no-such-page?lang={lang}"))
        add(f"403 {lang}", citizen.get(f"/admin/audit?lang={lang}"))
        add(f"405 {lang}", anonymous.get(f"/account/logout?lang={lang}"))
        add(f"bad link {lang}", anonymous.get(f"/account/confirm/not-a-token?lang={lang}"))
        add(f"bad reset link {lang}", anonymous.get(f"/account/reset/not-a-token?lang={lang}"))
        for status in (400, 413, 429, 500, 418):
            with site.test_request_context(f"/?lang={lang}"):
                site.preprocess_request()
                pages[f"error {status} {lang}"] = render_error(status, csrf=status == 400)[0]
        # Forms in their error state.
        add(f"register errors {lang}", anonymous.post(
            f"/account/register?lang={lang}",
            data={"email": "not an address", "password": "short", "confirm": "other"}))
        add(f"login errors {lang}", anonymous.post(
            f"/account/login?lang={lang}", data={"email": "", "password": ""}))
        add(f"delete account errors {lang}", citizen.post(
            f"/account/delete?lang={lang}", data={"password": "not the password"}))
        add(f"own role errors {lang}", admin.post(
            f"/admin/users/{admin_id}?lang={lang}", data={"role": "citizen"}))
        add(f"audit filter errors {lang}",
            admin.get(f"/admin/audit?lang={lang}&actor={'x' * 300}"))

    assert len(pages) > 50, len(pages)
    print(f"{len(pages)} pages checked")
    for name in ("/account/delete admin en", "403 nl", "delete account errors nl",
                 "/_design anonymous en"):
        assert name in pages
    assert re.search('aria-invalid="true"', pages["delete account errors en"])
    (tmp_path / "pages").mkdir()
    errors = check_html(pages, tmp_path / "pages")
    assert errors == {}, "\n".join(
        f"{name}:\n  " + "\n  ".join(messages) for name, messages in sorted(errors.items())
    )


def test_the_checker_finds_an_error(tmp_path: Path) -> None:
    """The check itself can fail: a page with a stray end tag is reported."""
    need(JAVA is not None, "java (the Nu HTML Checker runs on it)")
    need(VNU_JAR.is_file(), f"the Nu HTML Checker at {VNU_JAR} (make test installs it)")
    good = (
        '<!doctype html><html lang="en"><head><title>t</title></head>'
        "<body><p>ok</p></body></html>"
    )
    bad = good.replace("<p>ok</p>", "<p>ok</span></p>")
    (tmp_path / "pages").mkdir()
    errors = check_html({"good": good, "bad": bad}, tmp_path / "pages")
    assert list(errors) == ["bad"]


#: Who walks the pages behind login: every page each of them may GET is checked.
ROLES_BEHIND_LOGIN = ("admin", "official", "organiser_a", "citizen_a")


def test_every_page_behind_login_is_valid_html(tmp_path: Path) -> None:
    """Every GET page of the app with its URL arguments filled from the security world
    (a consultation with every question kind, responses, an analysis run, a tasting and a
    workshop with registrations), as admin, official, organiser and citizen, in Dutch and
    English: all pages go to one run of the checker."""
    need(JAVA is not None, "java (the Nu HTML Checker runs on it)")
    need(VNU_JAR.is_file(), f"the Nu HTML Checker at {VNU_JAR} (make test installs it)")
    from tests.support.crawl import every_url
    from tests.support.security_world import seed_world

    app = make_app(tmp_path, WTF_CSRF_ENABLED=False)  # the world is seeded by posting forms
    with app.app_context():
        db.create_all()
        world = seed_world(app)
        urls = [(endpoint, path) for endpoint, path in every_url(world, "GET")
                if not endpoint.startswith("api.") and endpoint != "static"]
        clients = {who: world.client(who) for who in ROLES_BEHIND_LOGIN}
    app.config["WTF_CSRF_ENABLED"] = True
    pages: dict[str, str] = {}
    for who, client in clients.items():
        for lang in LANGS:
            for _endpoint, path in urls:
                separator = "&" if "?" in path else "?"
                html = _html(client.get(f"{path}{separator}lang={lang}"))
                if html is not None:
                    pages[f"{path} {who} {lang}"] = html
    for who in ROLES_BEHIND_LOGIN:
        behind = [name for name in pages if f" {who} " in name and
                  name.startswith(("/admin", "/officials", "/organise", "/account", "/insights"))]
        assert behind, f"no page behind login for {who}"
    assert len(pages) > 300, len(pages)
    print(f"{len(pages)} pages behind login checked")
    (tmp_path / "pages").mkdir()
    errors = check_html(pages, tmp_path / "pages")
    counts: dict[str, int] = {}
    for messages in errors.values():
        for message in messages:
            kind = re.sub(r"^line \d+: ", "", message).split(" [", 1)[0][:90]
            counts[kind] = counts.get(kind, 0) + 1
    assert errors == {}, "\n".join(f"{n} × {k}" for k, n in sorted(counts.items())) + "\n\n" + (
        "\n".join(f"{name}:\n  " + "\n  ".join(messages)
                  for name, messages in sorted(errors.items())[:40]))
