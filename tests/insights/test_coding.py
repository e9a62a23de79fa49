"""Guided coding on the officials' coding page: codebook, hand coding, suggestions accepted in
bulk, the counts per code in the report, the audit of decisions and the downloads."""

from __future__ import annotations

import csv
import io
import json
import threading

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import (
    Answer,
    CodingCode,
    CodingDecision,
    CodingModel,
    CodingSource,
    CodingSuggestion,
    Consultation,
    PublicationConsent,
    Role,
    User,
)
from consult.services.insights import coding as coding_service
from consult.services.insights import run as analysis
from tests.factories.insights import add_response
from tests.support.free_text_set import PRINCIPLE_OF, free_text_set
from tests.support.sessions import login

HIDDEN_TEXT_MARK = "(niet publiceren)"


def _url(c: Consultation, tail: str = "") -> str:
    return f"/officials/consultations/{c.slug}/analysis/coding{tail}"


def _official(client: FlaskClient, make_user, email: str = "ambtenaar@example.nl") -> User:
    user = make_user(email, role=Role.OFFICIAL)
    login(client, email)
    return user


def _answers(consultation: Consultation, per_theme: int = 8) -> dict[int, str]:
    """Dutch answers from the hand-written set; answer id -> the principle it speaks to.
    Every fourth respondent does not allow publishing (its text is marked)."""
    texts, themes = free_text_set("nl")
    out: dict[int, str] = {}
    taken: dict[str, int] = {}
    for n, (text, theme) in enumerate(zip(texts, themes, strict=True)):
        if taken.get(theme, 0) == per_theme:
            continue
        taken[theme] = taken.get(theme, 0) + 1
        private = n % 4 == 3
        response = add_response(
            consultation, text=f"{text} {HIDDEN_TEXT_MARK}" if private else text,
            consent=PublicationConsent.DO_NOT_PUBLISH if private
            else PublicationConsent.PUBLISH_ANONYMOUSLY)
        answer_id = db.session.scalar(select(Answer.id).where(
            Answer.response_id == response.id, Answer.text.is_not(None)))
        assert answer_id is not None
        out[answer_id] = PRINCIPLE_OF[theme]
    db.session.commit()
    return out


def _decisions() -> list[CodingDecision]:
    db.session.expire_all()
    return list(db.session.scalars(select(CodingDecision).order_by(CodingDecision.id)))


def test_default_codebook_is_the_principles_and_other_and_a_get_stores_nothing(
    client: FlaskClient, make_user, consultation: Consultation,
) -> None:
    _official(client, make_user)
    _answers(consultation, per_theme=2)
    page = client.get(_url(consultation) + "?lang=en").get_data(as_text=True)
    for name in ("Safety", "Freedom of choice", "Justice", "Other"):
        assert f">{name}</option>" in page
    assert "No answers are coded yet." in page
    assert db.session.scalar(select(func.count()).select_from(CodingCode)) == 0
    nl = client.get(_url(consultation) + "?lang=nl").get_data(as_text=True)
    assert ">Veiligheid</option>" in nl and "Er zijn nog geen antwoorden gecodeerd." in nl


