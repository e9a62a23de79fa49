"""Demo accounts, one per role, and the catalogues (topics, principles) everything uses."""

from __future__ import annotations

from consult.models import Role, User
from consult.services.accounts.auth import create_user, find_by_email
from consult.services.catalogue import ensure_catalogues

from .progress import Progress

#: Demo accounts: email, role, password (printed by the command; never used in production).
DEMO_USERS: list[tuple[str, Role, str]] = [
    ("burger@consult.example", Role.CITIZEN, "demo-burger-2026"),
    ("organisator@consult.example", Role.ORGANISER, "demo-organisator-2026"),
    ("ambtenaar@consult.example", Role.OFFICIAL, "demo-ambtenaar-2026"),
    ("beheer@consult.example", Role.ADMIN, "demo-beheer-2026"),
]
OFFICIAL = "ambtenaar@consult.example"


def ensure_demo_users() -> list[str]:
    lines = []
    for email, role, password in DEMO_USERS:
        if find_by_email(email) is None:
            create_user(email, password, role, confirmed=True, locale="nl")
            lines.append(f"  added {role.value:<10} {email}  password: {password}")
        else:
            lines.append(f"  exists {role.value:<9} {email}  password: {password}")
    return lines


def demo_official() -> User:
    """The demo official, added with the other demo accounts when missing."""
    official = find_by_email(OFFICIAL)
    if official is None:
        ensure_demo_users()
        official = find_by_email(OFFICIAL)
    assert official is not None
    return official


def accounts_step(_progress: Progress) -> list[str]:
    added = ensure_catalogues()
    return [f"catalogues: {added} entries added", "accounts:", *ensure_demo_users()]
