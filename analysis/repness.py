"""Representative items per group and consensus items (Pol.is "repness" and "consensus").

Follows Pol.is ``math/src/polismath/math/repness.clj`` and ``stats.clj``. In plain words, for
every group g and item c (votes: agree > 0, disagree < 0, pass = 0, NaN = not seen):

* ``na``, ``nd``, ``ns``: agrees, disagrees and votes of any kind (passes count as seen) in g.
* ``pa = (1 + na) / (2 + ns)``, ``pd = (1 + nd) / (2 + ns)``: smoothed shares (one pseudo
  vote each way).
* ``pat``, ``pdt``: one-proportion z-test of that share against 1/2, on counts plus one:
  ``2 * sqrt(ns + 1) * ((na + 1) / (ns + 1) - 1/2)``.
* ``ra = pa / pa(rest)``, ``rd`` likewise, where "rest" pools all *other groups* (people
  outside every group do not count): how much likelier g is to agree than the others.
* ``rat``, ``rdt``: two-proportion z-test of g against the rest (all four counts plus one;
  0 when the pooled share is 1).

An item is *repful for* agree when ``rat > rdt`` and for disagree otherwise; the reported
``n_success``, ``p_success``, ``p_test``, ``repness``, ``repness_test`` are the agree or
disagree versions accordingly. Selection per group (Pol.is's ``select-rep-comments``):

1. Items are visited in column order (excluded items skipped). An item is *sufficient* when
   both z-tests for agree, or both for disagree, exceed 1.2816 (one-sided 90%).
2. While nothing is sufficient we keep the item with the highest ``max(rat, rdt)`` as a
   fallback ("best").
3. Separately we track the "best agree" item: never one with no agrees and no disagrees; once
   a candidate with ``ra > 1`` is held, a challenger must beat ``ra*rat*pa*pat``; otherwise
   ``pa*pat``; the first candidate must have ``pat`` significant or ``ra > 1`` and ``pa > 0.5``.
4. Result: if nothing is sufficient, ``[best agree]`` or else ``[best]`` or else nothing.
   Otherwise the sufficient items minus the best agree, sorted by
   ``repness * repness_test * p_success * p_test`` (descending, stable), with the best agree
   put first, cut to ``max_items`` (5), then agrees before disagrees.

Consensus (Pol.is ``select-consensus-comments``) uses *every* respondent, grouped or not:
items with ``pa > 0.5`` and significant ``pat``, top ``max_items`` by ``pa * pat``; likewise
for disagree. Group-aware consensus of an item is the product over groups of
``(1 + agrees) / (2 + votes)`` in that group (computed for all items, excluded or not).

Pol.is rounds ``repness-test`` to single precision in its output and uses that rounded value
when comparing and sorting; we do the same for comparing and sorting, so selections match,
but report the double-precision value (equal to Pol.is's to about 1e-7 relative).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from analysis.errors import AnalysisInputError
from analysis.validation import as_score_matrix

__all__ = [
    "ConsensusItem",
    "ConsensusResult",
    "GroupItemStats",
    "RepresentativeItem",
    "consensus_items",
    "group_item_stats",
    "representative_items",
]

FloatArray = NDArray[np.float64]
Z_90 = 1.2816
CHUNK_ROWS = 65_536


@dataclass(frozen=True)
class GroupItemStats:
    """Per group (rows, in ``groups`` order) and item (columns) vote statistics."""

    groups: NDArray[np.int64]
    na: FloatArray
    nd: FloatArray
    ns: FloatArray
    pa: FloatArray
    pd: FloatArray
    pat: FloatArray
    pdt: FloatArray
    ra: FloatArray
    rd: FloatArray
    rat: FloatArray
    rdt: FloatArray


@dataclass(frozen=True)
class RepresentativeItem:
    """One selected representative item of a group (Pol.is field names in snake_case)."""

    item: int | str
    n_success: int
    n_trials: int
    p_success: float
    p_test: float
    repness: float
    repness_test: float
    repful_for: Literal["agree", "disagree"]
    best_agree: bool = False
    n_agree: int | None = None


@dataclass(frozen=True)
class ConsensusItem:
    """One item most respondents agree (or disagree) with."""

    item: int | str
    n_success: int
    n_trials: int
    p_success: float
    p_test: float


@dataclass(frozen=True)
class ConsensusResult:
    """Consensus agree / disagree lists and group-aware consensus for every item."""

    agree: list[ConsensusItem]
    disagree: list[ConsensusItem]
    group_aware_consensus: FloatArray
    items: list[int | str]


def prop_test(success: ArrayLike, n: ArrayLike) -> FloatArray:
    """Pol.is one-proportion z-score against 1/2 with one pseudo count."""
    s = np.asarray(success, dtype=np.float64) + 1.0
    m = np.asarray(n, dtype=np.float64) + 1.0
    return np.asarray(2.0 * np.sqrt(m) * (s / m - 0.5))


def two_prop_test(
    success_in: ArrayLike, success_out: ArrayLike, n_in: ArrayLike, n_out: ArrayLike
) -> FloatArray:
    """Pol.is two-proportion z-score (in-group vs rest) with one pseudo count on every count."""
    s1 = np.asarray(success_in, dtype=np.float64) + 1.0
    s2 = np.asarray(success_out, dtype=np.float64) + 1.0
    n1 = np.asarray(n_in, dtype=np.float64) + 1.0
    n2 = np.asarray(n_out, dtype=np.float64) + 1.0
    pooled = (s1 + s2) / (n1 + n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (s1 / n1 - s2 / n2) / np.sqrt(pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2))
    return np.asarray(np.where(pooled == 1.0, 0.0, z))


def _counts(votes: FloatArray, labels: NDArray[np.int64], groups: NDArray[np.int64]) -> tuple[
    FloatArray, FloatArray, FloatArray
]:
    k, n_items = groups.size, votes.shape[1]
    na, nd, ns = (np.zeros((k, n_items)) for _ in range(3))
    for start in range(0, votes.shape[0], CHUNK_ROWS):
        block = votes[start : start + CHUNK_ROWS]
        lab = labels[start : start + CHUNK_ROWS]
        onehot = (lab[:, None] == groups[None, :]).astype(np.float64)
        with np.errstate(invalid="ignore"):
            na += onehot.T @ (block > 0).astype(np.float64)
            nd += onehot.T @ (block < 0).astype(np.float64)
        ns += onehot.T @ (~np.isnan(block)).astype(np.float64)
    return na, nd, ns


def _check_labels(labels: ArrayLike, n_rows: int) -> NDArray[np.int64]:
    lab = np.asarray(labels)
    if lab.ndim != 1 or lab.shape[0] != n_rows:
        raise AnalysisInputError(
            f"labels must be one integer per respondent ({n_rows}), got shape {lab.shape}"
        )
    if lab.size and not np.issubdtype(lab.dtype, np.integer) and not _whole(lab):
        raise AnalysisInputError("labels must be integers (-1 for respondents in no group)")
    return lab.astype(np.int64)


def _whole(values: NDArray[np.generic]) -> bool:
    try:
        as_float = values.astype(np.float64)
    except (TypeError, ValueError):
        return False
    return bool(np.all(np.isfinite(as_float)) and np.all(np.mod(as_float, 1.0) == 0.0))


def _item_ids(item_ids: Sequence[int | str] | None, n_items: int) -> list[int | str]:
    if item_ids is None:
        return list(range(n_items))
    ids = list(item_ids)
    if len(ids) != n_items:
        raise AnalysisInputError(f"item_ids must have one id per item ({n_items}), got {len(ids)}")
    return ids


def _exclude(exclude_items: ArrayLike | None, n_items: int) -> NDArray[np.bool_]:
    if exclude_items is None:
        return np.zeros(n_items, dtype=bool)
    mask = np.asarray(exclude_items, dtype=bool)
    if mask.shape != (n_items,):
        raise AnalysisInputError(
            f"exclude_items must be a boolean mask of length {n_items}, got shape {mask.shape}"
        )
    return mask


def group_item_stats(votes: ArrayLike, labels: ArrayLike) -> GroupItemStats:
    """All Pol.is repness statistics for every group (label >= 0) and item."""
    v = as_score_matrix(votes, name="votes")
    lab = _check_labels(labels, v.shape[0])
    groups = np.unique(lab[lab >= 0])
    if groups.size == 0:
        raise AnalysisInputError("labels put nobody in a group (all are -1)")
    na, nd, ns = _counts(v, lab, groups)
    rest_na, rest_nd, rest_ns = (a.sum(axis=0) - a for a in (na, nd, ns))
    pa, pd = (1.0 + na) / (2.0 + ns), (1.0 + nd) / (2.0 + ns)
    return GroupItemStats(
        groups=groups,
        na=na,
        nd=nd,
        ns=ns,
        pa=pa,
        pd=pd,
        pat=prop_test(na, ns),
        pdt=prop_test(nd, ns),
        ra=pa / ((1.0 + rest_na) / (2.0 + rest_ns)),
        rd=pd / ((1.0 + rest_nd) / (2.0 + rest_ns)),
        rat=two_prop_test(na, rest_na, ns, rest_ns),
        rdt=two_prop_test(nd, rest_nd, ns, rest_ns),
    )


def _f32(value: float) -> float:
    return float(np.float32(value))


def _finalize(s: GroupItemStats, g: int, c: int, item: int | str) -> RepresentativeItem:
    if s.rat[g, c] > s.rdt[g, c]:
        n, p, pt, r, rt, kind = s.na, s.pa, s.pat, s.ra, s.rat, "agree"
    else:
        n, p, pt, r, rt, kind = s.nd, s.pd, s.pdt, s.rd, s.rdt, "disagree"
    return RepresentativeItem(
        item=item,
        n_success=int(n[g, c]),
        n_trials=int(s.ns[g, c]),
        p_success=float(p[g, c]),
        p_test=float(pt[g, c]),
        repness=float(r[g, c]),
        repness_test=float(rt[g, c]),
        repful_for="agree" if kind == "agree" else "disagree",
    )


def _metric(item: RepresentativeItem) -> float:
    return item.repness * _f32(item.repness_test) * item.p_success * item.p_test


def _beats_best_agree(s: GroupItemStats, g: int, c: int, best: int | None) -> bool:
    if s.na[g, c] == 0 and s.nd[g, c] == 0:
        return False
    if best is not None:
        if s.ra[g, best] > 1.0:
            def full(i: int) -> float:
                return float(s.ra[g, i] * s.rat[g, i] * s.pa[g, i] * s.pat[g, i])

            return full(c) > full(best)
        return float(s.pa[g, c] * s.pat[g, c]) > float(s.pa[g, best] * s.pat[g, best])
    return bool(s.pat[g, c] > Z_90 or (s.ra[g, c] > 1.0 and s.pa[g, c] > 0.5))


def _select_for_group(
    s: GroupItemStats, g: int, ids: list[int | str], skip: NDArray[np.bool_], max_items: int
) -> list[RepresentativeItem]:
    sufficient: list[RepresentativeItem] = []
    best: RepresentativeItem | None = None
    best_agree: int | None = None
    for c, item in enumerate(ids):
        if skip[c]:
            continue
        passes = (s.rat[g, c] > Z_90 and s.pat[g, c] > Z_90) or (
            s.rdt[g, c] > Z_90 and s.pdt[g, c] > Z_90
        )
        if passes:
            sufficient.append(_finalize(s, g, c, item))
        if not sufficient and (
            best is None or max(s.rat[g, c], s.rdt[g, c]) > _f32(best.repness_test)
        ):
            best = _finalize(s, g, c, item)
        if _beats_best_agree(s, g, c, best_agree):
            best_agree = c
    head: list[RepresentativeItem] = []
    if best_agree is not None:
        base = _finalize(s, g, best_agree, ids[best_agree])
        head = [
            RepresentativeItem(
                **{**base.__dict__, "best_agree": True, "n_agree": int(s.na[g, best_agree])}
            )
        ]
    if not sufficient:
        return head if head else ([best] if best is not None else [])
    rest = [r for r in sufficient if not (head and r.item == head[0].item)]
    chosen = (head + sorted(rest, key=lambda r: -_metric(r)))[:max_items]
    return [r for r in chosen if r.repful_for == "agree"] + [
        r for r in chosen if r.repful_for == "disagree"
    ]


def representative_items(
    votes: ArrayLike,
    labels: ArrayLike,
    *,
    item_ids: Sequence[int | str] | None = None,
    exclude_items: ArrayLike | None = None,
    max_items: int = 5,
) -> dict[int, list[RepresentativeItem]]:
    """Pol.is representative items for each group (``labels`` >= 0; -1 = in no group).

    ``votes`` is respondents x items (+1 agree, -1 disagree, 0 pass, NaN unseen). Returns a
    dict from group label to its selected items (see the module docstring for the rules).
    """
    stats = group_item_stats(votes, labels)
    n_items = stats.na.shape[1]
    ids = _item_ids(item_ids, n_items)
    skip = _exclude(exclude_items, n_items)
    if max_items < 1:
        raise AnalysisInputError("max_items must be at least 1")
    return {
        int(gid): _select_for_group(stats, g, ids, skip, max_items)
        for g, gid in enumerate(stats.groups)
    }


def consensus_items(
    votes: ArrayLike,
    labels: ArrayLike | None = None,
    *,
    item_ids: Sequence[int | str] | None = None,
    exclude_items: ArrayLike | None = None,
    max_items: int = 5,
) -> ConsensusResult:
    """Pol.is consensus items (over all respondents) and group-aware consensus per item.

    Without ``labels`` (or when nobody is in a group) the group-aware consensus is that of
    one group holding every respondent.
    """
    v = as_score_matrix(votes, name="votes")
    n_rows, n_items = v.shape
    ids = _item_ids(item_ids, n_items)
    skip = _exclude(exclude_items, n_items)
    everyone = np.zeros(n_rows, dtype=np.int64)
    na, nd, ns = (a[0] for a in _counts(v, everyone, np.array([0])))
    pa, pd = (1.0 + na) / (2.0 + ns), (1.0 + nd) / (2.0 + ns)
    pat, pdt = prop_test(na, ns), prop_test(nd, ns)

    def top(n: FloatArray, p: FloatArray, pt: FloatArray) -> list[ConsensusItem]:
        keep = [c for c in range(n_items) if not skip[c] and p[c] > 0.5 and pt[c] > Z_90]
        keep.sort(key=lambda c: -(p[c] * pt[c]))
        return [
            ConsensusItem(ids[c], int(n[c]), int(ns[c]), float(p[c]), float(pt[c]))
            for c in keep[:max_items]
        ]

    lab = everyone if labels is None else _check_labels(labels, n_rows)
    groups = np.unique(lab[lab >= 0])
    if groups.size == 0:
        lab, groups = everyone, np.array([0])
    g_na, _, g_ns = _counts(v, lab, groups)
    gac = np.prod((1.0 + g_na) / (2.0 + g_ns), axis=0)
    return ConsensusResult(top(na, pa, pat), top(nd, pd, pdt), gac, ids)
