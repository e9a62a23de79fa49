"""Consultations for the public: the list, a consultation, responding, receipt, report.

Responding is page by page: "about you" (page 0), then the question pages, then a review
page that submits. Each page is saved when it has no errors; with errors it is shown
again with everything typed. "Save and go back" saves what was given even when a
required question is still open (the review lists it and the submit asks for it).
Without an account, the browser keeps the response's secret token in its session; the
receipt shows it as the private edit link.

A tasting's personal questionnaire link (/consultations/<slug>/tasting/<token>) puts its
registration and round in the session for that consultation; the response is then the
one of that round (services.events.survey_links), and its edit token is kept per round.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as HTTPResponse

from consult.services import catalogue
from consult.services.consultations import display as answer_display
from consult.services.consultations import editing as consultations_service
from consult.services.consultations import kinds, labels, responding, results, structure
from consult.services.consultations import page_cache as consultation_cache
from consult.services.consultations.answers import DEFAULT_MAX_LENGTH, FormTampered, parse_page
from consult.services.consultations.profile import (
    CATEGORY_LABELS,
    CONSENT_LABELS,
    parse_profile,
    profile_is_complete,
)
from consult.services.events import survey_links
from consult.services.follow import targets as follow_targets
from consult.services.organisations import declarations
from consult.services.organisations import labels as organisation_labels

from ...database import read_only_request
from ...extensions import db, limiter
from ...i18n import select_locale
from ...models import (
    AGE_BANDS,
    PROVINCES,
    ROUND_BEFORE,
    Audience,
    Consultation,
    ConsultationDocument,
    ConsultationStatus,
    FollowTarget,
    PublicationConsent,
    Question,
    QuestionKind,
    RespondentCategory,
    Response,
    ResponseStatus,
    Role,
    VerificationStatus,
)
from ...sanitize import markdown_to_html
from .. import anonymous_pages
from ..access import current_user_or_none
from ..confirmation import refused
from ..outcome import commit_or_show
from ..paging import page_arg, size_arg
from . import blank_forms, fields

bp = Blueprint("consultations", __name__, url_prefix="/consultations")
# The question macro finds a question's kind, and with it the kind's partial, through this.
bp.add_app_template_global(kinds.get, "question_kind")
# The labels of statuses and kinds (services/consultations/labels.py), also for macros.
bp.record_once(lambda state: state.app.jinja_env.globals.update(labels.template_labels()))
# The organisations' types, verification statuses and "organisation (not verified)".
bp.record_once(lambda state: state.app.jinja_env.globals.update(
    organisation_labels.template_labels()))


def _question_url(slug: str, question: Question) -> str:
    """A question on its page: the page's address and the anchor of the question's fieldset
    (`<field>-question`, the question macro in consultations/_macros.html)."""
    field = kinds.get(question.kind).field(question.id)
    return url_for("consultations.respond", slug=slug, page=question.page,
                   _anchor=f"{field}-question")


# "Change" links on the review page go to the question itself.
bp.add_app_template_global(_question_url, "question_url")
# A blank respond form's fields, rendered once per worker (blank_forms.py).
bp.add_app_template_global(blank_forms.fields, "kept_blank_fields")

TOKENS = "consultation_tokens"
ROUNDS = "tasting_rounds"


@bp.context_processor
def _survey_round_helper() -> dict[str, Any]:
    """`survey_round_of(consultation)`: the step line says which round is being answered."""
    return {"survey_round_of": _round}


def _submit_limit() -> str:
    return str(current_app.config.get("CONSULTATION_SUBMIT_LIMIT", "5 per minute;30 per hour"))


def _is_official() -> bool:
    return bool(current_user.is_authenticated and current_user.has_role(Role.OFFICIAL))


def _load(slug: str) -> Consultation:
    consultation = consultations_service.by_slug(slug)
    if consultation is None or (not consultation.is_public and not _is_official()):
        abort(404)
    return consultation


def _round(consultation: Consultation) -> survey_links.SurveyRound | None:
    """The tasting round this browser answers this consultation in (from a personal link)."""
    return survey_links.SurveyRound.from_dict(
        (session.get(ROUNDS) or {}).get(str(consultation.id)))


def _token_key(consultation: Consultation, survey_round: survey_links.SurveyRound | None
               ) -> str:
    return f"{consultation.id}:{survey_round.name}" if survey_round else str(consultation.id)


def _token(consultation: Consultation) -> str | None:
    tokens = session.get(TOKENS) or {}
    survey_round = _round(consultation)
    token = tokens.get(_token_key(consultation, survey_round))
    if token is None and survey_round is not None and survey_round.adopts:
        token = tokens.get(str(consultation.id))  # an ordinary response takes the round
    return token


def _remember_token(consultation: Consultation, token: str) -> None:
    tokens = dict(session.get(TOKENS) or {})
    tokens[_token_key(consultation, _round(consultation))] = token
    session[TOKENS] = tokens


def _own(consultation: Consultation) -> Response | None:
    return responding.find_own_response(consultation, current_user_or_none(),
                                        _token(consultation), _round(consultation))


def _read_only_when_showing() -> None:
    """A respond page shown (GET) only reads: its queries run without BEGIN and
    ROLLBACK round trips (database.read_only_request); its POST writes as before."""
    if request.method == "GET":
        read_only_request()


def _raw_form() -> dict[str, list[str]]:
    return {k: v for k, v in request.form.lists() if k != "csrf_token"}


def _steps(consultation: Consultation) -> list[int]:
    return [0, *structure.structure(consultation).pages()]


def _next_url(slug: str, steps: list[int], page: int) -> str:
    """The step after `page`. `steps` are read before a commit: after it the
    consultation's questions would be loaded again just to find the next page."""
    later = [p for p in steps if p > page]
    if later:
        return url_for("consultations.respond", slug=slug, page=later[0])
    return url_for("consultations.review", slug=slug)