def test_official_codes_by_hand_accepts_suggestions_in_bulk_and_sees_counts(
    client: FlaskClient, make_user, consultation: Consultation,
) -> None:
    official = _official(client, make_user)
    truth = _answers(consultation)
    by_code: dict[str, list[int]] = {}
    for answer_id, code in truth.items():
        by_code.setdefault(code, []).append(answer_id)
    hand = {i: code for code, ids in by_code.items() for i in ids[:3]}
    posted = client.post(_url(consultation), data={
        "action": "save", **{f"code-{i}": code for i, code in hand.items()}})
    assert posted.status_code == 302
    decisions = _decisions()
    assert len(decisions) == 12
    assert all(d.source == CodingSource.MANUAL and d.decided_by_id == official.id
               and d.decided_at is not None for d in decisions)

    page = client.get(_url(consultation) + "?lang=en").get_data(as_text=True)
    assert "the suggestions agree with" in page and "sure)" in page
    # The rest, accepted in bulk: every suggestion on the page.
    shown = {f"shown-{i}": "1" for i in truth if i not in hand}
    accepted = client.post(_url(consultation), data={"action": "accept_all", **shown})
    assert accepted.status_code == 302
    suggested = [d for d in _decisions() if d.source == CodingSource.SUGGESTION]
    assert len(suggested) == len(truth) - len(hand)
    assert all(d.decided_by_id == official.id and 0 < (d.confidence or 0) <= 1
               for d in suggested)
    keys = {c.id: c.key for c in db.session.scalars(select(CodingCode))}
    assert {keys[d.code_id] for d in suggested} <= set(by_code)  # only codes it was taught

    # A correction is a new decision; the old one stays in the audit.
    corrected = suggested[0].answer_id
    other = next(code for code in by_code if code != keys[suggested[0].code_id])
    client.post(_url(consultation), data={"action": "save", f"code-{corrected}": other})
    history = [d for d in _decisions() if d.answer_id == corrected]
    assert [d.source for d in history] == [CodingSource.SUGGESTION, CodingSource.MANUAL]

    # The counts per principle reach the analysis page, with quotes only when allowed.
    for locale, heading in (("en", "Open answers per code"), ("nl", "Open antwoorden per code")):
        report = client.get(f"/officials/consultations/{consultation.slug}/analysis"
                            f"?lang={locale}").get_data(as_text=True)
        assert heading in report
        assert HIDDEN_TEXT_MARK not in report
    final = {d.answer_id: keys[d.code_id] for d in _decisions()}
    counts = {code: list(final.values()).count(code) for code in set(final.values())}
    report = client.get(_url(consultation) + "?lang=en").get_data(as_text=True)
    for code, count in counts.items():
        label = {"safety": "Safety", "freedom-of-choice": "Freedom of choice",
                 "naturalness": "Naturalness and genetic integrity",
                 "justice": "Justice"}.get(code, "Other")
        assert f'<th scope="row">{label}</th><td>{count}</td>' in report


def test_suggestions_are_trained_on_each_confirmation_and_stored_not_on_a_page_load(
    client: FlaskClient, make_user, consultation: Consultation, monkeypatch,
) -> None:
    _official(client, make_user)
    truth = _answers(consultation, per_theme=4)
    hand = {}
    for answer_id, code in truth.items():
        if list(hand.values()).count(code) < 2:
            hand[answer_id] = code
    trainings: list[int] = []
    real = coding_service.suggest_codes

    def counted(*args, **kwargs):
        trainings.append(len(args[0]))
        return real(*args, **kwargs)

    monkeypatch.setattr(coding_service, "suggest_codes", counted)
    client.post(_url(consultation), data={
        "action": "save", **{f"code-{i}": code for i, code in hand.items()}})
    assert trainings == [len(truth)]  # one training: the Dutch answers (none in English)
    models = list(db.session.scalars(select(CodingModel)))
    assert [(m.language, m.n_coded) for m in models] == [("nl", len(hand))]
    stored = {s.answer_id for s in db.session.scalars(select(CodingSuggestion))}
    assert stored == set(truth)  # every Dutch answer has a proposal
    for _ in range(2):
        page = client.get(_url(consultation) + "?lang=en").get_data(as_text=True)
        assert "sure)" in page and "Update the suggestions" not in page
    assert trainings == [len(truth)]  # page loads read, never train

    # A new answer makes them out of date; the page says so, in both languages.
    add_response(consultation, text="Eerst goed testen of het veilig is.",
                 consent=PublicationConsent.PUBLISH_ANONYMOUSLY)
    db.session.commit()
    en = client.get(_url(consultation) + "?lang=en").get_data(as_text=True)
    assert "New answers came in or the codebook changed" in en
    nl = client.get(_url(consultation) + "?lang=nl").get_data(as_text=True)
    assert "Werk de voorstellen bij" in nl
    assert trainings == [len(truth)]
    updated = client.post(_url(consultation) + "?lang=en", data={"action": "refresh"},
                          follow_redirects=True).get_data(as_text=True)
    assert "The suggestions are updated." in updated
    assert "New answers came in" not in updated
    assert trainings == [len(truth), len(truth) + 1]
    assert len(list(db.session.scalars(select(CodingSuggestion)))) == len(truth) + 1


