"""Guided coding of open answers: the codebook, officials' decisions, suggestions, report.

* The codebook of a consultation is its `CodingCode` rows. Until an official saves a change
  or a decision, it is the default one (the ethical principles of the catalogue plus
  "other"), shown without being stored (a GET writes nothing).
* A decision (`CodingDecision`) is added each time an official codes an answer by hand or
  accepts a suggestion, with who and when; an answer's code is its newest decision.
* Suggestions are trained on each confirmation (every call that stores decisions, and a
  codebook change), per language since stems differ (`analysis.coding.suggest_codes`), and
  stored: a `CodingModel` per language with the fingerprint of what it learnt from (the
  answers, their codes and the codebook's words) and its cross-validated accuracy, and a
  `CodingSuggestion` per answer. A page load only reads them; when new answers came in
  since, the page says the suggestions are out of date and offers to update them. Each
  process keeps the features of its newest sets of answers, so a retrain at a
  confirmation does not remake them.
* The report counts the answers per code and quotes up to three whose respondents allowed
  publishing (the same rule as the analysis: approved and a publishing consent).
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from analysis.coding import CodingFeatures, codes_fingerprint, coding_features, suggest_codes
from consult.extensions import db
from consult.models import (
    Answer,
    CodingCode,
    CodingDecision,
    CodingModel,
    CodingSource,
    CodingSuggestion,
    Consultation,
    ModerationStatus,
    PublicationConsent,
    Response,
    User,
    utcnow,
)
from consult.services import DomainError
from consult.services.catalogue import principles
from consult.services.consultations import kinds
from consult.services.consultations.results import counted_filter
from consult.services.insights.matrix import QUOTABLE

OTHER = "other"
MAX_QUOTES = 3
MAX_LABEL = 200


@dataclass(frozen=True)
class Code:
    """A codebook entry as pages and services use it (stored or still the default)."""

    key: str
    label_nl: str
    label_en: str

    def label(self, locale: str) -> str:
        return self.label_en if locale == "en" else self.label_nl


@dataclass
class CodableAnswer:
    """An open answer that can be coded, with its current code and the suggestion."""

    answer_id: int
    response_public_id: str
    question_id: int
    text: str
    locale: str
    quotable: bool
    name: str | None
    code: str | None = None
    decided_by: str | None = None
    decided_at: Any = None
    source: CodingSource | None = None
    suggested: str | None = None
    confidence: float = 0.0


@dataclass
class CodingState:
    """Everything the coding page shows."""

    codes: list[Code]
    answers: list[CodableAnswer]
    accuracy: dict[str, float | None] = field(default_factory=dict)
    coded_per_language: dict[str, int] = field(default_factory=dict)
    #: Languages whose stored suggestions were trained on other answers or codes than now.
    stale: set[str] = field(default_factory=set)


def _default_codes() -> list[Code]:
    codes = [Code(p.code, p.name_nl, p.name_en) for p in principles()]
    return [*codes, Code(OTHER, "Overig", "Other")]


def codebook(consultation: Consultation) -> list[Code]:
    """The stored codebook, or the default one when nothing was stored yet."""
    stored = db.session.scalars(
        select(CodingCode).where(CodingCode.consultation_id == consultation.id)
        .order_by(CodingCode.position, CodingCode.id)).all()
    if not stored:
        return _default_codes()
    return [Code(c.key, c.label_nl, c.label_en) for c in stored]


def _stored_codebook(consultation: Consultation) -> dict[str, CodingCode]:
    """The codebook's rows, storing the default one first when there is none."""
    query = select(CodingCode).where(CodingCode.consultation_id == consultation.id)
    rows = db.session.scalars(query).all()
    if not rows:
        try:
            with db.session.begin_nested():
                db.session.add_all(
                    CodingCode(consultation_id=consultation.id, key=c.key,
                               label_nl=c.label_nl, label_en=c.label_en, position=i)
                    for i, c in enumerate(_default_codes()))
        except IntegrityError:
            pass  # another official's request stored it first: use theirs
        rows = db.session.scalars(query).all()
    return {r.key: r for r in rows}


def _clean_labels(label_nl: str, label_en: str) -> tuple[str, str]:
    nl, en = " ".join((label_nl or "").split()), " ".join((label_en or "").split())
    if not nl:
        raise DomainError(_l("Give the code a Dutch name."), "label_nl")
    if not en:
        raise DomainError(_l("Give the code an English name."), "label_en")
    if len(nl) > MAX_LABEL or len(en) > MAX_LABEL:
        raise DomainError(_l("A code's name can be at most 200 characters."), "label_nl")
    return nl, en


