"""The design system: tokens in the stylesheet, the organisation's identity from config in
the header, the self-hosted font under the CSP, and the living page /_design (development
only), which renders every component, passes axe and fits a 320 px screen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from consult.config import ConfigError
from tests.support.apps import make_app

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "consult" / "static"
CSS = (STATIC / "css" / "consult.css").read_text(encoding="utf-8")

TOKENS = [
    "--ink", "--muted", "--brand", "--brand-dark", "--brand-light", "--error", "--success",
    "--warning", "--focus", "--focus-outline", "--focus-ring", "--font-family",
    "--font-size-base", "--font-size-h1", "--font-size-h2", "--font-size-h3", "--space-1",
    "--space-2", "--space-3", "--space", "--space-5", "--space-6", "--touch-target",
]
COMPONENTS = ["button", "button-secondary", "button-danger", "link-button", "card-list",
              "summary-list", "summary-list-actions", "steps", "notification",
              "notification-error", "stack", "pager", "tag", "error-summary"]


def test_the_tokens_are_custom_properties_of_the_root() -> None:
    root = re.search(r":root\s*\{(.*?)\n\}", CSS, re.S)
    assert root, "no :root block"
    defined = set(re.findall(r"(--[a-z0-9-]+)\s*:", root.group(1)))
    assert [t for t in TOKENS if t not in defined] == []
    used = set(re.findall(r"var\((--[a-z0-9-]+)", CSS))
    assert used - defined - {"--surface-muted"} == set(), used - defined


def test_the_font_is_self_hosted_with_its_licence() -> None:
    urls = re.findall(r'url\("\.\./fonts/([^"]+)"\)', CSS)
    assert len(urls) == 4
    for name in urls:
        assert (STATIC / "fonts" / name).read_bytes()[:4] == b"wOF2", name
    assert "SIL Open Font License" in (STATIC / "fonts" / "OFL.txt").read_text()


def test_the_font_is_served_under_the_csp(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    client = app.test_client()
    page = client.get("/")
    csp = page.headers["Content-Security-Policy"]
    assert "font-src 'self'" in csp and "unsafe-inline" not in csp
    font = client.get("/static/fonts/source-sans-3-latin-wght-normal.woff2")
    assert font.status_code == 200 and font.data[:4] == b"wOF2"


@pytest.mark.parametrize("lang, name", [("nl", "Ministerie van Voorbeeldzaken"),
                                         ("en", "Ministry of Example Affairs")])
def test_the_header_shows_the_configured_organisation(tmp_path: Path, lang: str,
                                                      name: str) -> None:
    app = make_app(tmp_path, ORGANISATION_NAME="Ministerie van Voorbeeldzaken",
                   ORGANISATION_NAME_EN="Ministry of Example Affairs", RIBBON_COLOUR="#01689b")
    html = app.test_client().get(f"/?lang={lang}").get_data(as_text=True)
    header = html.split("</header>", 1)[0]
    assert f'<span class="wordmark">{name}</span>' in header
    assert 'fill="#01689b"' in header


def test_the_demo_identity_is_neutral_and_english_falls_back(tmp_path: Path) -> None:
    app = make_app(tmp_path, ORGANISATION_NAME_EN="")
    html = app.test_client().get("/?lang=en").get_data(as_text=True)
    assert '<span class="wordmark">Voorbeeldorganisatie</span>' in html


@pytest.mark.parametrize("setting, value", [("RIBBON_COLOUR", "red; background:url(x)"),
                                             ("RIBBON_COLOUR", "#12345"),
                                             ("ORGANISATION_NAME", "  ")])
def test_a_bad_identity_setting_is_refused(tmp_path: Path, setting: str, value: str) -> None:
    with pytest.raises(ConfigError, match=f"CONSULT_{setting}"):
        make_app(tmp_path, **{setting: value})


def test_the_design_page_is_404_in_testing_and_production(tmp_path: Path) -> None:
    assert make_app(tmp_path).test_client().get("/_design").status_code == 404
    production = make_app(tmp_path / "p", ENV="production")
    assert production.test_client().get("/_design").status_code == 404


def test_the_design_page_renders_every_component(tmp_path: Path) -> None:
    app = make_app(tmp_path, DESIGN_PAGE=True)
    response = app.test_client().get("/_design")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    classes = set()
    for value in re.findall(r'class="([^"]+)"', html):
        classes.update(value.split())
    assert [c for c in COMPONENTS if c not in classes] == []
    assert 'aria-current="page"' in html  # the pager's current page
    assert "51–75" in html  # the pager's counter
    assert "style=" not in html  # the CSP forbids inline styles

