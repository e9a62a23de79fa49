"""The SQLAlchemy models, one module per domain. Import them from here."""

from __future__ import annotations

from .audit import AuditEntry
from .catalogue import Principle, Topic
from .events import (
    ALLERGEN_CODES,
    SEAT_HOLDING,
    ApprovalVerdict,
    DietaryNote,
    EligibilityItem,
    Event,
    EventKind,
    EventStatus,
    InfoSheet,
    OfferStatus,
    Registration,
    RegistrationMode,
    RegistrationStatus,
    TastingApproval,
    TastingProduct,
    WaitlistOffer,
    event_organisers,
)
from .types import UTCDateTime, utcnow
from .user import ROLE_RANK, Role, User

__all__ = [
    "ALLERGEN_CODES",
    "SEAT_HOLDING",
    "ApprovalVerdict",
    "AuditEntry",
    "DietaryNote",
    "EligibilityItem",
    "Event",
    "EventKind",
    "EventStatus",
    "InfoSheet",
    "OfferStatus",
    "Registration",
    "RegistrationMode",
    "RegistrationStatus",
    "TastingApproval",
    "TastingProduct",
    "WaitlistOffer",
    "event_organisers",
    "Principle",
    "ROLE_RANK",
    "Role",
    "Topic",
    "UTCDateTime",
    "User",
    "utcnow",
]