def add_code(consultation: Consultation, label_nl: str, label_en: str) -> CodingCode:
    """Add a code at the end of the codebook (refused: an empty or repeated name)."""
    nl, en = _clean_labels(label_nl, label_en)
    rows = _stored_codebook(consultation)
    if any(r.label_nl.lower() == nl.lower() or r.label_en.lower() == en.lower()
           for r in rows.values()):
        raise DomainError(_l("The codebook already has a code with this name."), "label_nl")
    number = len(rows) + 1
    while f"code-{number}" in rows:
        number += 1
    row = CodingCode(consultation_id=consultation.id, key=f"code-{number}", label_nl=nl,
                     label_en=en, position=max(r.position for r in rows.values()) + 1)
    db.session.add(row)
    db.session.flush()
    train_suggestions(consultation)
    return row


def rename_code(consultation: Consultation, key: str, label_nl: str, label_en: str) -> None:
    """Give a code new names (its decisions stay)."""
    nl, en = _clean_labels(label_nl, label_en)
    rows = _stored_codebook(consultation)
    if key not in rows:
        raise DomainError(_l("This code is not in the codebook. Reload the page."))
    if any(k != key and (r.label_nl.lower() == nl.lower() or r.label_en.lower() == en.lower())
           for k, r in rows.items()):
        raise DomainError(_l("The codebook already has a code with this name."), "label_nl")
    rows[key].label_nl, rows[key].label_en = nl, en
    train_suggestions(consultation)


def _codable_rows(consultation: Consultation) -> list[CodableAnswer]:
    open_questions = [q.id for q in consultation.questions if kinds.get(q.kind).free_text]
    if not open_questions:
        return []
    rows = db.session.execute(
        select(Answer.id, Answer.question_id, Answer.text, Answer.moderation,
               Response.public_id, Response.locale, Response.consent,
               Response.organisation_name)
        .join(Response, Answer.response_id == Response.id)
        .where(Answer.question_id.in_(open_questions), Answer.text.is_not(None),
               Answer.moderation.is_distinct_from(ModerationStatus.HIDDEN),
               *counted_filter(consultation.id, public=False))
        .order_by(Answer.id)
    ).all()
    out = []
    for r in rows:
        if not (r.text or "").strip():
            continue
        quotable = r.moderation == ModerationStatus.APPROVED and r.consent in QUOTABLE
        name = (r.organisation_name if quotable
                and r.consent == PublicationConsent.PUBLISH_WITH_NAME else None)
        out.append(CodableAnswer(r.id, r.public_id, r.question_id, str(r.text),
                                 r.locale if r.locale in ("nl", "en") else "nl", quotable, name))
    return out


def _newest_decisions(answer_ids: Iterable[int]) -> dict[int, CodingDecision]:
    ids = list(answer_ids)
    if not ids:
        return {}
    newest = (select(func.max(CodingDecision.id)).where(CodingDecision.answer_id.in_(ids))
              .group_by(CodingDecision.answer_id))
    decisions = db.session.scalars(
        select(CodingDecision).where(CodingDecision.id.in_(newest))).all()
    return {d.answer_id: d for d in decisions}


def coding_state(consultation: Consultation, *, with_suggestions: bool = True) -> CodingState:
    """The codebook, every codable answer with its code, and the stored suggestions."""
    codes = codebook(consultation)
    answers = _codable_rows(consultation)
    decided = _newest_decisions(a.answer_id for a in answers)
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(
        {d.decided_by_id for d in decided.values() if d.decided_by_id})))}
    keys = {c.id: c.key for c in db.session.scalars(
        select(CodingCode).where(CodingCode.consultation_id == consultation.id))}
    for a in answers:
        d = decided.get(a.answer_id)
        if d is not None:
            a.code, a.source, a.decided_at = keys.get(d.code_id), d.source, d.decided_at
            who = users.get(d.decided_by_id or 0)
            a.decided_by = (who.display_name or who.email) if who else None
    state = CodingState(codes, answers)
    if with_suggestions:
        _read_suggestions(consultation, state)
    return state


def _examples(codes: list[Code], language: str) -> dict[str, list[str]]:
    """A code's own words: its name, and for a principle its catalogue description."""
    described = {p.code: p.description_en if language == "en" else p.description_nl
                 for p in principles()}
    return {c.key: [c.label(language), described.get(c.key, "")] for c in codes}


def _group(state: CodingState, language: str) -> list[CodableAnswer]:
    return [a for a in state.answers if a.locale == language]


def _fingerprint(state: CodingState, language: str) -> str:
    group = _group(state, language)
    words = [f"{key}={'|'.join(texts)}" for key, texts
             in sorted(_examples(state.codes, language).items())]
    return codes_fingerprint([a.answer_id for a in group], [a.code for a in group],
                             context=words)


def _models(consultation: Consultation) -> dict[str, CodingModel]:
    return {m.language: m for m in db.session.scalars(
        select(CodingModel).where(CodingModel.consultation_id == consultation.id))}


