"""The real before-and-after of a tasting: the same people's answers, paired.

Who is paired (`opinion_shift_between` with an `event_id`):

- only people registered for the tasting, by default only those checked in at the door
  (`checked_in_only=False`: every registration that held a seat: confirmed, attended,
  no-show);
- a response is theirs when it came through their registration's personal link
  (`Response.registration_id`), or when it was given from the account the registration
  belongs to; both ways give the registration as the pair's key, so a person without an
  account is paired as well as one with;
- with two different consultations, every counted response to the "before" one is a
  "before" answer; with the same consultation before and after, only the responses of
  the round "before" and of the round "after" (`Response.survey_round`) are used;
- without an `event_id` (a plain comparison of two consultations) responses are paired
  by account only.

Items are matched by meaning: a principle by its code, a statement or Likert question by
its Dutch text. Scores run from -1 to 1 (ratings (r - 3) / 2). Fewer than 5 pairs, or
fewer than 5 pairs on an item, shows no figures (privacy rule); fewer than 10 pairs are
flagged "too few to say" (analysis.shift.TOO_FEW).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy import select

from analysis import opinion_shift
from analysis.shift import TOO_FEW as TOO_FEW_PAIRS
from consult.extensions import db
from consult.models import (
    ROUND_AFTER,
    ROUND_BEFORE,
    Consultation,
    Event,
    Registration,
    RegistrationStatus,
)
from consult.services.insights import snapshot as results_mod
from consult.services.insights.matrix import Item, OpinionMatrix, build_matrix

#: The registrations counted when not only those checked in are asked for.
HELD_A_SEAT = (RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED,
               RegistrationStatus.NO_SHOW)


def _shift_key(item: Item) -> str:
    if item.kind == "principle":
        return f"principle:{item.principles[0]}"
    return f"{item.kind}:{' '.join(item.label_nl.lower().split())}"


def tasting_participants(event_id: int, *, checked_in_only: bool = True
                         ) -> dict[int, int | None]:
    """The tasting's registrations (id -> account id or None): by default only those
    checked in."""
    query = select(Registration.id, Registration.user_id).where(
        Registration.event_id == event_id)
    if checked_in_only:
        query = query.where(Registration.checked_in_at.is_not(None))
    else:
        query = query.where(Registration.status.in_(HELD_A_SEAT))
    return {int(reg): (int(user) if user is not None else None)
            for reg, user in db.session.execute(query)}


def _rows(m: OpinionMatrix, round_name: str | None,
          participants: dict[int, int | None] | None) -> dict[str, int]:
    """Pair key -> matrix row, for the rows of `round_name` (None: every row)."""
    by_user = ({user: reg for reg, user in participants.items() if user is not None}
               if participants is not None else {})
    rows: dict[str, int] = {}
    for i, (user, reg, rnd) in enumerate(zip(m.user_ids, m.registration_ids, m.rounds,
                                             strict=True)):
        if round_name is not None and rnd != round_name:
            continue
        if participants is None:
            key = f"u{user}" if user is not None else None
        elif reg is not None and reg in participants:
            key = f"r{reg}"
        elif user is not None and user in by_user:
            key = f"r{by_user[user]}"
        else:
            key = None
        if key is not None:
            rows.setdefault(key, i)  # one row per person (the first, by response id)
    return rows


def _item_pairs(b: OpinionMatrix, a: OpinionMatrix) -> list[tuple[int, Item, int]]:
    keys_b: dict[str, int] = {}
    for j, item in enumerate(b.items):
        keys_b.setdefault(_shift_key(item), j)
    pairs: list[tuple[int, Item, int]] = []
    seen: set[str] = set()
    for j, item in enumerate(a.items):
        key = _shift_key(item)
        if key in keys_b and key not in seen:
            seen.add(key)
            pairs.append((keys_b[key], item, j))
    return pairs


def opinion_shift_between(before_id: int, after_id: int, *, event_id: int | None = None,
                          checked_in_only: bool = True) -> dict[str, Any]:
    """Before/after change for the tasting's participants who answered both (see above)."""
    before_c = db.session.get(Consultation, before_id)
    after_c = db.session.get(Consultation, after_id)
    same = before_id == after_id
    empty = {"n_pairs": 0, "suppressed": True, "too_few": True, "items": [],
             "principles": [], "before": before_id, "after": after_id,
             "checked_in_only": checked_in_only, "same_consultation": same}
    if before_c is None or after_c is None:
        return empty
    b = build_matrix(before_c, with_texts=False, every_round=True)
    a = b if same else build_matrix(after_c, with_texts=False, every_round=True)
    participants = (tasting_participants(event_id, checked_in_only=checked_in_only)
                    if event_id is not None else None)
    row_b = _rows(b, ROUND_BEFORE if same else None, participants)
    row_a = _rows(a, ROUND_AFTER if same else None, participants)
    people = sorted(set(row_b) & set(row_a))
    out: dict[str, Any] = {**empty, "n_pairs": len(people),
                           "suppressed": len(people) < results_mod.MIN_CELL,
                           "too_few": len(people) < TOO_FEW_PAIRS}
    pairs = _item_pairs(b, a)
    if out["suppressed"] or not pairs:
        return out
    before = b.values[np.ix_([row_b[p] for p in people], [p[0] for p in pairs])]
    after = a.values[np.ix_([row_a[p] for p in people], [p[2] for p in pairs])]
    principles = {c: item.principles[0] for c, (_, item, _) in enumerate(pairs)
                  if item.kind == "principle"}
    shift = opinion_shift(before, after, item_principles=principles or None)
    names = {item.principles[0]: (item.label_nl, item.label_en)
             for _, item, _ in pairs if item.kind == "principle"}
    out["items"] = [{"kind": item.kind, "label_nl": item.label_nl, "label_en": item.label_en,
                     **_shift_stats(s)}
                    for (_, item, _), s in zip(pairs, shift.items, strict=True)]
    out["principles"] = [{"code": code, "label_nl": names[code][0],
                          "label_en": names[code][1], **_shift_stats(s)}
                         for code, s in shift.principles.items()]
    return out


def _shift_stats(s: Any) -> dict[str, Any]:
    if s.n < results_mod.MIN_CELL:
        return {"n": None}
    r = results_mod._r
    return {"n": s.n, "mean_before": r(s.mean_before, 3), "mean_after": r(s.mean_after, 3),
            "mean_change": r(s.mean_change, 3), "ci_low": r(s.ci_low, 3),
            "ci_high": r(s.ci_high, 3), "p_sign": r(s.p_sign, 4),
            "p_wilcoxon": r(s.p_wilcoxon, 4), "rank_biserial": r(s.rank_biserial, 3),
            "too_few": s.too_few}


def tasting_pairs(consultation: Consultation) -> list[dict[str, Any]]:
    """Tastings that link this consultation as their before or after questionnaire
    (the same consultation for both counts: it is then answered in two rounds)."""
    events = db.session.scalars(select(Event).where(
        Event.before_consultation_id.is_not(None),
        Event.after_consultation_id.is_not(None),
        (Event.before_consultation_id == consultation.id)
        | (Event.after_consultation_id == consultation.id)).order_by(Event.starts_at, Event.id))
    return [{"event": e, "before_id": e.before_consultation_id,
             "after_id": e.after_consultation_id} for e in events]