def _start_or_restart(consultation: Consultation, response: Response | None) -> Response:
    """The response to save "about you" in: a new one (its secret kept in the session
    when there is no account), or a fresh one after a withdrawn response."""
    survey_round = _round(consultation)
    if response is None:
        response, token = responding.start_response(consultation, current_user_or_none(),
                                                    _locale(), survey_round)
        if token:
            _remember_token(consultation, token)
    elif response.status == ResponseStatus.WITHDRAWN:
        response, _token_unused = responding.start_response(
            consultation, current_user_or_none(), _locale(), survey_round)
    else:
        responding.join_round(response, survey_round)
    return response


def _closed_page(consultation: Consultation) -> tuple[str, int]:
    return render_template("consultations/not_open.html", consultation=consultation), 403


# --- public pages ---------------------------------------------------------------------

@bp.get("/")
def index() -> str:
    read_only_request()
    topic = request.args.get("topic", "")
    topics = catalogue.topics()
    if topic not in {t.code for t in topics}:
        topic = ""
    groups = consultations_service.public_consultations(topic or None)
    follow_target = follow_targets.parse(f"topic:{topic}") if topic else None
    return render_template("consultations/index.html", groups=groups, topics=topics,
                           topic=topic, follow_target=follow_target,
                           consultations=[c for g in groups.values() for c in g])


@bp.get("/<slug>")
def show(slug: str) -> str:
    if anonymous_pages.shareable():
        # The kept anonymous page, found from the few columns of its key (one query in
        # autocommit, no ORM row, no session); anything else (not kept yet, a draft,
        # the visitor's own response) goes on.
        state = consultation_cache.anonymous_state(slug, _locale())
        if state is not None and str(state.id) not in (session.get(TOKENS) or {}):
            html = anonymous_pages.kept((*state.key, state.status, state.count))
            if html is not None:
                return html
    read_only_request()  # no BEGIN/ROLLBACK round trips around the page's queries
    consultation = _load(slug)
    page = consultation_cache.public_page(consultation, _locale())
    own = _own(consultation)
    status = consultation.effective_status()
    count = consultation_cache.published_count(consultation)

    follow_target = follow_targets.Target(FollowTarget.CONSULTATION, consultation=consultation)

    def render() -> str:
        # follow_link: an anonymous visitor follows through a link to the follow form's
        # own page, so the page carries no CSRF token and writes no session.
        return render_template("consultations/show.html", consultation=consultation,
                               page=page, own=own, status=status, published_count=count,
                               follow_target=follow_target, follow_link=True)

    if own is None and anonymous_pages.shareable():
        return anonymous_pages.rendered((*page.key, status, count), render)
    return render()