def _read_suggestions(consultation: Consultation, state: CodingState) -> None:
    """Fill in the stored suggestions and accuracy, and which languages are out of date."""
    models = _models(consultation)
    keys = {c.id: c.key for c in db.session.scalars(
        select(CodingCode).where(CodingCode.consultation_id == consultation.id))}
    stored = {}
    if models:
        stored = {s.answer_id: s for s in db.session.scalars(select(CodingSuggestion).where(
            CodingSuggestion.model_id.in_([m.id for m in models.values()])))}
    for language in ("nl", "en"):
        group = _group(state, language)
        coded = sum(1 for a in group if a.code)
        state.coded_per_language[language] = coded
        model = models.get(language)
        if model is not None:
            state.accuracy[language] = model.cv_accuracy
        if coded and (model is None or model.fingerprint != _fingerprint(state, language)):
            state.stale.add(language)
    for a in state.answers:
        suggestion = stored.get(a.answer_id)
        if suggestion is not None and suggestion.code_id in keys:
            a.suggested, a.confidence = keys[suggestion.code_id], suggestion.confidence


#: The coding features of the newest sets of answers, per process: made once and reused
#: while only codes change (a confirmation then costs the retrain, not the features).
#: Only for sets up to FEATURE_CACHE_LIMIT answers, at most FEATURE_CACHE_SIZE sets.
FEATURE_CACHE_SIZE = 2
FEATURE_CACHE_LIMIT = 20_000
_features: OrderedDict[str, CodingFeatures] = OrderedDict()
_features_lock = threading.Lock()


def _cached_features(texts: list[str], extra: list[str], language: str) -> CodingFeatures:
    digest = hashlib.sha256(language.encode())
    for text in (*texts, "\x1e", *extra):
        digest.update(text.encode() + b"\x1f")
    key = digest.hexdigest()
    with _features_lock:
        found = _features.get(key)
        if found is not None:
            _features.move_to_end(key)
            return found
    made = coding_features(texts + extra, language)
    if len(texts) <= FEATURE_CACHE_LIMIT:
        with _features_lock:
            _features[key] = made
            while len(_features) > FEATURE_CACHE_SIZE:
                _features.popitem(last=False)
    return made


def _locked_model(consultation: Consultation, language: str) -> CodingModel:
    """The language's model row, made when missing and locked for this transaction, so two
    officials confirming at once train one after the other instead of mixing their rows
    (PostgreSQL; SQLite writes one transaction at a time anyway)."""
    query = (select(CodingModel)
             .where(CodingModel.consultation_id == consultation.id,
                    CodingModel.language == language)
             .with_for_update().execution_options(populate_existing=True))
    model = db.session.scalars(query).first()
    if model is None:
        try:
            with db.session.begin_nested():
                db.session.add(CodingModel(consultation_id=consultation.id,
                                           language=language, fingerprint=""))
        except IntegrityError:
            pass  # another request made it first: use theirs
        model = db.session.scalars(query).one()
    return model


def train_suggestions(consultation: Consultation) -> int:
    """Train the suggestions on the current decisions, per language, and store them in
    place of the old ones (languages whose fingerprint did not change are left as they
    are). Returns how many languages were trained."""
    state = coding_state(consultation, with_suggestions=False)
    models = _models(consultation)
    rows = _stored_codebook(consultation)
    trained = 0
    for language in ("nl", "en"):
        group = _group(state, language)
        fingerprint = _fingerprint(state, language)
        known = models.get(language)
        if not group or (known is not None and known.fingerprint == fingerprint):
            continue
        model = _locked_model(consultation, language)
        if model.fingerprint == fingerprint:
            continue  # trained the same meanwhile by another request
        db.session.execute(delete(CodingSuggestion).where(
            CodingSuggestion.model_id == model.id))
        texts, codes = [a.text for a in group], [a.code for a in group]
        examples = _examples(state.codes, language)
        taught = {c for c in codes if c}
        extra = [t for key, many in examples.items() if key in taught for t in many
                 if t.strip()]
        result = suggest_codes(texts, codes, language=language, examples=examples,
                               features=_cached_features(texts, extra, language))
        model.fingerprint, model.cv_accuracy = fingerprint, result.cv_accuracy
        model.n_coded, model.trained_at = result.n_coded, utcnow()
        db.session.add_all(
            CodingSuggestion(model_id=model.id, answer_id=a.answer_id,
                             code_id=rows[code].id, confidence=round(float(confidence), 4))
            for a, code, confidence in zip(group, result.suggested, result.confidence,
                                           strict=True) if code is not None and code in rows)
        trained += 1
    db.session.flush()
    return trained


