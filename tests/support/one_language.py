"""Which words of the other language a page shows: the checker behind
tests/trust/test_one_language.py.

A page in Dutch must not show English and a page in English must not show Dutch. The
check reads the text a person sees or hears (text nodes, and the alt, title, aria-label,
placeholder and button-value attributes) and looks for very common function words that
exist in one of the two languages only, and for decimals written the other language's
way ("4.1" on a Dutch page). Function words are in nearly every sentence, so
an untranslated sentence almost always holds one, while names and numbers never do.

Left out, as legitimately in one language: scripts, styles and templates; what a person
typed (textarea contents); and every element marked with a `lang` other than the page's
own (a name of a Dutch committee on an English page, the language switch), or with
`lang=""` (HTML's "language unknown": answers, reasons and descriptions people typed in
their own words), or with `translate="no"`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

#: Very common Dutch words that are not English words.
DUTCH_ONLY = frozenset({
    "het", "een", "niet", "voor", "zijn", "wordt", "worden", "deze", "dit", "bij", "naar",
    "ook", "uw", "jouw", "wij", "geen", "kunt", "heeft", "hebben", "nog", "maar", "wat",
    "wanneer", "waar", "alle", "uit", "tot",
})
#: Very common English words that are not Dutch words.
ENGLISH_ONLY = frozenset({
    "the", "and", "your", "with", "which", "this", "not", "are", "you", "for", "from",
    "will", "have", "has", "been", "there", "can", "what", "when", "yet",
})
OTHER = {"nl": ENGLISH_ONLY, "en": DUTCH_ONLY}

INVISIBLE = {"script", "style", "template", "noscript", "textarea"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}
READ_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder", "data-confirm",
                   "data-template", "data-template-over")
#: A word: letters (an apostrophe inside), not touching a digit or letter on either side,
#: so the letters of a code such as a check-in code "JA3A-UW93" are no word.
_WORD = re.compile(r"(?<!\w)[^\W\d_]+(?:['’][^\W\d_]+)?(?!\w)")
#: A decimal written the other language's way: "4.1" on a Dutch page, "4,1" on an English
#: one (one or two decimals; a group of three digits is a thousands separator in both).
#: What makes "2.1" a version, part of a name: "WCAG 2.1", "License 1.1", "versie 2.0".
_VERSION_BEFORE = re.compile(r"(?:\b[A-Z]{2,}\)?|\bLicen[cs]e|\b[Vv]ersi(?:e|on))\s*$")
_DECIMAL = {"nl": re.compile(r"(?<![\d.,])\d+\.\d{1,2}(?![\d.,]*\d)"),
            "en": re.compile(r"(?<![\d.,])\d+,\d{1,2}(?![\d.,]*\d)")}


@dataclass(frozen=True)
class Leak:
    word: str
    phrase: str  # the text around it, as the page shows it

    def __str__(self) -> str:
        return f"{self.word!r} in {self.phrase!r}"


class _PageText(HTMLParser):
    """The page's language and the texts shown in it (outside other-language parts)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page_lang = ""
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden from here down)
        self.texts: list[str] = []

    @property
    def hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.page_lang = values.get("lang", "").split("-")[0]
            return
        # lang="" is HTML's "language unknown": text a person typed, in their own words.
        lang = values["lang"].split("-")[0] if "lang" in values else self.page_lang
        hidden = (self.hidden or tag in INVISIBLE or values.get("translate") == "no"
                  or lang != self.page_lang)
        if not hidden:
            self.texts += [values[name] for name in READ_ATTRIBUTES if values.get(name)]
            if tag == "input" and values.get("type") in {"submit", "button"}:
                self.texts.append(values.get("value", ""))
        if tag not in VOID:
            self.stack.append((tag, hidden))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.texts.append(" ".join(data.split()))


def page_language(html: str) -> str:
    parser = _PageText()
    parser.feed(html)
    return parser.page_lang


def shown_texts(html: str) -> tuple[str, list[str]]:
    """The page's language and the texts shown in that language."""
    parser = _PageText()
    parser.feed(html)
    parser.close()
    return parser.page_lang, parser.texts


def other_language(html: str) -> list[Leak]:
    """Every word of the other language shown on the page, with the phrase it is in."""
    lang, texts = shown_texts(html)
    words = OTHER.get(lang)
    assert words is not None, f"a page in {lang!r}: neither nl nor en"
    found = []
    for text in texts:
        for match in _WORD.finditer(text):
            if match.group().lower() in words:
                start, end = max(0, match.start() - 40), match.end() + 40
                found.append(Leak(match.group().lower(), text[start:end]))
        for match in _DECIMAL[lang].finditer(text):
            if _VERSION_BEFORE.search(text[:match.start()]):
                continue
            start, end = max(0, match.start() - 40), match.end() + 40
            found.append(Leak(match.group(), text[start:end]))
    return found
