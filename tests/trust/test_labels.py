"""Every code has a translated label, in one table per domain: each StrEnum of
consult.models, each question kind, each audit action the code records and each detail
it gives. A new member without a label fails here before it leaks onto a page."""

from __future__ import annotations

import enum
import inspect
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale

import consult.models as models
from consult.services.accounts import labels as account_labels
from consult.services.consultations import kinds
from consult.services.consultations import labels as consultation_labels
from consult.services.consultations.profile import CATEGORY_LABELS, CONSENT_LABELS
from consult.services.events import labels as event_labels
from consult.services.follow.labels import TARGET_LABELS
from consult.services.insights import labels as insight_labels
from consult.services.organisations import labels as organisation_labels
from tests.support.every_status import DETAILS, audit_actions, audit_detail_keys

TABLES: dict[type, dict[Any, Any]] = {
    models.ConsultationStatus: consultation_labels.STATUS_LABELS,
    models.Audience: consultation_labels.AUDIENCE_LABELS,
    models.ModerationStatus: consultation_labels.MODERATION_LABELS,
    models.ResponseStatus: consultation_labels.RESPONSE_STATUS_LABELS,
    models.QuestionKind: {k: kinds.get(k).label for k in models.QuestionKind},
    models.RespondentCategory: CATEGORY_LABELS,
    models.PublicationConsent: CONSENT_LABELS,
    models.EventKind: event_labels.KIND_LABELS,
    models.EventStatus: event_labels.STATUS_LABELS,
    models.RegistrationMode: event_labels.MODE_LABELS,
    models.RegistrationStatus: event_labels.REGISTRATION_STATUS_LABELS,
    models.OfferStatus: event_labels.OFFER_STATUS_LABELS,
    models.ApprovalVerdict: event_labels.VERDICT_LABELS,
    models.Role: account_labels.ROLE_LABELS,
    models.AnalysisStatus: insight_labels.STATUS_LABELS,
    models.VerificationStatus: organisation_labels.STATUS_LABELS,
    models.FollowTarget: TARGET_LABELS,
    models.CodingSource: insight_labels.CODING_SOURCE_LABELS,
}


def _enums() -> list[type[enum.StrEnum]]:
    return [cls for _, cls in inspect.getmembers(models, inspect.isclass)
            if issubclass(cls, enum.StrEnum) and cls is not enum.StrEnum]


def _words(label: Any, code: str) -> None:
    for locale in ("nl", "en"):
        with force_locale(locale):
            text = str(label)
        assert text.strip() and text != code, (code, locale)


def test_every_enum_of_the_models_has_a_label_table() -> None:
    assert set(_enums()) == set(TABLES)


@pytest.mark.parametrize("kind", sorted(TABLES, key=lambda k: k.__name__),
                         ids=lambda k: k.__name__)
def test_every_member_has_a_label_in_dutch_and_english(app: Flask, kind: type) -> None:
    table = TABLES[kind]
    with app.test_request_context("/"):
        for member in kind:
            assert member in table, member
            _words(table[member], member.value)


def test_every_audit_action_and_detail_has_a_label(app: Flask) -> None:
    actions = audit_actions()
    assert {"consultation.close", "analysis.queued", "answer.hide"} <= actions  # found
    assert actions <= set(account_labels.ACTION_LABELS)
    assert {"reason", "old", "new", "cancelled"} <= audit_detail_keys() <= set(DETAILS)
    assert set(DETAILS) <= set(account_labels.DETAIL_LABELS)
    with app.test_request_context("/"):
        for action in actions:
            _words(account_labels.action_label(action), action)
        for key in DETAILS:
            _words(account_labels.DETAIL_LABELS[key], key)