def test_a_confirmation_reuses_the_features_of_the_same_answers(
    client: FlaskClient, make_user, consultation: Consultation, monkeypatch,
) -> None:
    _official(client, make_user)
    truth = _answers(consultation, per_theme=3)
    made: list[int] = []
    real = coding_service.coding_features

    def counted(*args, **kwargs):
        made.append(len(args[0]))  # the answers, then the taught codes' words
        return real(*args, **kwargs)

    monkeypatch.setattr(coding_service, "coding_features", counted)
    coding_service._features.clear()
    ids = list(truth)
    client.post(_url(consultation), data={"action": "save", f"code-{ids[0]}": truth[ids[0]],
                                          f"code-{ids[3]}": truth[ids[3]]})
    client.post(_url(consultation), data={"action": "save", f"code-{ids[1]}": truth[ids[1]],
                                          f"code-{ids[4]}": truth[ids[4]]})
    assert len(made) == 1 and made[0] > len(truth)  # same answers and taught codes: once
    client.post(_url(consultation), data={"action": "save", f"code-{ids[6]}": truth[ids[6]]})
    assert len(made) == 2 and made[1] > made[0]  # a third code's words join: made anew


def test_coding_mistakes_are_readable_and_store_nothing(
    client: FlaskClient, make_user, consultation: Consultation,
) -> None:
    _official(client, make_user)
    truth = _answers(consultation, per_theme=2)
    first = next(iter(truth))
    for locale, message in (("en", "One of the chosen codes is not in the codebook."),
                            ("nl", "Een van de gekozen codes staat niet in het codeboek.")):
        answer = client.post(_url(consultation) + f"?lang={locale}",
                             data={"action": "save", f"code-{first}": "no-such-code"},
                             follow_redirects=True)
        assert answer.status_code == 200 and message in answer.get_data(as_text=True)
    strange = client.post(_url(consultation), data={"action": "save", "code-99999": "safety"},
                          follow_redirects=True)
    assert "cannot be coded here" in strange.get_data(as_text=True) or (
        "kan hier niet gecodeerd" in strange.get_data(as_text=True))
    nothing = client.post(_url(consultation) + "?lang=en", data={"action": "accept"},
                          follow_redirects=True)
    assert "Tick at least one suggestion to accept." in nothing.get_data(as_text=True)
    assert _decisions() == []


def test_codebook_can_be_renamed_and_extended_with_messages_in_both_languages(
    client: FlaskClient, make_user, consultation: Consultation,
) -> None:
    _official(client, make_user)
    empty = client.post(_url(consultation, "/codes") + "?lang=en",
                        data={"add-label_nl": "Dierenwelzijn", "add-label_en": ""})
    page = empty.get_data(as_text=True)
    assert empty.status_code == 200 and "Give the code an English name." in page
    assert 'value="Dierenwelzijn"' in page  # what was typed is kept
    nl = client.post(_url(consultation, "/codes") + "?lang=nl",
                     data={"add-label_nl": "", "add-label_en": "Animal welfare"})
    assert "Geef de code een Nederlandse naam." in nl.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(CodingCode)) == 0
    added = client.post(_url(consultation, "/codes"),
                        data={"add-label_nl": "Dierenwelzijn", "add-label_en": "Animal welfare"})
    assert added.status_code == 302
    renamed = client.post(_url(consultation, "/codes"), data={
        "key": "other", "label_nl": "Iets anders", "label_en": "Something else"})
    assert renamed.status_code == 302
    page = client.get(_url(consultation) + "?lang=en").get_data(as_text=True)
    assert 'value="Animal welfare"' in page and 'value="Something else"' in page
    twice = client.post(_url(consultation, "/codes") + "?lang=en",
                        data={"add-label_nl": "Dierenwelzijn", "add-label_en": "Animals"})
    assert "already has a code with this name" in twice.get_data(as_text=True)


