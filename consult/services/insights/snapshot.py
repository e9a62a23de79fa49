"""Turning the pure analysis results into the stored snapshot (plain JSON).

Privacy rule, applied here once for every page and download: no breakdown shows a group
or a respondent category of fewer than `MIN_CELL` (5) respondents. A group that small
keeps its points on the map but shows no size, composition, profile, statements or
quotes; a category cell that small shows "fewer than 5" (stored as None). Free-text
topics smaller than 5 texts are left out, and a topic's terms are only those used in at
least 5 texts. Quotes come only from texts the respondent allowed to publish (see
`analysis_matrix`), and a name only with publish-with-name.
"""

from __future__ import annotations

import string
from collections import Counter
from typing import Any

import numpy as np
from numpy.typing import NDArray

from analysis import OpinionClusters, representative_items, text_topics
from analysis.repness import group_item_stats
from consult.models import RespondentCategory
from consult.services.insights.matrix import OpinionMatrix

MIN_CELL = 5
MAP_POINTS = 5_000
MAX_QUOTES = 3
MAX_LIST = 5
DIVISIVE_SPREAD = 0.25
CATEGORIES = [c.value for c in RespondentCategory]
CITIZEN = RespondentCategory.CITIZEN.value

FloatArray = NDArray[np.float64]


def letter(index: int) -> str:
    """Group 0 is A, 1 is B, ... (groups are numbered by size, largest first)."""
    return string.ascii_uppercase[index] if index < 26 else str(index + 1)


def suppressed(count: int) -> int | None:
    """The count, or None when it is below the privacy threshold."""
    return count if count >= MIN_CELL else None


def category_counts(categories: list[str | None]) -> dict[str, int | None]:
    counts = Counter(c for c in categories if c)
    return {c: suppressed(counts.get(c, 0)) if counts.get(c, 0) else 0 for c in CATEGORIES}


def _r(value: float | None, digits: int = 4) -> float | None:
    if value is None or not np.isfinite(value):
        return None
    return round(float(value), digits)


def map_points(clusters: OpinionClusters, n_max: int = MAP_POINTS) -> dict[str, Any]:
    """Up to `n_max` points, sampled deterministically (seed 0) when there are more."""
    coords, labels = clusters.coords, clusters.labels
    n = coords.shape[0]
    index = np.arange(n)
    if n > n_max:
        index = np.sort(np.random.default_rng(0).choice(n, size=n_max, replace=False))
    finite = coords[np.all(np.isfinite(coords), axis=1)]
    bounds = ([float(finite[:, 0].min()), float(finite[:, 0].max()),
               float(finite[:, 1].min()), float(finite[:, 1].max())]
              if finite.size else [-1.0, 1.0, -1.0, 1.0])
    return {
        "points": [[_r(coords[i, 0]), _r(coords[i, 1]), int(labels[i])] for i in index],
        "total": int(n), "sampled": bool(n > n_max), "bounds": [_r(b) for b in bounds],
    }


def _rating_mean(scores: FloatArray) -> float | None:
    """Mean of scores in [-1, 1] turned back into the 1..5 rating scale."""
    seen = scores[~np.isnan(scores)]
    return _r(float(seen.mean()) * 2 + 3, 2) if seen.size else None


def principle_profile(m: OpinionMatrix, rows: NDArray[np.bool_]) -> list[dict[str, Any]]:
    """Mean importance (1..5) per principle for the rows, next to everyone's mean."""
    profile: dict[str, dict[str, Any]] = {}
    for j, item in enumerate(m.items):
        if item.kind != "principle":
            continue
        code = item.principles[0]
        entry = profile.setdefault(code, {"code": code, "name_nl": item.label_nl,
                                          "name_en": item.label_en, "cols": []})
        entry["cols"].append(j)
    out = []
    for entry in profile.values():
        cols = entry.pop("cols")
        mean = _rating_mean(m.values[rows][:, cols].ravel())
        overall = _rating_mean(m.values[:, cols].ravel())
        diff = None if mean is None or overall is None else round(mean - overall, 2)
        out.append({**entry, "mean": mean, "overall": overall, "difference": diff})
    return out


def _statement(m: OpinionMatrix, j: int) -> dict[str, Any]:
    item = m.items[j]
    return {"statement_id": item.statement_id, "text_nl": item.label_nl,
            "text_en": item.label_en, "principles": list(item.principles)}


def _share(success: FloatArray | float, total: FloatArray | float) -> Any:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(np.asarray(total) > 0, np.asarray(success) / np.asarray(total), np.nan)


