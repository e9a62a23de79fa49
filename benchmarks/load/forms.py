"""Fill a Consult form the way a respondent would, from the page's HTML alone.

A small HTML reader (the standard library's parser): it finds the form's fields and
chooses a plausible answer for each, so the benchmark posts what a browser would post,
CSRF token included. Rules: radio groups get one value (a citizen, publishing
anonymously, otherwise the first choice), the age check is ticked, other checkbox
groups get their first box, ranking selects get distinct places 1..n, text areas get a
sentence, other text inputs stay empty (optional), the honeypot stays empty.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

PREFERRED = {"category": "citizen", "consent": "publish_anonymously"}
SENTENCE = "Ik vind het belangrijk dat kweekvlees goed getest wordt voordat het verkocht wordt."


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hidden: dict[str, str] = {}
        self.radios: dict[str, list[str]] = {}
        self.checkboxes: dict[str, list[str]] = {}
        self.selects: dict[str, list[str]] = {}
        self.textareas: list[str] = []
        self._select: str | None = None
        self.action: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name", "")
        if tag == "form" and a.get("method", "").lower() == "post" and self.action is None:
            self.action = a.get("action")
        elif tag == "input" and name:
            kind = a.get("type", "text")
            if kind == "hidden":
                self.hidden[name] = a.get("value", "")
            elif kind == "radio":
                self.radios.setdefault(name, []).append(a.get("value", ""))
            elif kind == "checkbox":
                self.checkboxes.setdefault(name, []).append(a.get("value", "y"))
        elif tag == "select" and name:
            self._select = name
            self.selects[name] = []
        elif tag == "option" and self._select:
            self.selects[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self.textareas.append(name)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    return match.group(1) if match else ""


def fill(html: str) -> dict[str, str | list[str]]:
    """The data a respondent posts for the first POST form on the page."""
    reader = _FormReader()
    reader.feed(html)
    data: dict[str, str | list[str]] = dict(reader.hidden)
    for name, values in reader.radios.items():
        data[name] = PREFERRED.get(name, values[0])
    for name, values in reader.checkboxes.items():
        data[name] = values[0]
    places: dict[str, int] = {}
    for name, values in reader.selects.items():
        choices = [v for v in values if v]
        if not choices:
            continue
        group = name.split("-", 1)[0]
        if "-o" in name:  # a ranking: distinct places
            places[group] = places.get(group, 0) + 1
            data[name] = choices[min(places[group], len(choices)) - 1]
        else:
            data[name] = choices[0]
    for name in reader.textareas:
        data[name] = SENTENCE
    data.pop("website", None)
    return data
