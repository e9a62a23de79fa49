"""Officials' moderation: the queue of answers and proposed statements, approve or hide,
one by one or a whole campaign group at once."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HTTPResponse

from consult.services.consultations import moderation

from ...extensions import db
from ...models import Answer, ModerationStatus, Statement
from ..access import current_actor
from ..outcome import commit_or_show
from ..paging import page_arg, place_args, size_arg
from .blueprint import bp, consultation_or_404
from .forms import GroupDecisionForm, HideForm


@bp.get("/consultations/<slug>/moderation")
def moderation_queue(slug: str) -> str:
    consultation = consultation_or_404(slug)
    shown = request.args.get("status", "pending")
    status = ModerationStatus(shown) if shown in {s.value for s in ModerationStatus} \
        else ModerationStatus.PENDING
    per_page = size_arg()
    return render_template(
        "officials/moderation.html", consultation=consultation, status=status,
        answers=moderation.answers_page(consultation, status, page_arg(), per_page),
        statements=moderation.statements_page(consultation, status, page_arg("spage"),
                                              per_page),
        waiting=moderation.waiting(consultation), form=HideForm(),
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
    return redirect(url_for("officials.moderation_queue", slug=slug, **place_args()))


@bp.route("/consultations/<slug>/moderation/groups/<int:question_id>/<int:answer_id>",
          methods=["GET", "POST"])
def moderate_group(slug: str, question_id: int, answer_id: int
                   ) -> tuple[str, int] | HTTPResponse:
    """A campaign group: how many answers a decision changes, then approve or hide all."""
    consultation = consultation_or_404(slug)
    found = moderation.campaign_group(consultation, question_id, answer_id)
    if found is None:
        flash(_("This group of similar answers no longer exists."), "info")
        return redirect(url_for("officials.moderation_queue", slug=slug))
    question, group = found
    form = GroupDecisionForm()
    approve = request.form.get("decision") == "approve"
    if form.validate_on_submit():
        with commit_or_show(form) as outcome:
            changed = moderation.moderate_group(current_actor(), group, approve,
                                                form.reason.data or "", form.expected.data)
        if outcome.ok:
            n = format_decimal(changed)
            message = (ngettext("%(n)s answer approved.", "%(n)s answers approved.",
                                changed, n=n) if approve else
                       ngettext("%(n)s answer hidden.", "%(n)s answers hidden.", changed, n=n))
            flash(message, "success")
            return redirect(url_for("officials.moderation_queue", slug=slug))
    if form.expected.errors:  # a hidden field: say it where the person can read it
        form.expected.errors = []
        form.form_errors.append(_("The number of answers was missing. Check it and confirm "
                                  "again."))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "officials/moderation_group.html", consultation=consultation, question=question,
        group=group, form=form, to_hide=len(moderation.group_to_change(group, False)),
        to_approve=len(moderation.group_to_change(group, True)),
    ), status
