"""User-supplied rich text, made safe: the one module that imports bleach.

Officials write bodies in Markdown; `markdown_to_html` renders it and keeps only a small
set of tags and attributes. `clean_html` does the same for HTML from elsewhere. Plain
text from citizens is never rendered as HTML at all (Jinja escapes it).
"""

from __future__ import annotations

import bleach
import markdown as md
from markupsafe import Markup

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "h2", "h3", "h4",
     "blockquote", "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td", "abbr"}
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title"], "abbr": ["title"], "th": ["scope"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})


def clean_html(html: str) -> Markup:
    cleaned = bleach.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )
    return Markup(cleaned)  # noqa: S704 - cleaned by bleach just above


def markdown_to_html(text: str) -> Markup:
    return clean_html(md.markdown(text or "", extensions=["tables", "sane_lists"]))
