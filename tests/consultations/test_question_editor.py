"""The officials' question editor: options and statements as rows (Dutch, English, the
ethical principles as checkboxes, a status), rows added, moved and removed by submit
buttons that work without JavaScript, the ethical principles as a ranking's items, and
what each bad input gets — in Dutch and English, with everything typed kept."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import Consultation, ModerationStatus, Question, QuestionKind, Statement
from consult.services.catalogue import PRINCIPLES
from consult.services.consultations import editing
from tests.factories.consultations import build_consultation
from tests.factories.users import official_user
from tests.support.sessions import login

LANGS = ["nl", "en"]


def _official(app: Flask, lang: str) -> FlaskClient:
    with app.test_request_context("/"):
        official_user()
        db.session.commit()
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    login(client, "official@example.nl")
    return client


def _draft(app: Flask) -> Consultation:
    with app.test_request_context("/"):
        c = build_consultation(opened=False)
        db.session.commit()
    return c


def _by_kind(c: Consultation, kind: QuestionKind) -> Question:
    db.session.expire_all()
    return [q for q in c.questions if q.kind == kind][0]


def _base(**fields: Any) -> dict[str, Any]:
    return {"kind": "single_choice", "text_nl": "Kiest u?", "text_en": "Do you choose?",
            "page": "1", "condition_option_id": "0", **fields}


def _value(page: str, name: str) -> str:
    """The value a text input or textarea named `name` shows."""
    found = re.search(rf'<input [^>]*name="{name}"[^>]*value="([^"]*)"', page) or re.search(
        rf'<textarea [^>]*name="{name}"[^>]*>\r?\n?([^<]*)</textarea>', page)
    assert found, f"no field {name}"
    return html.unescape(found.group(1))


def _row_names(page: str, list_name: str) -> list[str]:
    return sorted(set(re.findall(rf'name="({list_name}-\d+)-nl"', page)))


def _visible(page: str) -> str:
    """The page's text as a person reads it (no tags, no attribute values)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _questions(c: Consultation) -> int:
    return db.session.scalar(select(func.count()).select_from(Question).filter_by(
        consultation_id=c.id)) or 0


@pytest.mark.parametrize("lang", LANGS)
def test_a_new_question_opens_with_empty_rows_and_principles_by_name(
    app: Flask, lang: str
) -> None:
    c = _draft(app)
    page = _official(app, lang).get(f"/officials/consultations/{c.slug}/questions/new")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert _row_names(text, "options") == ["options-0", "options-1", "options-2"]
    assert _row_names(text, "statements") == ["statements-0", "statements-1"]
    visible = _visible(text)
    names = [nl if lang == "nl" else en for _, nl, en, _, _ in PRINCIPLES]
    for name in names:
        assert name in visible
    for code, *_ in PRINCIPLES:  # the codes are values, never text on the page
        assert code not in visible
    status_words = {"nl": ["Getoond aan deelnemers", "Nog niet getoond", "Verborgen"],
                    "en": ["Shown to respondents", "Not shown yet", "Hidden"]}[lang]
    for word in status_words:
        assert word in visible
    assert "approved" not in visible and "pending" not in visible
    # Enter in a text field presses the first submit button: saving, not a row button.
    first_button = re.search(r"<button [^>]*>", text.split('class="question-form"')[1])
    assert first_button and 'name="row"' not in first_button.group(0)


def test_editing_shows_the_rows_filled_in(app: Flask) -> None:
    c = _draft(app)
    official = _official(app, "en")
    statements = _by_kind(c, QuestionKind.STATEMENTS)
    page = official.get(f"/officials/consultations/{c.slug}/questions/{statements.id}")
    text = page.get_data(as_text=True)
    for index, statement in enumerate(statements.statements):
        assert _value(text, f"statements-{index}-nl") == statement.text_nl
        assert _value(text, f"statements-{index}-en") == statement.text_en
        for code in statement.principle_codes:
            assert re.search(rf'<input checked [^>]*name="statements-{index}-principles"'
                             rf' type="checkbox" value="{code}"', text)
    filled = len(statements.statements)
    assert _value(text, f"statements-{filled}-nl") == ""  # then empty rows
    choice = _by_kind(c, QuestionKind.SINGLE_CHOICE)
    text = official.get(f"/officials/consultations/{c.slug}/questions/{choice.id}").get_data(
        as_text=True)
    assert [_value(text, f"options-{i}-en") for i in range(len(choice.options))] == [
        o.label_en for o in choice.options]
    assert _value(text, "options-0-id") == str(choice.options[0].id)


