"""Officials' pages: consultations and questions (Dutch and English side by side),
status changes and background documents. Moderation is in `moderation`, the response
browser, exports and the report in `responses`; every page needs the official role
(`blueprint`)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HTTPResponse
from wtforms import SelectChoice

from consult.services import catalogue
from consult.services.consultations import editing as service
from consult.services.consultations import kinds, moderation, questions, results
from consult.services.organisations import verification

from ...extensions import db
from ...i18n import select_locale
from ...models import (
    Audience,
    Consultation,
    ConsultationDocument,
    Question,
)
from ..access import current_actor
from ..confirmation import confirmation_page, refused
from ..follow.notify import start_notices
from ..outcome import commit_or_show, show_error, unreadable_fields
from . import confirmations
from . import moderation as moderation_pages  # noqa: F401 - registers its routes on bp
from . import organisations as organisation_pages  # noqa: F401 - registers its routes on bp
from . import question_rows as rows
from . import responses as response_pages  # noqa: F401 - registers its routes on bp
from .blueprint import bp, consultation_or_404
from .forms import ConsultationForm, DocumentForm, QuestionForm

__all__ = ["bp"]


@bp.get("/")
def index() -> str:
    items = [(c, moderation.pending_count(c), results.response_counts(c, public=False))
             for c in service.all_consultations()]
    return render_template("officials/index.html", items=items,
                           waiting_organisations=verification.waiting_count())


def _topic_choices(form: ConsultationForm) -> None:
    locale = select_locale()
    form.topic_id.choices = [SelectChoice(0, "–")] + [
        SelectChoice(t.id, t.name(locale)) for t in catalogue.topics()]


def _data(form: ConsultationForm) -> service.ConsultationData:
    return service.ConsultationData(
        title_nl=form.title_nl.data or "", title_en=form.title_en.data or "",
        summary_nl=form.summary_nl.data or "", summary_en=form.summary_en.data or "",
        body_nl=form.body_nl.data or "", body_en=form.body_en.data or "",
        topic_id=form.topic_id.data or None, slug=form.slug.data or "",
        opens_at_local=form.opens_at.data, closes_at_local=form.closes_at.data,
        audience=Audience(form.audience.data)
        if form.audience.data in {a.value for a in Audience} else Audience.ANYONE,
    )


def _valid(form: ConsultationForm) -> bool:
    """The form's shape is right. When it is not, the consultation's rules still judge
    the fields the form could read, so every mistake is shown at once."""
    if form.validate_on_submit():
        return True
    if form.is_submitted():
        for problem in service.consultation_problems(_data(form), unreadable_fields(form)):
            show_error(form, problem)
    return False


@bp.route("/consultations/new", methods=["GET", "POST"])
def new() -> str | HTTPResponse:
    form = ConsultationForm()
    _topic_choices(form)
    if _valid(form):
        with commit_or_show(form) as outcome:
            consultation = service.create_consultation(current_actor(), _data(form))
        if outcome.ok:
            flash(_("The consultation is saved as a draft."), "success")
            return redirect(url_for("officials.edit", slug=consultation.slug))
    return render_template("officials/consultation_form.html", form=form, consultation=None)


@bp.route("/consultations/<slug>", methods=["GET", "POST"])
def edit(slug: str) -> str | HTTPResponse:
    consultation = consultation_or_404(slug)
    form = (_saved_form(consultation) if request.method == "GET"
            else ConsultationForm(obj=consultation))
    _topic_choices(form)
    if _valid(form):
        with commit_or_show(form) as outcome:
            service.update_consultation(current_actor(), consultation, _data(form))
        if outcome.ok:
            flash(_("The consultation is saved."), "success")
            return redirect(url_for("officials.edit", slug=consultation.slug))
        consultation = consultation_or_404(slug)
    return _edit_page(consultation, form, DocumentForm(prefix="doc"))


def _saved_form(consultation: Consultation) -> ConsultationForm:
    """The consultation form filled from what is saved (times in local time), not from
    the request."""
    form = ConsultationForm(obj=consultation, formdata=None)
    form.opens_at.data = service.utc_to_local(consultation.opens_at)
    form.closes_at.data = service.utc_to_local(consultation.closes_at)
    form.audience.data = consultation.audience.value
    form.topic_id.data = consultation.topic_id or 0
    return form


def _edit_page(consultation: Consultation, form: ConsultationForm,
               document_form: DocumentForm) -> str:
    return render_template(
        "officials/consultation_form.html", form=form, consultation=consultation,
        status=consultation.effective_status(), document_form=document_form,
        pending=moderation.pending_count(consultation),
    )


STATUS_ACTIONS = {
    "schedule": service.schedule,
    "open": service.open_now,
    "close": service.close_now,
    "publish": service.publish_report,
}


@bp.route("/consultations/<slug>/status/<action>", methods=["GET", "POST"])
def change_status(slug: str, action: str) -> HTTPResponse | tuple[str, int]:
    """Schedule and open act at once; closing and publishing the report go through
    their confirmation page (GET), whose form is the only POST they accept."""
    consultation = consultation_or_404(slug)
    act = STATUS_ACTIONS.get(action)
    if act is None:
        abort(404)
    page = confirmations.status_change(consultation, action)
    if request.method == "GET":
        if page is None:
            return redirect(url_for("officials.edit", slug=slug))
        return confirmation_page(page)
    if page is not None and (refusal := refused(page.action)) is not None:
        return refusal
    with commit_or_show() as outcome:
        act(current_actor(), consultation)
    if outcome.ok:
        flash(_("The status is changed."), "success")
        if action in ("open", "publish"):
            start_notices()
    return redirect(url_for("officials.edit", slug=slug))


# --- questions -------------------------------------------------------------------------

def _condition_choices(form: QuestionForm, consultation: Consultation,
                       question: Question | None) -> None:
    choices = [SelectChoice("0", _("Always show this question"))]
    locale = select_locale()
    for q in consultation.questions:
        if kinds.get(q.kind).chooses_options and q is not question:
            for o in q.options:
                choices.append(SelectChoice(str(o.id),
                                            f"{q.text(locale)[:50]} = {o.label(locale)}"))
    form.condition_option_id.choices = choices
    # A required select opens on an empty placeholder (HTML: the first option of a
    # required select has an empty value), so no kind is chosen by accident.
    form.kind.choices = [SelectChoice("", _("Choose a kind of question"))] + [
        SelectChoice(value, str(label)) for value, label in kinds.choices()]


def _principle_choices(form: QuestionForm) -> None:
    locale = select_locale()
    choices = [SelectChoice(p.code, p.name(locale)) for p in catalogue.principles()]
    for entry in form.statements:
        entry.form.principles.choices = choices


def _question_data(form: QuestionForm) -> questions.QuestionData:
    """The form's values (KeyError, ValueError: a forged kind or row value)."""
    return questions.QuestionData(
        kind=kinds.stored_value(form.kind.data or ""), text_nl=form.text_nl.data or "",
        text_en=form.text_en.data or "", help_nl=form.help_nl.data or "",
        help_en=form.help_en.data or "", page=form.page.data or 1,
        required=bool(form.required.data), max_choices=form.max_choices.data,
        max_length=form.max_length.data, allow_proposals=bool(form.allow_proposals.data),
        options=rows.option_rows(form), statements=rows.statement_rows(form),
        condition_option_id=form.condition_option_id.data or None,
    )


