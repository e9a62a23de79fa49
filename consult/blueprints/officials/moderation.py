"""Officials' moderation: the queue of answers and proposed statements, approve or hide."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HTTPResponse

from consult.services.consultations import moderation

from ...extensions import db
from ...models import Answer, ModerationStatus, Statement
from ..access import current_actor
from ..outcome import commit_or_show
from .blueprint import bp, consultation_or_404
from .forms import HideForm


@bp.get("/consultations/<slug>/moderation")
def moderation_queue(slug: str) -> str:
    consultation = consultation_or_404(slug)
    shown = request.args.get("status", "pending")
    status = ModerationStatus(shown) if shown in {s.value for s in ModerationStatus} \
        else ModerationStatus.PENDING
    answers, statements = moderation.queue(consultation, status)
    return render_template(
        "officials/moderation.html", consultation=consultation, answers=answers,
        statements=statements, status=status, form=HideForm(),
        signals=moderation.campaign_signals(consultation),
    )


@bp.post("/consultations/<slug>/moderation/<kind>/<int:item_id>")
def moderate(slug: str, kind: str, item_id: int) -> HTTPResponse:
    consultation = consultation_or_404(slug)
    form = HideForm()
    approve = request.form.get("decision") == "approve"
    with commit_or_show() as outcome:
        if kind == "answer":
            answer = db.get_or_404(Answer, item_id)
            if answer.question.consultation_id != consultation.id:
                abort(404)
            moderation.moderate_answer(current_actor(), answer, approve, form.reason.data or "")
        elif kind == "statement":
            statement = db.get_or_404(Statement, item_id)
            if statement.question.consultation_id != consultation.id:
                abort(404)
            moderation.moderate_statement(current_actor(), statement, approve,
                                          form.reason.data or "")
        else:
            abort(404)
    if outcome.ok:
        flash(_("Approved.") if approve else _("Hidden."), "success")
    return redirect(url_for("officials.moderation_queue", slug=slug))
