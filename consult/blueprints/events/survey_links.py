"""The questionnaires before and after a tasting, for forms and templates.

`survey_choices` fills the organisers' two selects; `survey_links_context` gives every
template (pages and mails) `survey_links(event)` and `personal_survey_links(event,
registration)` (the registrant's signed links). The rules live in
services.events.survey_links.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import SelectChoice

from ...i18n import select_locale
from ...models import Event
from ...services.events.survey_links import linkable_consultations, links_for, personal_links


def survey_choices(form: FlaskForm, event: Event | None) -> None:
    """'None' and every consultation that is not a draft; `event` fills the chosen ones."""
    locale = select_locale()
    choices = [SelectChoice("", _("None"))] + [
        SelectChoice(str(c.id), c.title(locale)) for c in linkable_consultations()
    ]
    for name in ("before_consultation_id", "after_consultation_id"):
        field = getattr(form, name)
        field.choices = choices
        if event is not None:
            value = getattr(event, name)
            field.data = str(value) if value is not None else ""


def survey_links_context() -> dict[str, Any]:
    return {"survey_links": links_for, "personal_survey_links": personal_links}