@pytest.mark.parametrize("lang", LANGS)
def test_add_another_row_keeps_everything_typed_and_saves_nothing(
    app: Flask, lang: str
) -> None:
    c = _draft(app)
    before = _questions(c)
    result = _official(app, lang).post(
        f"/officials/consultations/{c.slug}/questions/new", data=_base(**{
            "text_nl": "Wat <kiest> u?", "page": "abc", "options-0-nl": "Ja",
            "options-0-en": "Yes", "options-1-nl": "Nee", "row": "add-options"}))
    text = result.get_data(as_text=True)
    assert result.status_code == 200
    assert _row_names(text, "options") == ["options-0", "options-1", "options-2"]
    assert _value(text, "options-0-nl") == "Ja" and _value(text, "options-1-nl") == "Nee"
    assert _value(text, "text_nl") == "Wat <kiest> u?"
    assert _value(text, "page") == "abc"  # kept as typed, not yet judged
    assert re.search(r'<input autofocus [^>]*name="options-2-nl"', text)
    assert "error-summary" not in text
    assert _questions(c) == before


@pytest.mark.parametrize("lang", LANGS)
def test_move_up_and_down_swap_rows_with_what_was_typed(app: Flask, lang: str) -> None:
    c = _draft(app)
    official = _official(app, lang)
    url = f"/officials/consultations/{c.slug}/questions/new"
    rows = {"statements-0-nl": "Eerste", "statements-0-principles": "safety",
            "statements-1-nl": "Tweede", "statements-1-en": "Second",
            "statements-1-principles": ["justice", "legitimacy"],
            "statements-1-status": "pending", "statements-2-nl": "Derde"}
    text = official.post(url, data=_base(kind="statements", row="statements-1-up",
                                          **rows)).get_data(as_text=True)
    assert [_value(text, f"statements-{i}-nl") for i in range(3)] == [
        "Tweede", "Eerste", "Derde"]
    assert _value(text, "statements-0-en") == "Second"
    assert re.search(r'<input checked [^>]*name="statements-0-principles" type="checkbox"'
                     r' value="justice"', text)
    assert re.search(r'<option selected value="pending">', text)
    # the moved row is first now: its "move down" button has the focus
    assert re.search(r'<button [^>]*value="statements-0-down"[^>]*autofocus', text)
    text = official.post(url, data=_base(kind="statements", row="statements-0-down",
                                         **rows)).get_data(as_text=True)
    assert [_value(text, f"statements-{i}-nl") for i in range(3)] == [
        "Tweede", "Eerste", "Derde"]
    # a move past the end, or a forged row button, changes nothing and saves nothing
    before = _questions(c)
    for action in ("statements-2-down", "statements-9-up", "options-x-up", "delete-all", ""):
        result = official.post(url, data=_base(kind="statements", row=action, **rows))
        text = result.get_data(as_text=True)
        assert result.status_code == 200
        assert [_value(text, f"statements-{i}-nl") for i in range(3)] == [
            "Eerste", "Tweede", "Derde"]
    assert _questions(c) == before


def test_saving_keeps_the_order_removes_marked_and_skips_empty_rows(
    db_app: Flask
) -> None:
    c = _draft(db_app)
    official = _official(db_app, "en")
    choice = _by_kind(c, QuestionKind.SINGLE_CHOICE)
    yes, no = choice.options[0], choice.options[1]
    dependant = [q for q in c.questions if q.condition_option is not None][0]
    assert dependant.condition_option.id == yes.id
    # "No" moved up, "Yes" renamed and kept, one new option, the rest removed or empty
    data = _base(text_nl=choice.text_nl, page=str(choice.page), **{
        "options-0-id": str(no.id), "options-0-nl": "Nee", "options-0-en": "No",
        "options-1-id": str(yes.id), "options-1-nl": "Jazeker", "options-1-en": "",
        "options-2-nl": "Misschien", "options-2-en": "Maybe",
        "options-3-nl": "Weg", "options-3-remove": "y", "options-4-nl": " "})
    for extra in choice.options[2:]:
        data[f"options-9{extra.position}-id"] = str(extra.id)
        data[f"options-9{extra.position}-nl"] = extra.label_nl
        data[f"options-9{extra.position}-remove"] = "y"
    result = official.post(f"/officials/consultations/{c.slug}/questions/{choice.id}",
                           data=data)
    assert result.status_code == 302, result.get_data(as_text=True)
    db.session.expire_all()
    choice = db.session.get(Question, choice.id)
    assert [(o.label_nl, o.label_en, o.position) for o in choice.options] == [
        ("Nee", "No", 0), ("Jazeker", "Jazeker", 1), ("Misschien", "Maybe", 2)]
    assert [o.id for o in choice.options[:2]] == [no.id, yes.id]
    dependant = db.session.get(Question, dependant.id)
    assert dependant.condition_option.label_nl == "Jazeker"  # the condition followed it


