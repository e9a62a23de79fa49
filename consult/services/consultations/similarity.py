"""Identical and near-identical open-text answers: signs of a possible campaign.

Identical: the text is normalised (case folded, punctuation and runs of whitespace made
one space) and hashed; equal hashes are identical answers.
Near-identical: MinHash over word 2-shingles (bigrams) estimates the Jaccard similarity of two
texts; locality-sensitive hashing (bands of rows) finds candidate pairs without
comparing every pair, and pairs whose estimated similarity is at least the threshold (0.75)
are joined into one group (union-find). Nothing is ever dropped: officials see the
groups and their counts.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_PUNCT_SPACE = re.compile(r"[\W_]+", re.UNICODE)
NUM_HASHES = 64
BANDS = 16
ROWS = NUM_HASHES // BANDS
_MASK = (1 << 64) - 1
# Fixed odd multipliers and offsets for the 64 hash functions (deterministic).
_PARAMS = [
    (int.from_bytes(hashlib.blake2b(f"a{i}".encode(), digest_size=8).digest(), "big") | 1,
     int.from_bytes(hashlib.blake2b(f"b{i}".encode(), digest_size=8).digest(), "big"))
    for i in range(NUM_HASHES)
]


def normalise(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _PUNCT_SPACE.sub(" ", folded).strip()


def normalised_hash(text: str) -> str:
    return hashlib.sha256(normalise(text).encode()).hexdigest()


def _shingles(text: str, size: int = 2) -> set[int]:
    words = normalise(text).split()
    if len(words) < size:
        grams = [" ".join(words)] if words else []
    else:
        grams = [" ".join(words[i:i + size]) for i in range(len(words) - size + 1)]
    return {int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "big")
            for g in grams}


def minhash(text: str) -> tuple[int, ...]:
    shingles = _shingles(text)
    if not shingles:
        return tuple([_MASK] * NUM_HASHES)
    return tuple(min(((a * s + b) & _MASK) for s in shingles) for a, b in _PARAMS)


def estimated_jaccard(left: Sequence[int], right: Sequence[int]) -> float:
    return sum(1 for x, y in zip(left, right, strict=True) if x == y) / NUM_HASHES


@dataclass
class TextGroup:
    ids: list[int]
    sample: str
    identical: bool

    @property
    def count(self) -> int:
        return len(self.ids)


def group_similar(
    items: Iterable[tuple[int, str]], threshold: float = 0.75, min_size: int = 2,
    min_words: int = 1,
) -> list[TextGroup]:
    """Groups of (near-)identical texts among (id, text) pairs, largest first.

    Texts shorter than `min_words` words are left out: short answers ("For the
    climate.") are often the same without anyone organising it.
    """
    texts = {i: t for i, t in items if len(normalise(t).split()) >= min_words}
    ids = list(texts)
    parent = {i: i for i in ids}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    by_hash: dict[str, list[int]] = defaultdict(list)
    for i in ids:
        by_hash[normalised_hash(texts[i])].append(i)
    for members in by_hash.values():
        for other in members[1:]:
            union(members[0], other)
    representatives = [members[0] for members in by_hash.values()]
    signatures = {i: minhash(texts[i]) for i in representatives}
    buckets: dict[tuple[int, tuple[int, ...]], list[int]] = defaultdict(list)
    for i, signature in signatures.items():
        for band in range(BANDS):
            buckets[(band, signature[band * ROWS:(band + 1) * ROWS])].append(i)
    for members in buckets.values():
        for other in members[1:]:
            if find(other) != find(members[0]) and estimated_jaccard(
                signatures[members[0]], signatures[other]
            ) >= threshold:
                union(members[0], other)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in ids:
        groups[find(i)].append(i)
    result = [
        TextGroup(sorted(members), texts[min(members)],
                  identical=len({normalised_hash(texts[m]) for m in members}) == 1)
        for members in groups.values() if len(members) >= min_size
    ]
    return sorted(result, key=lambda g: (-g.count, g.ids[0]))
