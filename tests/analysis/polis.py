"""The compact Pol.is conversations (tests/analysis/fixtures/polis), loaded for comparison."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

POLIS_DIR = Path(__file__).resolve().parent / "fixtures" / "polis"
POLIS_NAMES = [
    "below-100-ptpts",
    "above-100-ptpts",
    "25ptpt-3gp-no-strict-with-meta",
    "50ptpt-3gp-strict-no-meta",
    "150ptpt-3gp-no-strict-no-meta",
]
# Known to miss some votes (see fixtures/polis/README.md): numbers differ slightly.
INCOMPLETE = {"50ptpt-3gp-strict-no-meta"}


@dataclass(frozen=True)
class PolisConversation:
    name: str
    votes: np.ndarray  # participants x items, +1 agree / -1 disagree / 0 pass / NaN
    participants: list[int]
    items: list[int]
    labels: np.ndarray  # Pol.is group per participant, -1 when in no group
    exclude: np.ndarray  # moderated-out or meta items
    comments: list[dict[str, Any]]
    math: dict[str, Any]

    @property
    def incomplete(self) -> bool:
        return self.name in INCOMPLETE


def load_polis(name: str) -> PolisConversation:
    """One conversation by folder name: votes, Pol.is's groups, excluded items and math."""
    folder = POLIS_DIR / name
    math = json.loads((folder / "polis_math.json").read_text())
    comments = json.loads((folder / "comments.json").read_text())
    with (folder / "votes.csv").open() as fh:
        rows = [
            (int(r["participant"]), int(r["item"]), float(r["vote"])) for r in csv.DictReader(fh)
        ]
    participants = sorted({p for p, _, _ in rows})
    items = list(math["tids"])
    p_index = {p: i for i, p in enumerate(participants)}
    i_index = {t: j for j, t in enumerate(items)}
    votes = np.full((len(participants), len(items)), np.nan)
    for p, t, v in rows:
        votes[p_index[p], i_index[t]] = v
    base = dict(zip(math["base-clusters"]["id"], math["base-clusters"]["members"], strict=True))
    labels = np.full(len(participants), -1, dtype=np.int64)
    for group in math["group-clusters"]:
        for bid in group["members"]:
            for pid in base[bid]:
                labels[p_index[pid]] = group["id"]
    flags = {c["item"]: c for c in comments}
    exclude = np.array(
        [flags[t]["is_meta"] or flags[t]["moderation"] < 0 for t in items], dtype=bool
    )
    return PolisConversation(name, votes, participants, items, labels, exclude, comments, math)