def test_statements_are_saved_in_order_with_principles_and_status(db_app: Flask) -> None:
    c = _draft(db_app)
    official = _official(db_app, "nl")
    question = _by_kind(c, QuestionKind.STATEMENTS)
    first = question.statements[0].text_nl
    result = official.post(
        f"/officials/consultations/{c.slug}/questions/{question.id}",
        data=_base(kind="statements", text_nl=question.text_nl, page=str(question.page),
                   allow_proposals="y", **{
                       "statements-0-nl": "Nieuw voorop", "statements-0-en": "New first",
                       "statements-0-principles": ["legitimacy", "safety"],
                       "statements-0-status": "approved",
                       "statements-1-nl": first,
                       "statements-1-status": "hidden",
                       "statements-2-nl": "Weg", "statements-2-remove": "y",
                       "statements-3-nl": "", "statements-3-principles": "justice"}))
    assert result.status_code == 302, result.get_data(as_text=True)
    db.session.expire_all()
    saved = db.session.scalars(select(Statement).filter_by(question_id=question.id)
                               .order_by(Statement.id)).all()
    assert [(s.text_nl, s.text_en, s.principle_codes, s.status) for s in saved] == [
        ("Nieuw voorop", "New first", ["safety", "legitimacy"], ModerationStatus.APPROVED),
        (first, first, [], ModerationStatus.HIDDEN)]


@pytest.mark.parametrize("lang", LANGS)
def test_a_forged_principle_or_status_is_a_field_error_and_nothing_is_lost(
    app: Flask, lang: str
) -> None:
    c = _draft(app)
    official = _official(app, lang)
    before = _questions(c)
    result = official.post(f"/officials/consultations/{c.slug}/questions/new", data=_base(
        kind="statements", **{
            "statements-0-nl": "Goed", "statements-0-principles": ["safety", "<b>evil</b>"],
            "statements-1-nl": "Ook goed", "statements-1-status": "deleted"}))
    text = result.get_data(as_text=True)
    assert result.status_code == 200
    principle_error = {"nl": "Kies principes uit de lijst.",
                       "en": "Choose principles from the list."}[lang]
    status_error = {"nl": "Kies een status uit de lijst.",
                    "en": "Choose a status from the list."}[lang]
    row = {"nl": "Stelling", "en": "Statement"}[lang]
    assert f'<a href="#statements-0-principles-0">{row} 1: {principle_error}</a>' in text
    assert f'<a href="#statements-1-status">{row} 2: {status_error}</a>' in text
    assert 'id="statements-0-principles-error"' in text
    assert 'id="statements-1-status-error"' in text
    assert "<b>evil</b>" not in text
    assert _value(text, "statements-0-nl") == "Goed"
    assert _value(text, "statements-1-nl") == "Ook goed"
    assert _questions(c) == before


@pytest.mark.parametrize("lang", LANGS)
def test_too_few_options_or_statements_are_shown_at_the_list(app: Flask, lang: str) -> None:
    c = _draft(app)
    official = _official(app, lang)
    before = _questions(c)
    url = f"/officials/consultations/{c.slug}/questions/new"
    text = official.post(url, data=_base(**{
        "options-0-nl": "Alleen ik", "options-1-nl": "Weg", "options-1-remove": "y",
    })).get_data(as_text=True)
    message = {"nl": "Geef minstens twee antwoordmogelijkheden.",
               "en": "Give at least two options."}[lang]
    assert f'<a href="#options-0-nl">{message}</a>' in text
    assert 'id="options-error"' in text
    assert _value(text, "options-0-nl") == "Alleen ik"
    assert re.search(r'<input checked [^>]*name="options-1-remove"', text)
    text = official.post(url, data=_base(kind="statements", **{
        "statements-0-nl": "", "statements-0-en": ""})).get_data(as_text=True)
    message = {"nl": "Geef minstens één stelling.", "en": "Give at least one statement."}[lang]
    assert f'<a href="#statements-0-nl">{message}</a>' in text
    assert _questions(c) == before


