"""Officials' pages: consultations and questions (Dutch and English side by side),
status changes, background documents, moderation, the response browser, exports and
the report. Every page needs the official role."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as HTTPResponse

from consult.services import DomainError, catalogue
from consult.services.consultations import editing as service
from consult.services.consultations import exports, moderation, questions, results
from consult.services.consultations.display import describe_many
from consult.services.consultations.profile import CATEGORY_LABELS, CONSENT_LABELS

from ...extensions import db
from ...models import (
    CHOICE_KINDS,
    Answer,
    Audience,
    Consultation,
    ConsultationDocument,
    ModerationStatus,
    Question,
    QuestionKind,
    Role,
    Statement,
)
from ...security import MAX_URL_INT
from ..access import role_required
from .forms import ConsultationForm, DocumentForm, HideForm, QuestionForm, ReportForm

bp = Blueprint("officials", __name__, url_prefix="/officials")


@bp.before_request
@role_required(Role.OFFICIAL)
def _officials_only() -> None:
    return None


def _load(slug: str) -> Consultation:
    consultation = service.by_slug(slug)
    if consultation is None:
        abort(404)
    return consultation


def _show_error(form: Any, error: DomainError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


@bp.get("/")
def index() -> str:
    items = [(c, moderation.pending_count(c), results.response_counts(c, public=False))
             for c in service.all_consultations()]
    return render_template("officials/index.html", items=items)


def _topic_choices(form: ConsultationForm) -> None:
    form.topic_id.choices = [(0, "–")] + [(t.id, t.name(_locale())) for t in catalogue.topics()]


def _locale() -> str:
    from ...i18n import select_locale

    return select_locale()


def _data(form: ConsultationForm) -> service.ConsultationData:
    return service.ConsultationData(
        title_nl=form.title_nl.data or "", title_en=form.title_en.data or "",
        summary_nl=form.summary_nl.data or "", summary_en=form.summary_en.data or "",
        body_nl=form.body_nl.data or "", body_en=form.body_en.data or "",
        topic_id=form.topic_id.data or None, slug=form.slug.data or "",
        opens_at_local=form.opens_at.data, closes_at_local=form.closes_at.data,
        audience=Audience(form.audience.data),
    )


@bp.route("/consultations/new", methods=["GET", "POST"])
def new() -> str | HTTPResponse:
    form = ConsultationForm()
    _topic_choices(form)
    if form.validate_on_submit():
        try:
            consultation = service.create_consultation(current_user, _data(form))  # type: ignore[arg-type]
        except DomainError as error:
            db.session.rollback()
            _show_error(form, error)
        else:
            db.session.commit()
            flash(_("The consultation is saved as a draft."), "success")
            return redirect(url_for("officials.edit", slug=consultation.slug))
    return render_template("officials/consultation_form.html", form=form, consultation=None)


@bp.route("/consultations/<slug>", methods=["GET", "POST"])
def edit(slug: str) -> str | HTTPResponse:
    consultation = _load(slug)
    form = ConsultationForm(obj=consultation)
    _topic_choices(form)
    if request.method == "GET":
        form.opens_at.data = service.utc_to_local(consultation.opens_at)
        form.closes_at.data = service.utc_to_local(consultation.closes_at)
        form.audience.data = consultation.audience.value
        form.topic_id.data = consultation.topic_id or 0
    if form.validate_on_submit():
        try:
            service.update_consultation(current_user, consultation, _data(form))  # type: ignore[arg-type]
        except DomainError as error:
            db.session.rollback()
            consultation = _load(slug)
            _show_error(form, error)
        else:
            db.session.commit()
            flash(_("The consultation is saved."), "success")
            return redirect(url_for("officials.edit", slug=consultation.slug))
    return render_template(
        "officials/consultation_form.html", form=form, consultation=consultation,
        status=consultation.effective_status(), document_form=DocumentForm(prefix="doc"),
        pending=moderation.pending_count(consultation),
    )


STATUS_ACTIONS = {
    "schedule": service.schedule,
    "open": service.open_now,
    "close": service.close_now,
    "publish": service.publish_report,
}


@bp.post("/consultations/<slug>/status/<action>")
def change_status(slug: str, action: str) -> HTTPResponse:
    consultation = _load(slug)
    act = STATUS_ACTIONS.get(action)
    if act is None:
        abort(404)
    try:
        act(current_user, consultation)  # type: ignore[arg-type]
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("The status is changed."), "success")
    return redirect(url_for("officials.edit", slug=slug))


# --- questions -------------------------------------------------------------------------

def _condition_choices(form: QuestionForm, consultation: Consultation,
                       question: Question | None) -> None:
    choices: list[tuple[int, str]] = [(0, _("Always show this question"))]
    for q in consultation.questions:
        if q.kind in CHOICE_KINDS and q is not question:
            for o in q.options:
                choices.append((o.id, f"{q.text(_locale())[:50]} = {o.label(_locale())}"))
    form.condition_option_id.choices = choices


def _question_data(form: QuestionForm) -> questions.QuestionData:
    return questions.QuestionData(
        kind=QuestionKind(form.kind.data), text_nl=form.text_nl.data or "",
        text_en=form.text_en.data or "", help_nl=form.help_nl.data or "",
        help_en=form.help_en.data or "", page=form.page.data or 1,
        required=bool(form.required.data), max_choices=form.max_choices.data,
        max_length=form.max_length.data, allow_proposals=bool(form.allow_proposals.data),
        options=questions.parse_options(form.options.data),
        statements=questions.parse_statements(form.statements.data),
        condition_option_id=form.condition_option_id.data or None,
    )


@bp.route("/consultations/<slug>/questions/new", methods=["GET", "POST"])
@bp.route("/consultations/<slug>/questions/<int:question_id>", methods=["GET", "POST"])
def question(slug: str, question_id: int | None = None) -> str | HTTPResponse:
    consultation = _load(slug)
    existing = db.get_or_404(Question, question_id) if question_id else None
    if existing is not None and existing.consultation_id != consultation.id:
        abort(404)
    form = QuestionForm(obj=existing)
    _condition_choices(form, consultation, existing)
    if request.method == "GET" and existing is not None:
        form.kind.data = existing.kind.value
        form.options.data = "\n".join(f"{o.label_nl} | {o.label_en}" for o in existing.options)
        form.statements.data = ""
        option = existing.condition_option
        form.condition_option_id.data = option.id if option else 0
    if form.validate_on_submit():
        try:
            if existing is None:
                questions.add_question(current_user, consultation, _question_data(form))  # type: ignore[arg-type]
            else:
                questions.update_question(current_user, existing, _question_data(form))  # type: ignore[arg-type]
        except DomainError as error:
            db.session.rollback()
            _show_error(form, error)
        else:
            db.session.commit()
            flash(_("The question is saved."), "success")
            return redirect(url_for("officials.edit", slug=slug) + "#questions")
    return render_template("officials/question_form.html", form=form,
                           consultation=consultation, question=existing)


@bp.post("/consultations/<slug>/questions/<int:question_id>/<action>")
def question_action(slug: str, question_id: int, action: str) -> HTTPResponse:
    consultation = _load(slug)
    question = db.get_or_404(Question, question_id)
    if question.consultation_id != consultation.id or action not in ("up", "down", "delete"):
        abort(404)
    try:
        if action == "delete":
            questions.delete_question(current_user, question)  # type: ignore[arg-type]
        else:
            questions.move_question(current_user, question, -1 if action == "up" else 1)  # type: ignore[arg-type]
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("The questions are saved."), "success")
    return redirect(url_for("officials.edit", slug=slug) + "#questions")


# --- documents ----------------------------------------------------------------------------

@bp.post("/consultations/<slug>/documents")
def add_document(slug: str) -> HTTPResponse:
    consultation = _load(slug)
    form = DocumentForm(prefix="doc")
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "error")
        return redirect(url_for("officials.edit", slug=slug) + "#documents")
    upload = form.file.data
    content = upload.read(service.MAX_PDF_BYTES + 1) if upload and upload.filename else None
    try:
        service.add_document(current_user, consultation, form.title_nl.data or "",  # type: ignore[arg-type]
                             form.title_en.data or "", url=form.url.data or None,
                             filename=upload.filename if content is not None else None,
                             content=content)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("The document is added."), "success")
    return redirect(url_for("officials.edit", slug=slug) + "#documents")


@bp.post("/consultations/<slug>/documents/<int:document_id>/delete")
def remove_document(slug: str, document_id: int) -> HTTPResponse:
    consultation = _load(slug)
    document = db.get_or_404(ConsultationDocument, document_id)
    if document.consultation_id != consultation.id:
        abort(404)
    service.remove_document(current_user, document)  # type: ignore[arg-type]
    db.session.commit()
    flash(_("The document is removed."), "success")
    return redirect(url_for("officials.edit", slug=slug) + "#documents")


# --- moderation ------------------------------------------------------------------------------

@bp.get("/consultations/<slug>/moderation")
def moderation_queue(slug: str) -> str:
    consultation = _load(slug)
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
    consultation = _load(slug)
    form = HideForm()
    approve = request.form.get("decision") == "approve"
    try:
        if kind == "answer":
            answer = db.get_or_404(Answer, item_id)
            if answer.question.consultation_id != consultation.id:
                abort(404)
            moderation.moderate_answer(current_user, answer, approve, form.reason.data or "")  # type: ignore[arg-type]
        elif kind == "statement":
            statement = db.get_or_404(Statement, item_id)
            if statement.question.consultation_id != consultation.id:
                abort(404)
            moderation.moderate_statement(current_user, statement, approve,  # type: ignore[arg-type]
                                          form.reason.data or "")
        else:
            abort(404)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("Approved.") if approve else _("Hidden."), "success")
    return redirect(url_for("officials.moderation_queue", slug=slug))


# --- responses, exports, report ------------------------------------------------------------

@bp.get("/consultations/<slug>/responses")
def responses(slug: str) -> str:
    consultation = _load(slug)
    args = request.args
    from datetime import datetime

    def day(name: str) -> Any:
        try:
            value = datetime.strptime(args.get(name, ""), "%Y-%m-%d")
        except ValueError:
            return None
        return service.local_to_utc(value)

    since, until = day("since"), day("until")
    if until is not None:
        until = until + timedelta(days=1)
    option = args.get("option", "")
    page = args.get("page", "1")
    rows, total = results.browse(
        consultation, args.get("category", ""), since, until,
        int(option) if option.isdigit() and int(option) <= MAX_URL_INT else None,
        args.get("spam") == "1",
        int(page) if page.isdigit() and 0 < int(page) < 100000 else 1,
    )
    return render_template(
        "officials/responses.html", consultation=consultation, rows=rows, total=total,
        args=args, categories=CATEGORY_LABELS, consents=CONSENT_LABELS,
        choice_questions=[q for q in consultation.questions if q.kind in CHOICE_KINDS],
        described=describe_many(rows, _locale()),
    )


EXPORTS = {
    "csv": ("text/csv; charset=utf-8", exports.csv_stream),
    "json": ("application/json", exports.json_stream),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             exports.xlsx_stream),
}


@bp.get("/consultations/<slug>/export.<fmt>")
def export(slug: str, fmt: str) -> Response:
    consultation = _load(slug)
    if fmt not in EXPORTS:
        abort(404)
    public = request.args.get("public") == "1"
    mimetype, stream = EXPORTS[fmt]
    name = f"{consultation.slug}-{'public' if public else 'internal'}.{fmt}"
    body = stream_with_context(stream(consultation, public, _locale()))  # type: ignore[operator]
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.route("/consultations/<slug>/report", methods=["GET", "POST"])
def report(slug: str) -> str | HTTPResponse:
    consultation = _load(slug)
    form = ReportForm(obj=consultation)
    if form.validate_on_submit():
        service.save_report(current_user, consultation, {  # type: ignore[arg-type]
            name: getattr(form, name).data or "" for name in
            ("report_summary_nl", "report_summary_en", "report_outcome_nl", "report_outcome_en")})
        db.session.commit()
        flash(_("The report is saved."), "success")
        return redirect(url_for("officials.report", slug=slug))
    return render_template(
        "officials/report_form.html", form=form, consultation=consultation,
        status=consultation.effective_status(),
        counts=results.response_counts(consultation, public=False),
        results=results.results(consultation, public=False),
    )