def record_codes(consultation: Consultation, actor: User, chosen: dict[int, str], *,
                 source: CodingSource = CodingSource.MANUAL,
                 confidences: dict[int, float] | None = None) -> int:
    """Store a decision for each answer id -> code key that differs from its current code.

    Refused (nothing stored): an answer that is not an open answer of this consultation,
    or a code that is not in its codebook. Returns how many decisions were added.
    """
    if not chosen:
        return 0
    rows = _stored_codebook(consultation)
    unknown = [k for k in chosen.values() if k not in rows]
    if unknown:
        raise DomainError(_l("One of the chosen codes is not in the codebook. Reload the page."))
    codable = {a.answer_id for a in _codable_rows(consultation)}
    if not set(chosen) <= codable:
        raise DomainError(_l("One of the answers cannot be coded here. Reload the page."))
    current = _newest_decisions(chosen)
    added = 0
    for answer_id, key in sorted(chosen.items()):
        before = current.get(answer_id)
        if before is not None and before.code_id == rows[key].id:
            continue
        db.session.add(CodingDecision(
            answer_id=answer_id, code_id=rows[key].id, source=source, decided_by_id=actor.id,
            confidence=(confidences or {}).get(answer_id)))
        added += 1
    db.session.flush()
    if added:
        train_suggestions(consultation)
    return added


def accept_suggestions(consultation: Consultation, actor: User, answer_ids: Iterable[int],
                       *, minimum: float = 0.0) -> int:
    """Accept the stored suggestions (those shown) for the given uncoded answers
    (confidence >= minimum)."""
    wanted = set(answer_ids)
    state = coding_state(consultation)
    chosen, confidences = {}, {}
    for a in state.answers:
        if (a.answer_id in wanted and not a.code and a.suggested
                and a.confidence >= minimum):
            chosen[a.answer_id] = a.suggested
            confidences[a.answer_id] = round(a.confidence, 4)
    return record_codes(consultation, actor, chosen, source=CodingSource.SUGGESTION,
                        confidences=confidences)


def report(state: CodingState) -> list[dict[str, Any]]:
    """Per code: how many answers carry it and up to three quotes that may be published."""
    counts = Counter(a.code for a in state.answers if a.code)
    out = []
    for code in state.codes:
        quotes = []
        seen: set[str] = set()
        for a in state.answers:
            key = " ".join(a.text.lower().split())
            if a.code == code.key and a.quotable and key not in seen:
                seen.add(key)
                quotes.append({"text": a.text, "name": a.name, "language": a.locale})
                if len(quotes) == MAX_QUOTES:
                    break
        out.append({"key": code.key, "label_nl": code.label_nl, "label_en": code.label_en,
                    "count": counts.get(code.key, 0), "quotes": quotes})
    return out


def decisions(consultation: Consultation) -> Iterator[dict[str, Any]]:
    """Every decision ever made on this consultation's answers, oldest first (the audit).

    Who decided is a pseudonym, "official-1", "official-2"..., numbered by each account's
    first decision on this consultation (so it stays the same in every download), never
    an email address or name: a download travels further than the page. The account itself
    stays in the database (``decided_by_id``) for the audit."""
    rows = db.session.execute(
        select(CodingDecision, CodingCode.key, Response.public_id)
        .join(CodingCode, CodingDecision.code_id == CodingCode.id)
        .join(Answer, CodingDecision.answer_id == Answer.id)
        .join(Response, Answer.response_id == Response.id)
        .where(CodingCode.consultation_id == consultation.id)
        .order_by(CodingDecision.id)
    ).all()
    pseudonyms: dict[int, str] = {}
    for d, key, public_id in rows:
        who = d.decided_by_id
        if who is not None and who not in pseudonyms:
            pseudonyms[who] = f"official-{len(pseudonyms) + 1}"
        yield {"decision": d.id, "answer_id": d.answer_id, "response_public_id": public_id,
               "code": key, "source": d.source.value,
               "confidence": None if d.confidence is None else float(np.round(d.confidence, 4)),
               "decided_by": pseudonyms.get(who) if who is not None else None,
               "decided_at": d.decided_at.isoformat()}


CSV_HEADER = ["decision", "answer_id", "response_public_id", "code", "source", "confidence",
              "decided_by", "decided_at"]


def decision_rows(consultation: Consultation) -> Iterator[list[Any]]:
    """The decisions as CSV rows (in the order of `CSV_HEADER`)."""
    for d in decisions(consultation):
        yield [d[k] if d[k] is not None else "" for k in CSV_HEADER]


def snapshot_part(consultation: Consultation) -> dict[str, Any]:
    """The coding part of the JSON download: the codebook, counts and every decision."""
    state = coding_state(consultation, with_suggestions=False)
    return {"codebook": [{"key": c.key, "label_nl": c.label_nl, "label_en": c.label_en}
                         for c in state.codes],
            "counts": {r["key"]: r["count"] for r in report(state)},
            "decisions": list(decisions(consultation))}