@pytest.mark.parametrize("lang", LANGS)
def test_the_ethical_principles_become_the_items_of_a_ranking(
    db_app: Flask, lang: str
) -> None:
    c = _draft(db_app)
    official = _official(db_app, lang)
    url = f"/officials/consultations/{c.slug}/questions/new"
    text = official.post(url, data=_base(**{
        "text_nl": "Zet de principes in volgorde", "options-0-nl": "Oud",
        "row": "principles"})).get_data(as_text=True)
    assert re.search(r'<option selected value="ranking">', text)
    assert _value(text, "text_nl") == "Zet de principes in volgorde"
    assert [(_value(text, f"options-{i}-nl"), _value(text, f"options-{i}-en"))
            for i in range(len(PRINCIPLES))] == [(nl, en) for _, nl, en, _, _ in PRINCIPLES]
    assert _row_names(text, "options") == [f"options-{i}" for i in range(len(PRINCIPLES))]
    assert re.search(r'<input autofocus [^>]*name="options-0-nl"', text)
    data = _base(kind="ranking", text_nl="Zet de principes in volgorde")
    for i, (_, nl, en, _, _) in enumerate(PRINCIPLES):
        data[f"options-{i}-nl"], data[f"options-{i}-en"] = nl, en
    assert official.post(url, data=data).status_code == 302
    ranking = db.session.scalars(select(Question).filter_by(
        consultation_id=c.id, text_nl="Zet de principes in volgorde")).one()
    assert ranking.kind == QuestionKind.RANKING
    assert [o.label_en for o in ranking.options] == [en for _, _, en, _, _ in PRINCIPLES]


def test_rows_cannot_change_once_the_consultation_is_open(app: Flask) -> None:
    c = _draft(app)
    official = _official(app, "en")
    question = _by_kind(c, QuestionKind.STATEMENTS)
    texts = [s.text_nl for s in question.statements]
    with app.test_request_context("/"):
        editing.open_now(official_user(), c)
        db.session.commit()
    result = official.post(
        f"/officials/consultations/{c.slug}/questions/{question.id}",
        data=_base(kind="statements", text_nl=question.text_nl, **{
            "statements-0-nl": "Anders", "statements-0-status": "hidden"}))
    text = result.get_data(as_text=True)
    assert result.status_code == 200
    assert "Questions cannot change once the consultation has opened." in text
    assert _value(text, "statements-0-nl") == "Anders"
    db.session.expire_all()
    assert [s.text_nl for s in db.session.get(Question, question.id).statements] == texts


def test_the_service_refuses_an_unknown_code_and_takes_a_code_twice_as_once(
    db_app: Flask
) -> None:
    from consult.services import DomainError
    from consult.services.consultations import questions

    c = _draft(db_app)
    with db_app.test_request_context("/"):
        official = official_user()
        with pytest.raises(DomainError) as refused:
            questions.add_question(official, c, questions.QuestionData(
                QuestionKind.STATEMENTS, "Stellingen", statements=[("A", "A", ["nope"])]))
        assert refused.value.field == "statements"
        db.session.rollback()
        question = questions.add_question(official, c, questions.QuestionData(
            QuestionKind.STATEMENTS, "Stellingen", statements=[
                questions.StatementRow("A", "A", ["safety", "safety"],
                                       ModerationStatus.PENDING), ("B", "B", [])]))
        db.session.commit()
        assert [(s.text_nl, s.principle_codes, s.status) for s in question.statements] == [
            ("A", ["safety"], ModerationStatus.PENDING), ("B", [], ModerationStatus.APPROVED)]
        # Options swapped by id: the pair (question, position) stays unique at every flush.
        ranking = _by_kind(c, QuestionKind.RANKING)
        rows = [questions.OptionRow(o.label_nl, o.label_en, o.id)
                for o in reversed(ranking.options)]
        ids = [row.id for row in rows]
        questions.update_question(official, ranking, questions.QuestionData(
            QuestionKind.RANKING, ranking.text_nl, page=ranking.page, options=rows))
        db.session.commit()
        db.session.expire_all()
        assert [o.id for o in db.session.get(Question, ranking.id).options] == ids
