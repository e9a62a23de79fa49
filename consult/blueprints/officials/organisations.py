"""The officials' verification queue of declared organisations, and their decisions.

The queue shows the evidence (KvK number or Transparency Register id, website, declared
interest, who asked and when); a decision (verify, or reject with a reason) is taken on
the organisation's page and recorded in the audit log by the service.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HTTPResponse

from consult.services.organisations import verification

from ...extensions import db
from ...models import Organisation, User, VerificationStatus
from ..access import current_actor
from ..outcome import commit_or_show
from ..paging import page_arg, size_arg
from .blueprint import bp
from .forms import VerificationForm


def _status_arg() -> tuple[str, VerificationStatus | None]:
    """?status= pending (the default), verified, rejected or all."""
    value = request.args.get("status", "pending")
    if value == "all":
        return value, None
    if value not in VerificationStatus._value2member_map_:
        value = "pending"
    return value, VerificationStatus(value)


@bp.get("/organisations")
def organisations() -> str:
    value, status = _status_arg()
    found = verification.queue(status, page_arg(), size_arg())
    askers = {u.id: u for u in db.session.scalars(
        db.select(User).where(User.id.in_({o.requested_by_id for o in found.items
                                           if o.requested_by_id})))}
    return render_template("officials/organisations.html", page=found, status=value,
                           askers=askers)


@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
def organisation(organisation_id: int) -> str | HTTPResponse:
    org = db.get_or_404(Organisation, organisation_id)
    form = VerificationForm()
    if form.validate_on_submit():
        with commit_or_show(form) as outcome:
            if form.decision.data == "verify":
                verification.verify(current_actor(), org, form.reason.data or "")
            else:
                verification.reject(current_actor(), org, form.reason.data or "")
        if outcome.ok:
            flash(_("The organisation is verified: its name is published with its "
                    "responses.") if form.decision.data == "verify" else
                  _("The organisation is not verified: its name stays unpublished."),
                  "success")
            return redirect(url_for("officials.organisations"))
    asker = db.session.get(User, org.requested_by_id) if org.requested_by_id else None
    decider = db.session.get(User, org.decided_by_id) if org.decided_by_id else None
    return render_template("officials/organisation.html", org=org, form=form, asker=asker,
                           decider=decider)
