"""People with an account, and their roles."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._common import enum_column
from .types import UTCDateTime, utcnow


class Role(enum.StrEnum):
    CITIZEN = "citizen"
    ORGANISER = "organiser"
    OFFICIAL = "official"
    ADMIN = "admin"


#: What each role may also do: an admin is an official, an official is an organiser.
ROLE_RANK = {Role.CITIZEN: 0, Role.ORGANISER: 1, Role.OFFICIAL: 2, Role.ADMIN: 3}


def _first_session_version() -> int:
    return secrets.randbelow(2**30)


class User(UserMixin, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(
        enum_column(Role, 16),
        default=Role.CITIZEN,
    )
    display_name: Mapped[str | None] = mapped_column(String(120))
    locale: Mapped[str | None] = mapped_column(String(5))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: Raised at logout and password change: every session made before is refused.
    #: It starts at a random number, so that a cookie of a deleted account does not fit
    #: a new account that gets the same id (SQLite may reuse the highest id).
    session_version: Mapped[int] = mapped_column(Integer, default=_first_session_version)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def has_role(self, role: Role) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"
