"""The translated names of what can be followed (no code reaches a page)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ...models import FollowTarget

TARGET_LABELS = {
    FollowTarget.TOPIC: _l("Topic"),
    FollowTarget.CONSULTATION: _l("Consultation"),
    FollowTarget.TASTINGS: _l("Tastings"),
}