def test_decisions_are_in_the_downloads_with_pseudonyms_not_emails(
    client: FlaskClient, make_user, consultation: Consultation,
) -> None:
    first_official = _official(client, make_user)
    truth = _answers(consultation, per_theme=2)
    first, second, third = list(truth)[:3]
    client.post(_url(consultation), data={"action": "save", f"code-{first}": truth[first],
                                          f"code-{second}": "other"})
    client.post("/account/logout", data={})
    second_official = _official(client, make_user, "collega@example.nl")
    client.post(_url(consultation), data={"action": "save", f"code-{third}": "other"})
    body = client.get(_url(consultation, ".csv")).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:5] == ["decision", "answer_id", "response_public_id", "code", "source"]
    assert rows[0][6] == "decided_by"
    assert {(r[1], r[3], r[4], r[6]) for r in rows[1:]} == {
        (str(first), truth[first], "manual", "official-1"),
        (str(second), "other", "manual", "official-1"),
        (str(third), "other", "manual", "official-2")}
    assert "@" not in body and "ambtenaar" not in body and "collega" not in body
    # The audit in the database still knows who.
    assert {d.answer_id: d.decided_by_id for d in _decisions()} == {
        first: first_official.id, second: first_official.id, third: second_official.id}
    run = analysis.run(consultation)
    db.session.commit()
    assert run.error is None
    raw = client.get(f"/officials/consultations/{consultation.slug}/analysis.json").data
    coding = json.loads(raw)["coding"]
    assert [c["key"] for c in coding["codebook"]][-1] == "other"
    assert coding["counts"]["other"] == 2 and len(coding["decisions"]) == 3
    assert [d["decided_by"] for d in coding["decisions"]] == [
        "official-1", "official-1", "official-2"]
    assert all(d["decided_at"] for d in coding["decisions"])
    assert b"ambtenaar@example.nl" not in raw and b"collega@example.nl" not in raw


def test_only_officials_reach_coding(client: FlaskClient, make_user,
                                     consultation: Consultation) -> None:
    for path in (_url(consultation), _url(consultation, ".csv")):
        assert client.get(path).status_code == 302
    make_user("burger@example.nl")
    login(client, "burger@example.nl")
    assert client.get(_url(consultation)).status_code == 403
    assert client.post(_url(consultation), data={"action": "save"}).status_code == 403
    assert client.post(_url(consultation, "/codes"), data={}).status_code == 403


def test_two_officials_confirming_at_once_both_succeed_and_leave_one_set_of_suggestions(
    db_app, db_consultation: Consultation, backend: str,
) -> None:
    """PostgreSQL only: on SQLite two transactions that both read and then write can fail
    with "database is locked" at the upgrade to a write lock whatever the busy timeout
    (a limit of SQLite's locking, for every such request, not of coding)."""
    from tests.factories.users import new_user

    if backend == "sqlite":
        pytest.skip("SQLite: a read-then-write transaction cannot wait for another writer")

    truth = _answers(db_consultation, per_theme=4)
    officials = [new_user(f"ambtenaar{n}@example.nl", Role.OFFICIAL) for n in range(2)]
    db.session.commit()
    ids = list(truth)
    halves = [{i: truth[i] for i in ids[n::4]} for n in range(2)]
    url = _url(db_consultation)
    barrier = threading.Barrier(2)
    outcomes: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def confirm(session_id: str, chosen: dict[int, str]) -> None:
        try:
            client = db_app.test_client()
            with client.session_transaction() as session:
                session["_user_id"] = session_id
                session["_fresh"] = True
            barrier.wait(timeout=30)
            response = client.post(url, data={
                "action": "save", **{f"code-{i}": code for i, code in chosen.items()}})
            with lock:
                outcomes.append(response.status_code)
        except BaseException as error:  # noqa: BLE001 - reported below
            with lock:
                errors.append(error)

    threads = [threading.Thread(target=confirm, args=(u.get_id(), half))
               for u, half in zip(officials, halves, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert outcomes == [302, 302]
    db.session.expire_all()
    assert len(_decisions()) == sum(len(h) for h in halves)
    models = list(db.session.scalars(select(CodingModel)))
    assert len(models) == 1 and models[0].n_coded == sum(len(h) for h in halves)
    suggestions = list(db.session.scalars(select(CodingSuggestion)))
    assert sorted(s.answer_id for s in suggestions) == sorted(truth)  # one each, no mix
