"""What the officials' confirmation pages say: closing a consultation now and
publishing its report (see blueprints/confirmation.py)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from ...i18n import select_locale
from ...models import Consultation
from ..confirmation import Confirmation


def _close(consultation: Consultation, action: str, back: str) -> Confirmation:
    return Confirmation(
        heading=_("Close the consultation now?"),
        subject=consultation.title(select_locale()),
        consequences=[
            _("The consultation closes at once, not at its planned closing time."),
            _("Nobody can send or change a response any more. Responses that were "
              "started but not sent are not counted."),
            _("Visitors of the public page see that the consultation is closed."),
            _("The consultation cannot be opened again."),
        ],
        confirm_label=_("Close the consultation"), action=action, back=back)


def _publish(consultation: Consultation, action: str, back: str) -> Confirmation:
    return Confirmation(
        heading=_("Publish the report?"),
        subject=consultation.title(select_locale()),
        consequences=[
            _("The report becomes public: everyone can read it on the consultation's "
              "page, without an account."),
            _("The report shows the summary and outcome you wrote and the figures of "
              "the responses whose authors agreed to publication."),
            _("Changes you save to the report afterwards are public at once."),
            _("The publication cannot be withdrawn."),
        ],
        confirm_label=_("Publish the report"), action=action, back=back, danger=False)


PAGES = {"close": _close, "publish": _publish}


def status_change(consultation: Consultation, action: str) -> Confirmation | None:
    """The confirmation page of a status change, or None when it needs none."""
    build = PAGES.get(action)
    if build is None:
        return None
    here = url_for("officials.change_status", slug=consultation.slug, action=action)
    back = url_for("officials.edit", slug=consultation.slug)
    return build(consultation, here, back)
