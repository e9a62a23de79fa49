"""Demo data: the catalogues and one account per role, added only where missing.

Other areas add their own demo content through `DEMO_STEPS`: each step is a function
`(progress) -> list[str]` that adds what is missing and returns lines to print.
Running the whole thing twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable

from consult.models import Role
from consult.services.accounts.auth import create_user, find_by_email
from consult.services.catalogue import ensure_catalogues

#: Demo accounts: email, role, password (printed by the command; never used in production).
DEMO_USERS: list[tuple[str, Role, str]] = [
    ("burger@consult.example", Role.CITIZEN, "demo-burger-2026"),
    ("organisator@consult.example", Role.ORGANISER, "demo-organisator-2026"),
    ("ambtenaar@consult.example", Role.OFFICIAL, "demo-ambtenaar-2026"),
    ("beheer@consult.example", Role.ADMIN, "demo-beheer-2026"),
]

Progress = Callable[[str, int], Callable[[int], None]]
DemoStep = Callable[[Progress], list[str]]


def ensure_demo_users() -> list[str]:
    lines = []
    for email, role, password in DEMO_USERS:
        if find_by_email(email) is None:
            create_user(email, password, role, confirmed=True, locale="nl")
            lines.append(f"  added {role.value:<10} {email}  password: {password}")
        else:
            lines.append(f"  exists {role.value:<9} {email}  password: {password}")
    return lines


def _base_step(_progress: Progress) -> list[str]:
    added = ensure_catalogues()
    return [f"catalogues: {added} entries added", "accounts:", *ensure_demo_users()]


DEMO_STEPS: list[DemoStep] = [_base_step]


def _events_step(progress: Progress) -> list[str]:
    from consult.demo.events import events_step

    return events_step(progress)


DEMO_STEPS.append(_events_step)


def load_demo_data(progress: Progress) -> list[str]:
    lines: list[str] = []
    for step in DEMO_STEPS:
        lines.extend(step(progress))
    return lines

from consult.demo.consultations import consultations_demo_step  # noqa: E402 - area steps follow

DEMO_STEPS.append(consultations_demo_step)

from consult.demo.links import links_demo_step  # noqa: E402 - runs after the events and consultations

DEMO_STEPS.append(links_demo_step)
