"""Logins through an OpenID Connect provider: which provider's subject is which account.

A person is found by (provider, subject) on every login after the first, never by email
again: the provider's email address may change, its subject does not. `verified_route`
is set when the provider vouches for organisations (an eHerkenning broker,
`verifies_organisations` in OIDC_PROVIDERS); `verified_at` is the last login through it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow
from .user import User


class OidcLink(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "oidc_links"
    __table_args__ = (
        UniqueConstraint("provider", "subject"),
        UniqueConstraint("user_id", "provider"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The provider's name in OIDC_PROVIDERS.
    provider: Mapped[str] = mapped_column(String(32))
    #: The ID token's `sub`: unique and stable within the provider.
    subject: Mapped[str] = mapped_column(String(255))
    verified_route: Mapped[bool] = mapped_column(Boolean, default=False)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(
        User,
        backref=backref("oidc_links", cascade="all, delete-orphan", passive_deletes=True),
    )

    def __repr__(self) -> str:
        return f"<OidcLink {self.id} {self.provider}>"
