"""Check your answers: a summary list with a "Change" link per answer to the question itself,
and the step indicator on the questionnaire's pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from flask.testing import FlaskClient

from consult.models import Consultation, QuestionKind
from consult.services.consultations import kinds
from tests.factories.consultations import q
from tests.support.responding import respond


@dataclass
class Row:
    question: str = ""
    answer: str = ""
    href: str = ""
    link_text: str = ""
    hidden: str = ""


@dataclass
class _SummaryRows(HTMLParser):
    """The rows of the page's summary lists: question, answer, and the Change link."""

    rows: list[Row] = field(default_factory=list)
    _cell: str = ""
    _in_link: bool = False
    _in_hidden: bool = False

    def __post_init__(self) -> None:
        super().__init__()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        classes = (names.get("class") or "").split()
        if tag == "div" and "summary-list-row" in classes:
            self.rows.append(Row())
        elif self.rows and tag in ("dt", "dd"):
            self._cell = "actions" if "summary-list-actions" in classes else tag
        elif self.rows and tag == "a" and self._cell == "actions":
            self._in_link, self.rows[-1].href = True, names.get("href") or ""
        elif self._in_link and tag == "span" and "visually-hidden" in classes:
            self._in_hidden = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("dt", "dd"):
            self._cell = ""
        elif tag == "a":
            self._in_link = False
        elif tag == "span":
            self._in_hidden = False

    def handle_data(self, data: str) -> None:
        if not self.rows:
            return
        row = self.rows[-1]
        if self._cell == "dt":
            row.question += data
        elif self._cell == "dd":
            row.answer += data
        elif self._in_hidden:
            row.hidden += data
        elif self._in_link:
            row.link_text += data


def _rows(html: str) -> list[Row]:
    parser = _SummaryRows()
    parser.feed(html)
    return [Row(*(" ".join(v.split()) for v in (r.question, r.answer, r.href, r.link_text,
                                                  r.hidden))) for r in parser.rows]


@pytest.mark.parametrize(("lang", "change", "hidden"), [
    ("nl", "Wijzigen", "uw antwoord op:"), ("en", "Change", "your answer to:")])
def test_each_answer_has_a_change_link_to_its_question_on_its_page(
    client: FlaskClient, make_consultation: Callable[..., Consultation],
    lang: str, change: str, hidden: str,
) -> None:
    c = make_consultation()
    respond(client, c, text="<b>Mijn</b> eigen & tekst", submit=False)
    page = client.get(f"/consultations/{c.slug}/review?lang={lang}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    rows = _rows(html)
    # First the details about you, each with its Change link to its field on that page.
    about = f"/consultations/{c.slug}/respond"
    details = {"nl": ["U reageert als", "Publicatie"], "en": ["You respond as", "Publication"]}
    assert [r.question for r in rows[:2]] == details[lang]
    assert [r.href for r in rows[:2]] == [f"{about}#category-field", f"{about}#consent-field"]
    assert all(r.link_text == change for r in rows[:2])
    about_page = client.get(f"{about}?lang={lang}").get_data(as_text=True)
    assert 'id="category-field"' in about_page and 'id="consent-field"' in about_page
    rows = rows[2:]
    # Every question shown (a conditional one whose condition is not met is not).
    shown = {r.question for r in rows}
    questions = [x for x in c.questions if x.text(lang) in shown]
    assert [r.question for r in rows] == [x.text(lang) for x in questions]
    assert len(rows) >= 6
    for row, question in zip(rows, questions, strict=True):
        anchor = f"{kinds.get(question.kind).field(question.id)}-question"
        assert row.href == f"/consultations/{c.slug}/respond/{question.page}#{anchor}"
        assert row.link_text == change
        assert row.hidden == f"{hidden} {question.text(lang)}"
        # The anchor is on the question's page: the link lands on the question.
        target = client.get(f"/consultations/{c.slug}/respond/{question.page}?lang={lang}")
        assert f'id="{anchor}"' in target.get_data(as_text=True)
    # The answers as given; free text escaped, not markup.
    open_text = next(r for r in rows if r.question == q(c, QuestionKind.OPEN_TEXT).text(lang))
    assert open_text.answer == "<b>Mijn</b> eigen & tekst"
    assert "&lt;b&gt;Mijn&lt;/b&gt; eigen &amp; tekst" in html
    choice = q(c, QuestionKind.SINGLE_CHOICE)
    row = next(r for r in rows if r.question == choice.text(lang))
    assert row.answer == choice.options[1].label(lang)
    # The send button stays.
    assert re.search(r'<button type="submit" class="button">', html)


@pytest.mark.parametrize(("lang", "text", "current", "before"), [
    ("nl", "Stap 3 van 5", "Stap 3, deze pagina", "Stap 1, ingevuld"),
    ("en", "Step 3 of 5", "Step 3, this page", "Step 1, filled in")])
def test_the_question_pages_show_a_step_indicator_with_the_current_step(
    client: FlaskClient, make_consultation: Callable[..., Consultation],
    lang: str, text: str, current: str, before: str,
) -> None:
    c = make_consultation()
    respond(client, c, submit=False)
    html = client.get(f"/consultations/{c.slug}/respond/2?lang={lang}").get_data(as_text=True)
    assert text in html
    steps = re.search(r'<ol class="steps"[^>]*>(.*?)</ol>', html, re.S)
    assert steps is not None
    items = re.findall(r"<li([^>]*)>(.*?)</li>", steps.group(1), re.S)
    assert len(items) == 5
    assert [attrs.strip() for attrs, _ in items] == [
        'class="done"', 'class="done"', 'aria-current="step"', "", ""]
    assert current in items[2][1] and before in items[0][1]
    review = client.get(f"/consultations/{c.slug}/review?lang={lang}").get_data(as_text=True)
    assert review.count('aria-current="step"') == 1
