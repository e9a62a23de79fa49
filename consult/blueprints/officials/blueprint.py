"""The officials' blueprint object, its role check, and what every officials' page uses.

The pages are split by area (views: consultations, questions and documents; moderation;
responses: the browser, exports and the report); each module registers on `bp`.
"""

from __future__ import annotations

from flask import Blueprint, abort

from consult.services.consultations import editing as service

from ...models import Consultation, Role
from ..access import role_check

bp = Blueprint("officials", __name__, url_prefix="/officials")

_officials_only = bp.before_request(role_check(Role.OFFICIAL))


def consultation_or_404(slug: str) -> Consultation:
    consultation = service.by_slug(slug)
    if consultation is None:
        abort(404)
    return consultation