@bp.get("/<slug>/documents/<int:document_id>")
def document(slug: str, document_id: int) -> HTTPResponse:
    consultation = _load(slug)
    doc = db.get_or_404(ConsultationDocument, document_id)
    if doc.consultation_id != consultation.id or doc.content is None:
        abort(404)
    response = current_app.response_class(doc.content, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{doc.filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _locale() -> str:
    return select_locale()


# --- responding -----------------------------------------------------------------------

def _page_context(consultation: Consultation, page: int, response: Response | None,
                  typed: dict[str, list[str]], errors: dict[str, Any],
                  preview: bool = False) -> dict[str, Any]:
    """What a question page shows; a preview shows conditional questions too."""
    questions = responding.questions_on_page(consultation, page, response, preview)
    principles = list(catalogue.kept_principles())
    codes = [p.code for p in principles]
    steps = _steps(consultation)
    blank_key = blank_forms.key(
        ("questions", structure.structure(consultation).key, page, _locale(),
         tuple(q.id for q in questions), tuple(principles)), typed, errors)
    return {
        "consultation": consultation, "page": page, "questions": questions,
        "principles": principles, "typed": typed, "errors": errors, "blank_key": blank_key,
        "error_links": fields.error_links(errors, questions, codes),
        "step": steps.index(page) + 1 if page in steps else 1, "steps": len(steps) + 1,
        "previous": max([p for p in steps if p < page], default=None),
        "response": response, "default_max": DEFAULT_MAX_LENGTH,
    }


@bp.route("/<slug>/respond", methods=["GET", "POST"])
def about_you(slug: str) -> str | HTTPResponse | tuple[str, int]:
    _read_only_when_showing()
    consultation = _load(slug)
    preview = request.args.get("preview") == "1" and _is_official()
    if not consultation.is_open() and not preview:
        return _closed_page(consultation)
    if consultation.audience == Audience.ACCOUNT and current_user_or_none() is None:
        flash(_("Log in to respond to this consultation."), "warning")
        return redirect(url_for("accounts.login", next=request.path))
    response = _own(consultation)
    ask_email = current_user_or_none() is None
    declared = [o for o in declarations.declared_by(current_user_or_none())
                if o.status != VerificationStatus.REJECTED]
    typed = fields.profile_from_response(response)
    errors: dict[str, Any] = {}
    status = 200
    if request.method == "POST" and not preview:
        raw = _raw_form()
        typed = raw
        steps = _steps(consultation)  # read before the commit expires the consultation
        with commit_or_show(quiet=True) as outcome:
            profile = parse_profile(raw, ask_email, declared)
            errors = profile.errors
            if errors:
                outcome.skip_commit()
            else:
                response = _start_or_restart(consultation, response)
                responding.save_profile(response, profile)
        if outcome.ok:
            return redirect(_next_url(slug, steps, 0))
        if outcome.error is not None:  # a tampered form or a rule: shown at the top
            errors, status = {"form": outcome.error.message}, 400
    blank_key = None if declared or preview else blank_forms.key(
        ("about you", _locale(), ask_email, consultation.minimum_age), typed, errors)
    return render_template(
        "consultations/about_you.html", consultation=consultation, typed=typed,
        errors=errors, ask_email=ask_email, response=response, preview=preview,
        blank_key=blank_key,
        categories=CATEGORY_LABELS, consents=CONSENT_LABELS, age_bands=AGE_BANDS,
        provinces=PROVINCES, citizen=RespondentCategory.CITIZEN.value,
        declared=declared, step=1, steps=len(_steps(consultation)) + 1,
    ), status


@bp.route("/<slug>/respond/<int:page>", methods=["GET", "POST"])
def respond(slug: str, page: int) -> str | HTTPResponse | tuple[str, int]:
    _read_only_when_showing()
    consultation = _load(slug)
    preview = request.args.get("preview") == "1" and _is_official()
    steps = _steps(consultation)
    if page not in steps[1:]:
        abort(404)
    if not consultation.is_open() and not preview:
        return _closed_page(consultation)
    response = _own(consultation)
    if not preview and (response is None or response.status == ResponseStatus.WITHDRAWN):
        return redirect(url_for("consultations.about_you", slug=slug))
    # From this worker's kept copy (plain data, per version): no query for the questions.
    questions = responding.questions_on_page(consultation, page, response)
    posting = request.method == "POST" and not preview and response is not None
    # A POST shows what was posted (when refused), never the stored answers.
    typed = {} if posting else fields.typed_from_response(response, questions)
    errors: dict[str, Any] = {}
    status = 200
    if posting and response is not None:
        raw = _raw_form()
        typed = raw
        shown = {q.id: responding.statements_shown(q) for q in questions}
        with commit_or_show(quiet=True) as outcome:
            # Only a principle rating reads the principles: no query on other pages.
            rates = any(q.kind == QuestionKind.PRINCIPLE_RATING for q in questions)
            # Going back keeps what was given without asking for the required answers
            # first; the submit still refuses a response that lacks them.
            parsed = parse_page(questions, raw, catalogue.kept_principles() if rates else (),
                                shown, check_required=request.form.get("action") != "back")
            errors = parsed.errors
            if parsed.ok:
                responding.save_page(response, parsed)
            else:
                outcome.skip_commit()
        if outcome.ok:
            if request.form.get("action") == "back":
                previous = max(p for p in steps if p < page)
                return redirect(url_for("consultations.respond", slug=slug, page=previous)
                                if previous else
                                url_for("consultations.about_you", slug=slug))
            return redirect(_next_url(slug, steps, page))
        error = outcome.error
        if error is not None and error.field and not isinstance(error, FormTampered):
            errors = {error.field: error.message}  # a rule about one field: shown there
        elif error is not None:
            errors, status = {"form": error.message}, 400
    context = _page_context(consultation, page, response, typed, errors, preview)
    return render_template("consultations/respond.html", preview=preview, **context), status


@bp.route("/<slug>/review", methods=["GET", "POST"])
@limiter.limit(_submit_limit, methods=["POST"])
def review(slug: str) -> str | HTTPResponse | tuple[str, int]:
    _read_only_when_showing()
    consultation = _load(slug)
    if not consultation.is_open():
        return _closed_page(consultation)
    response = _own(consultation)
    if response is None or response.status == ResponseStatus.WITHDRAWN:
        return redirect(url_for("consultations.about_you", slug=slug))
    problem = None
    status = 200
    if request.method == "POST":
        with commit_or_show(quiet=True) as outcome:
            responding.join_round(response, _round(consultation))
            responding.submit(response, honeypot=request.form.get("website", ""))
            responding.send_receipt(response, _token(consultation),
                                    lambda: answer_display.describe(response, response.locale))
            public_id = response.public_id  # read now: the commit expires the row
        if outcome.error is not None:
            problem, status = outcome.error.message, 400
        else:
            flash(_("Thank you. Your response has been received."), "success")
            return redirect(url_for("consultations.receipt", slug=slug, public_id=public_id))
    # The questions come from this worker's kept copy (structure.py), as on the
    # question pages: the review reads the response, never the questions.
    steps = _steps(consultation)
    return render_template(
        "consultations/review.html", consultation=consultation, response=response,
        answers=answer_display.describe(response, _locale()), problem=problem,
        profile_complete=profile_is_complete(response),
        missing=responding.missing_required(response), categories=CATEGORY_LABELS,
        consents=CONSENT_LABELS, steps=len(steps) + 1, pages=steps[1:],
    ), status


@bp.get("/<slug>/receipt/<public_id>")
def receipt(slug: str, public_id: str) -> str:
    read_only_request()
    consultation = _load(slug)
    response = _own(consultation)
    if response is None or response.public_id != public_id:
        abort(404)
    token = _token(consultation) if response.user_id is None else None
    return render_template(
        "consultations/receipt.html", consultation=consultation, response=response,
        answers=answer_display.describe(response, _locale()), token=token,
        categories=CATEGORY_LABELS, consents=CONSENT_LABELS,
    )


@bp.get("/<slug>/tasting/<token>")
def tasting_link(slug: str, token: str) -> str | HTTPResponse | tuple[str, int]:
    """A registrant's personal link: answer this consultation in the link's round."""
    consultation = _load(slug)
    try:
        survey_round = survey_links.read_link(consultation, token)
    except survey_links.SurveyLinkProblem as problem:
        return render_template("consultations/link_problem.html", consultation=consultation,
                               problem=str(problem.message)), 400
    rounds = dict(session.get(ROUNDS) or {})
    rounds[str(consultation.id)] = survey_round.as_dict()
    session[ROUNDS] = rounds
    if survey_round.name == ROUND_BEFORE:
        flash(_("You are answering before the tasting. Your answers are linked to your "
                "registration, so they can be compared with your answers afterwards "
                "(never by name)."), "info")
    else:
        flash(_("You are answering after the tasting. Your answers are linked to your "
                "registration, so they can be compared with your answers before it "
                "(never by name)."), "info")
    return redirect(url_for("consultations.show", slug=slug))


@bp.get("/<slug>/edit/<token>")
def edit_link(slug: str, token: str) -> str | HTTPResponse | tuple[str, int]:
    consultation = _load(slug)
    response = responding.response_by_token(consultation, token)
    if response is None:
        return render_template("consultations/link_problem.html",
                               consultation=consultation), 404
    _remember_token(consultation, token)
    if not consultation.is_open():
        return _closed_page(consultation)
    if response.status == ResponseStatus.WITHDRAWN:
        return redirect(url_for("consultations.about_you", slug=slug))
    return redirect(url_for("consultations.review", slug=slug))


@bp.route("/<slug>/withdraw", methods=["GET", "POST"])
def withdraw(slug: str) -> str | HTTPResponse | tuple[str, int]:
    consultation = _load(slug)
    if not consultation.is_open():
        return _closed_page(consultation)
    response = _own(consultation)
    if response is None or response.status == ResponseStatus.WITHDRAWN:
        flash(_("There is no response to withdraw."), "warning")
        return redirect(url_for("consultations.show", slug=slug))
    if request.method == "POST":
        if (refusal := refused(url_for("consultations.withdraw", slug=slug))) is not None:
            return refusal
        with commit_or_show() as outcome:
            responding.withdraw(response)
        if outcome.ok:
            flash(_("Your response has been withdrawn. It is not counted or published."),
                  "success")
        return redirect(url_for("consultations.show", slug=slug))
    return render_template("consultations/withdraw.html", consultation=consultation,
                           response=response)


# --- published responses and report ----------------------------------------------------

@bp.get("/<slug>/responses")
def published(slug: str) -> str:
    consultation = _load(slug)
    search = request.args.get("q", "")[:100]
    category = request.args.get("category", "")
    found = results.published_responses(consultation, search, category, page_arg(),
                                        size_arg())
    rows = found.items
    texts = results.approved_texts([r.id for r in rows])
    return render_template(
        "consultations/responses.html", consultation=consultation, rows=rows, page=found,
        texts=texts, search=search, category=category,
        categories=CATEGORY_LABELS, with_name=PublicationConsent.PUBLISH_WITH_NAME,
    )


@bp.get("/<slug>/report")
def report(slug: str) -> str:
    consultation = _load(slug)
    if consultation.status != ConsultationStatus.REPORT_PUBLISHED and not _is_official():
        abort(404)
    locale = _locale()
    return render_template(
        "consultations/report.html", consultation=consultation,
        summary=markdown_to_html(consultation.report_summary(locale)),
        outcome=markdown_to_html(consultation.report_outcome(locale)),
        counts=results.response_counts(consultation, public=True),
        results=results.results(consultation, public=True),
        categories=CATEGORY_LABELS, principles=catalogue.principles(),
    )