def _question_form(question: Question | None) -> tuple[QuestionForm, str | None]:
    """The form as it opens, as posted to be saved, or as a row button changed it; and
    the id of the element to focus after a row button (None: not a row button)."""
    if request.method != "POST":
        data = {**rows.initial_rows(question), **_question_fields(question)}
        return QuestionForm(data=data), None
    action = rows.apply_row_action(request.form)
    if action is None:
        return QuestionForm(), None
    return QuestionForm(formdata=action.formdata), action.focus


def _question_fields(question: Question | None) -> dict[str, object]:
    if question is None:
        return {}
    option = question.condition_option
    return {"kind": question.kind.value, "text_nl": question.text_nl,
            "text_en": question.text_en, "help_nl": question.help_nl,
            "help_en": question.help_en, "page": question.page,
            "required": question.required, "max_choices": question.max_choices,
            "max_length": question.max_length, "allow_proposals": question.allow_proposals,
            "condition_option_id": option.id if option else 0}


@bp.route("/consultations/<slug>/questions/new", methods=["GET", "POST"])
@bp.route("/consultations/<slug>/questions/<int:question_id>", methods=["GET", "POST"])
def question(slug: str, question_id: int | None = None) -> str | HTTPResponse:
    consultation = consultation_or_404(slug)
    existing = db.get_or_404(Question, question_id) if question_id else None
    if existing is not None and existing.consultation_id != consultation.id:
        abort(404)
    form, focus = _question_form(existing)
    _condition_choices(form, consultation, existing)
    _principle_choices(form)
    shape_ok = focus is None and form.validate_on_submit()
    if focus is None and form.is_submitted() and not shape_ok:
        # The question's rules still judge what the form could read: every mistake at
        # once (unless a row holds a forged value no data can be built from).
        try:
            data = _question_data(form)
        except (KeyError, ValueError):
            data = None
        for problem in questions.question_problems(
                consultation, data, existing, unreadable_fields(form)) if data else []:
            show_error(form, problem)
    if shape_ok:
        with commit_or_show(form) as outcome:
            if existing is None:
                questions.add_question(current_actor(), consultation, _question_data(form))
            else:
                questions.update_question(current_actor(), existing, _question_data(form))
        if outcome.ok:
            flash(_("The question is saved."), "success")
            return redirect(url_for("officials.edit", slug=slug) + "#questions")
    return render_template("officials/question_form.html", form=form, focus=focus,
                           consultation=consultation, question=existing)


