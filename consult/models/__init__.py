"""The SQLAlchemy models, one module per domain. Import them from here."""

from __future__ import annotations

from .audit import AuditEntry
from .catalogue import Principle, Topic
from .types import UTCDateTime, utcnow
from .user import ROLE_RANK, Role, User

__all__ = [
    "AuditEntry",
    "Principle",
    "ROLE_RANK",
    "Role",
    "Topic",
    "UTCDateTime",
    "User",
    "utcnow",
]