def _percent(value: Any) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value) * 100, 1)


def statement_columns(m: OpinionMatrix) -> list[int]:
    return [j for j, item in enumerate(m.items) if item.kind == "statement"]


def groups_section(m: OpinionMatrix, clusters: OpinionClusters) -> list[dict[str, Any]]:
    """Per group: size, share, centroid, composition, principle profile, statements, quotes."""
    labels = clusters.labels
    n_clustered = int((labels >= 0).sum())
    cols = statement_columns(m)
    reps: dict[int, list[Any]] = {}
    stats = None
    if clusters.k > 1 and cols:
        exclude = np.array([item.kind != "statement" for item in m.items])
        reps = representative_items(m.values, labels, exclude_items=exclude, max_items=MAX_LIST)
        stats = group_item_stats(m.values, labels)
    groups = []
    for g in range(clusters.k):
        members = labels == g
        size = int(members.sum())
        entry: dict[str, Any] = {"index": g, "letter": letter(g), "size": suppressed(size),
                                 "suppressed": size < MIN_CELL,
                                 "centroid": [_r(v) for v in clusters.centroids[g]]}
        if size < MIN_CELL:
            groups.append(entry)
            continue
        entry["share"] = round(size / n_clustered, 4) if n_clustered else None
        cats = Counter(c for c, inside in zip(m.categories, members, strict=True)
                       if inside and c)
        entry["composition"] = [
            {"category": c, "count": suppressed(cats.get(c, 0)) if cats.get(c, 0) else 0,
             "share": round(cats[c] / size, 4) if cats.get(c, 0) >= MIN_CELL else None}
            for c in CATEGORIES
        ]
        entry["principles"] = principle_profile(m, members)
        entry["statements"] = []
        if stats is not None:
            gi = int(np.flatnonzero(stats.groups == g)[0])
            others = np.arange(stats.groups.size) != gi
            for rep in reps.get(g, []):
                j = int(rep.item)
                agree = rep.repful_for == "agree"
                won = stats.na if agree else stats.nd
                entry["statements"].append({
                    **_statement(m, j), "direction": rep.repful_for,
                    "group_percent": _percent(_share(won[gi, j], stats.ns[gi, j])),
                    "others_percent": _percent(
                        _share(won[others, j].sum(), stats.ns[others, j].sum())),
                    "n": int(stats.ns[gi, j]),
                    "repness": _r(rep.repness), "repness_test": _r(rep.repness_test),
                })
        entry["quotes"] = quotes_for(m, clusters, g)
        groups.append(entry)
    return groups


def composition_section(m: OpinionMatrix, clusters: OpinionClusters) -> list[dict[str, Any]]:
    """One row per opinion group (and a last row for everyone in a group): how many
    respondents of each stakeholder type it holds, and how many of its organisations
    are verified or not. A cell under `MIN_CELL` is None ("fewer than 5"); a group under
    `MIN_CELL` shows no breakdown at all."""
    rows = []
    verified = m.verified or [False] * len(m.categories)
    for g in [*range(clusters.k), -1]:
        members = clusters.labels == g if g >= 0 else clusters.labels >= 0
        size = int(members.sum())
        row: dict[str, Any] = {"index": g, "letter": letter(g) if g >= 0 else None,
                               "size": suppressed(size), "suppressed": size < MIN_CELL}
        if size >= MIN_CELL:
            inside = [(c, v) for c, v, is_in in zip(m.categories, verified, members,
                                                    strict=True) if is_in]
            counts = Counter(c for c, _v in inside if c)
            row["counts"] = {c: suppressed(counts[c]) if counts.get(c) else 0
                             for c in CATEGORIES}
            organisations = [v for c, v in inside if c and c != CITIZEN]
            n_verified = sum(organisations)
            row["verified"] = suppressed(n_verified) if n_verified else 0
            n_unverified = len(organisations) - n_verified
            row["unverified"] = suppressed(n_unverified) if n_unverified else 0
        rows.append(row)
    return rows