@bp.post("/consultations/<slug>/questions/<int:question_id>/<action>")
def question_action(slug: str, question_id: int, action: str) -> HTTPResponse:
    consultation = consultation_or_404(slug)
    question = db.get_or_404(Question, question_id)
    if question.consultation_id != consultation.id or action not in ("up", "down", "delete"):
        abort(404)
    with commit_or_show() as outcome:
        if action == "delete":
            questions.delete_question(current_actor(), question)
        else:
            questions.move_question(current_actor(), question, -1 if action == "up" else 1)
    if outcome.ok:
        flash(_("The questions are saved."), "success")
    return redirect(url_for("officials.edit", slug=slug) + "#questions")


# --- documents ----------------------------------------------------------------------------

@bp.post("/consultations/<slug>/documents")
def add_document(slug: str) -> HTTPResponse | tuple[str, int]:
    """Add a document; on mistakes the consultation's page again, the document form with
    every message (the form's own and the rules') and what was typed (a file must be
    chosen again: browsers never refill a file field)."""
    consultation = consultation_or_404(slug)
    form = DocumentForm(prefix="doc")
    shape_ok = form.validate_on_submit()
    upload = form.file.data
    content = upload.read(service.MAX_PDF_BYTES + 1) if upload and upload.filename else None
    unreadable = unreadable_fields(form)
    with commit_or_show(form, quiet=True) as outcome:
        if not shape_ok:
            outcome.skip_commit()
        service.add_document(current_actor(), consultation, form.title_nl.data or "",
                             form.title_en.data or "", url=form.url.data or None,
                             filename=upload.filename if content is not None else None,
                             content=content, check_only=not shape_ok)
    for problem in getattr(outcome.error, "errors", [outcome.error] if outcome.error else []):
        if problem.field not in unreadable:  # a field with the form's own message
            show_error(form, problem)
    if outcome.ok and shape_ok:
        flash(_("The document is added."), "success")
        return redirect(url_for("officials.edit", slug=slug) + "#documents")
    db.session.rollback()
    consultation = consultation_or_404(slug)
    page_form = _saved_form(consultation)
    _topic_choices(page_form)
    return _edit_page(consultation, page_form, form), 400


@bp.post("/consultations/<slug>/documents/<int:document_id>/delete")
def remove_document(slug: str, document_id: int) -> HTTPResponse:
    consultation = consultation_or_404(slug)
    document = db.get_or_404(ConsultationDocument, document_id)
    if document.consultation_id != consultation.id:
        abort(404)
    service.remove_document(current_actor(), document)
    db.session.commit()
    flash(_("The document is removed."), "success")
    return redirect(url_for("officials.edit", slug=slug) + "#documents")
