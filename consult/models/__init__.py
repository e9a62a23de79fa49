"""The SQLAlchemy models, one module per domain. Import them from here."""

from __future__ import annotations

from .analysis import AnalysisRun, AnalysisStatus
from .audit import AuditEntry
from .catalogue import Principle, Topic
from .consultation import (
    CHOICE_KINDS,
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
from .response import (
    AGE_BANDS,
    PROVINCES,
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
    "AnalysisRun",
    "AnalysisStatus",
    "Answer",
    "Audience",
    "AuditEntry",
    "CHOICE_KINDS",
    "Consultation",
    "ConsultationDocument",
    "ConsultationStatus",
    "ModerationStatus",
    "PROVINCES",
    "PublicationConsent",
    "Question",
    "QuestionCondition",
    "QuestionKind",
    "QuestionOption",
    "RespondentCategory",
    "Response",
    "ResponseStatus",
    "Statement",
    "StatementVote",
    "statement_principles",
    "Principle",
    "ROLE_RANK",
    "Role",
    "Topic",
    "UTCDateTime",
    "User",
    "utcnow",
]
