"""Declared organisations for tests, and responding for one."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from consult.extensions import db
from consult.models import (
    Consultation,
    Organisation,
    RespondentCategory,
    User,
    VerificationStatus,
)
from tests.support.responding import PROFILE, respond


def declared_organisation(
    user: User | None, name: str = "Stichting Voedselvisie",
    kind: RespondentCategory = RespondentCategory.CIVIL_SOCIETY,
    status: VerificationStatus = VerificationStatus.PENDING, kvk_number: str = "12345678",
) -> Organisation:
    """An organisation `user` declared, flushed; `status` as given (no audit entry)."""
    organisation = Organisation(
        name=name, kind=kind, kvk_number=kvk_number, website="https://www.example.nl",
        declared_interest="Wij vertegenwoordigen 4.000 leden.", status=status,
        requested_by_id=user.id if user is not None else None)
    db.session.add(organisation)
    db.session.flush()
    return organisation


def respond_for(client: FlaskClient, c: Consultation, organisation: Organisation,
                text: str = "Goed idee", **profile: Any) -> Any:
    """`client` (logged in as the organisation's declarer) responds for it, consenting
    to publication with the name unless `profile` says otherwise."""
    data = dict(PROFILE, category=organisation.kind.value, organisation_id=str(organisation.id),
                consent="publish_with_name")
    data.update(profile)
    return respond(client, c, data, text)