def quotes_for(m: OpinionMatrix, clusters: OpinionClusters, g: int) -> list[dict[str, Any]]:
    """Up to three quotable texts of the group, nearest to the group's centre on the map."""
    centre = clusters.centroids[g]
    candidates = [t for t in m.texts if t.quotable and clusters.labels[t.row] == g]
    candidates.sort(key=lambda t: (float(np.sum((clusters.coords[t.row] - centre) ** 2)),
                                   t.row, t.question_id))
    seen: set[str] = set()
    quotes = []
    for t in candidates:
        key = " ".join(t.text.lower().split())
        if key in seen:
            continue
        seen.add(key)
        question = m.text_questions.get(t.question_id, ("", ""))
        quotes.append({"text": t.text, "name": t.name, "question_nl": question[0],
                       "question_en": question[1]})
        if len(quotes) == MAX_QUOTES:
            break
    return quotes


def consensus_section(m: OpinionMatrix, labels: NDArray[np.int64]
                      ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Consensus statements (every group agrees, or every group disagrees, by a majority;
    ranked by group-aware consensus: the product over groups of the smoothed share) and
    divisive ones (the largest spread between the groups' agree shares)."""
    cols = statement_columns(m)
    if not cols or not (labels >= 0).any():
        return [], []
    stats = group_item_stats(m.values[:, cols], labels)
    big = np.array([int((labels == g).sum()) >= MIN_CELL for g in stats.groups])
    if not big.any():
        return [], []
    agree = _share(stats.na, stats.ns)[big]
    disagree = _share(stats.nd, stats.ns)[big]
    gac_agree = np.prod(stats.pa[big], axis=0)
    gac_disagree = np.prod(stats.pd[big], axis=0)
    consensus = []
    for c, j in enumerate(cols):
        per_group = [_percent(a) for a in agree[:, c]]
        if np.all(agree[:, c] > 0.5):
            consensus.append((float(gac_agree[c]), "agree", c, j, per_group))
        elif np.all(disagree[:, c] > 0.5):
            consensus.append((float(gac_disagree[c]), "disagree", c, j,
                              [_percent(d) for d in disagree[:, c]]))
    consensus.sort(key=lambda t: (-t[0], t[3]))
    total_agree = _share(stats.na.sum(axis=0), stats.ns.sum(axis=0))
    total_disagree = _share(stats.nd.sum(axis=0), stats.ns.sum(axis=0))
    letters = [letter(int(g)) for g in stats.groups[big]]
    out_consensus = [
        {**_statement(m, j), "direction": d, "consensus": _r(gac),
         "percent": _percent(total_agree[c] if d == "agree" else total_disagree[c]),
         "group_percents": dict(zip(letters, pcts, strict=True))}
        for gac, d, c, j, pcts in consensus[:MAX_LIST]
    ]
    divisive: list[dict[str, Any]] = []
    if big.sum() > 1:
        filled = np.isfinite(agree).any(axis=0)
        spread = np.full(agree.shape[1], np.nan)
        if filled.any():
            spread[filled] = (np.nanmax(agree[:, filled], axis=0)
                              - np.nanmin(agree[:, filled], axis=0))
        order = [c for c in np.argsort(-np.nan_to_num(spread, nan=-1), kind="stable")
                 if np.isfinite(spread[c]) and spread[c] >= DIVISIVE_SPREAD]
        divisive = [
            {**_statement(m, cols[c]), "spread": _percent(spread[c]),
             "group_percents": dict(zip(letters, [_percent(a) for a in agree[:, c]],
                                        strict=True))}
            for c in order[:MAX_LIST]
        ]
    return out_consensus, divisive


def topics_section(m: OpinionMatrix) -> list[dict[str, Any]]:
    """Topics per open-text question and language (the response's language)."""
    out = []
    for question_id, (q_nl, q_en) in m.text_questions.items():
        for language in ("nl", "en"):
            answers = [t for t in m.texts
                       if t.question_id == question_id and t.locale == language]
            if not answers:
                continue
            texts = [t.text for t in answers]
            result = text_topics(texts, language=language, n_quotes=MAX_QUOTES,
                                 quotable=[t.quotable for t in answers])
            topics, hidden = [], 0
            for topic in result.topics:
                # A word only when at least MIN_CELL answers use it.
                terms = [w for w, n in zip(topic.terms, topic.document_counts, strict=True)
                         if n >= MIN_CELL]
                if topic.size < MIN_CELL or not terms:
                    hidden += 1
                    continue
                topics.append({"label": ", ".join(terms[:3]), "terms": terms[:8],
                               "size": topic.size, "share": topic.share,
                               "examples": [answers[i].text for i in topic.quote_indices]})
            out.append({"question_id": question_id, "question_nl": q_nl, "question_en": q_en,
                        "language": language, "n_texts": len(texts), "topics": topics,
                        "hidden": hidden})
    return out
