"""The demo steps, in the order they run: every step adds only what is missing.

A step is a function `(progress) -> list[str]` that returns lines to print. The order
matters: accounts and catalogues first, then the links between a tasting and a
consultation, and last the past tasting whose attendees answered before and after.
Running the whole list twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable

from .accounts import accounts_step, ensure_demo_users
from .consultations import consultations_demo_step
from .events import events_step
from .links import links_demo_step
from .organisations import organisations_demo_step
from .progress import Progress
from .tasting_rounds import tasting_rounds_step

DemoStep = Callable[[Progress], list[str]]

#: Every demo step, in order.
DEMO_STEPS: tuple[DemoStep, ...] = (
    accounts_step,
    events_step,
    consultations_demo_step,
    organisations_demo_step,
    links_demo_step,
    tasting_rounds_step,
)

__all__ = ["DEMO_STEPS", "DemoStep", "ensure_demo_users", "load_demo_data"]


def load_demo_data(progress: Progress) -> list[str]:
    """Run every step; the lines they print."""
    lines: list[str] = []
    for step in DEMO_STEPS:
        lines.extend(step(progress))
    return lines
