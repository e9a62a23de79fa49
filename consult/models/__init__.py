"""The SQLAlchemy models, one module per domain. Import them from here."""

from __future__ import annotations

from .analysis import AnalysisRun, AnalysisStatus
from .audit import AuditEntry
from .catalogue import Principle, Topic
from .coding import CodingCode, CodingDecision, CodingSource
from .consultation import (
    Audience,
    Consultation,
    ConsultationDocument,
    ConsultationStatus,
    ModerationStatus,
    Question,
    QuestionCondition,
    QuestionKind,
    QuestionOption,
    Statement,
    statement_principles,
)
from .events import (
    ALLERGEN_CODES,
    DEFAULT_OFFER_HOURS,
    ApprovalVerdict,
    EligibilityItem,
    Event,
    EventKind,
    EventStatus,
    InfoSheet,
    RegistrationMode,
    TastingApproval,
    TastingProduct,
    event_organisers,
)
from .follow import FollowTarget, NoticeDelivery, Subscription
from .identity import OidcLink
from .mail import OutgoingMail
from .organisation import Organisation, VerificationStatus
from .registrations import (
    SEAT_HOLDING,
    DietaryNote,
    OfferStatus,
    Registration,
    RegistrationStatus,
    WaitlistOffer,
)
from .response import (
    AGE_BANDS,
    NO_ROUND,
    PROVINCES,
    PUBLISHING_CONSENTS,
    ROUND_AFTER,
    ROUND_BEFORE,
    SURVEY_ROUNDS,
    Answer,
    PublicationConsent,
    RespondentCategory,
    Response,
    ResponseStatus,
    StatementVote,
)
from .types import UTCDateTime, utcnow
from .user import ROLE_RANK, Role, User

__all__ = [
    "AGE_BANDS",
    "NO_ROUND",
    "ROUND_AFTER",
    "ROUND_BEFORE",
    "SURVEY_ROUNDS",
    "ALLERGEN_CODES",
    "DEFAULT_OFFER_HOURS",
    "AnalysisRun",
    "AnalysisStatus",
    "Answer",
    "ApprovalVerdict",
    "Audience",
    "AuditEntry",
    "CodingCode",
    "CodingDecision",
    "CodingSource",
    "Consultation",
    "ConsultationDocument",
    "ConsultationStatus",
    "DietaryNote",
    "EligibilityItem",
    "Event",
    "event_organisers",
    "EventKind",
    "EventStatus",
    "FollowTarget",
    "InfoSheet",
    "ModerationStatus",
    "NoticeDelivery",
    "OidcLink",
    "OfferStatus",
    "OutgoingMail",
    "Organisation",
    "Principle",
    "PROVINCES",
    "PUBLISHING_CONSENTS",
    "PublicationConsent",
    "Question",
    "QuestionCondition",
    "QuestionKind",
    "QuestionOption",
    "Registration",
    "RegistrationMode",
    "RegistrationStatus",
    "RespondentCategory",
    "Response",
    "ResponseStatus",
    "Role",
    "ROLE_RANK",
    "SEAT_HOLDING",
    "Statement",
    "statement_principles",
    "StatementVote",
    "Subscription",
    "TastingApproval",
    "TastingProduct",
    "Topic",
    "User",
    "UTCDateTime",
    "utcnow",
    "VerificationStatus",
    "WaitlistOffer",
]
