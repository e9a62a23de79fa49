"""Never a raw code on a page: every page, as every role, in Dutch and English.

The world is the security suite's (every URL of the app's map) plus one of every status
(tests/support/every_status.py). Each HTML page's VISIBLE text (tags, scripts, styles
and attribute values left out) must not hold:

- a value of any StrEnum in consult.models, a principle or topic code or an allergen
  code, standing alone (a whole text, or a piece between separators such as "(", ";",
  ",", "·", "/"): a label is a word, not `approved` or `principle_rating`;
- a snake_case token (`report_publish`) or a dotted code (`analysis.queued`).

Allowed, and why: email addresses and URLs (people's own data and links), domain names
and file names (`example.nl`, `background.pdf`: what a person types or downloads), and
abbreviations with one-letter parts (`e.g.`, `o.a.`).
"""

from __future__ import annotations

import enum
import inspect
import re
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from flask import Flask
from sqlalchemy import select

import consult.models as models
from consult.extensions import db
from consult.models import ALLERGEN_CODES, Principle, Topic
from tests.support.crawl import every_url
from tests.support.every_status import add_every_status
from tests.support.security_world import World, seed_world

ROLES = (None, "citizen_a", "organiser_a", "official", "admin")
SKIPPED_SUFFIXES = (".ics", ".svg", ".png", ".csv", ".json", ".xlsx")
INVISIBLE = {"script", "style", "template", "noscript"}

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"\b\w+://\S+")
_SNAKE = re.compile(r"(?<![\w@/.-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@/-])")
_DOTTED = re.compile(r"(?<![\w@/.-])[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+(?![\w@/-])")
_SEPARATORS = re.compile(r"[;,()\[\]/|·:=“”\"'‘’]")
#: The last part of a dotted word that makes it a domain or a file name.
NAME_ENDINGS = {"nl", "com", "org", "eu", "net", "example", "test", "pdf", "csv", "json",
                "xlsx", "ics", "svg", "png", "txt", "html"}


class _VisibleText(HTMLParser):
    """The text a person sees, one string per text node."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in INVISIBLE:
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in INVISIBLE and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.texts.append(data.strip())


def visible_texts(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    return parser.texts


def raw_codes() -> set[str]:
    """Every StrEnum value of consult.models and every catalogue and allergen code."""
    values = {member.value for _, cls in inspect.getmembers(models, inspect.isclass)
              if issubclass(cls, enum.StrEnum) for member in cls}
    values |= set(db.session.scalars(select(Principle.code)))
    values |= set(db.session.scalars(select(Topic.code)))
    return values | set(ALLERGEN_CODES)


def _allowed_dotted(token: str) -> bool:
    parts = token.split(".")
    return parts[-1] in NAME_ENDINGS or all(len(p) == 1 for p in parts)


def leaks(text: str, codes: set[str]) -> list[str]:
    """The raw codes in one visible text."""
    text = _URL.sub(" ", _EMAIL.sub(" ", text))
    found = [t for t in _SNAKE.findall(text)]
    found += [t for t in _DOTTED.findall(text) if not _allowed_dotted(t)]
    found += [p.strip() for p in _SEPARATORS.split(text) if p.strip() in codes]
    return found


def test_the_checker_finds_the_known_kinds_of_leak(app: Flask) -> None:
    codes = {"approved", "safety", "likert", "principle_rating", "open"}
    assert leaks("Page 1 · likert · required", codes) == ["likert"]
    assert leaks("(approved; safety)", codes) == ["approved", "safety"]
    assert leaks("analysis.queued", codes) == ["analysis.queued"]
    assert leaks("reason: spam; old_status: open", codes) == ["old_status", "open"]
    assert leaks("Mail anna_b@example.nl or see https://x.example/a_b.pdf", codes) == []
    assert leaks("The consultation is open until Friday, e.g. background.pdf", codes) == []
    assert visible_texts('<p title="a_b">Open<script>x_y</script></p>') == ["Open"]


@pytest.fixture
def every_page_world(app: Flask) -> World:
    return add_every_status(seed_world(app))


def _pages(world: World) -> list[str]:
    slug = world.consultation.slug
    paths = [path for endpoint, path in every_url(world) if not endpoint.startswith("api.")
             and not path.endswith(SKIPPED_SUFFIXES)]
    paths += [f"/consultations/{slug}/respond/{n}" for n in (1, 2, 3)]
    return paths + world.extra["urls"]


def walk(world: World, pages: list[str]) -> Iterator[tuple[str, str]]:
    """Every page as every role in nl and en: (where, html) of each HTML page answered."""
    for who in ROLES:
        client = world.client(who)
        for lang in ("nl", "en"):
            for path in pages:
                response = client.get(path + ("&" if "?" in path else "?") + f"lang={lang}")
                if response.status_code == 200 and response.mimetype == "text/html":
                    yield f"{path} ({who or 'anonymous'}, {lang})", response.get_data(as_text=True)


def test_no_page_shows_a_raw_code_to_anyone(every_page_world: World) -> None:
    world = every_page_world
    codes = raw_codes()
    found: dict[str, set[str]] = {}
    shown = 0
    for where, html in walk(world, _pages(world)):
        shown += 1
        for text in visible_texts(html):
            for leak in leaks(text, codes):
                found.setdefault(f"{leak!r} in {text[:80]!r}", set()).add(where)
    assert shown > 400  # the crawl reached the pages (not only error pages)
    report = "\n".join(f"{leak}: {sorted(where)[:3]}" for leak, where in sorted(found.items()))
    assert not found, f"raw codes on pages:\n{report}"
