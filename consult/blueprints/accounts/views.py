"""Account pages: register, confirm, log in and out, reset and change password or email."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from consult.services import DomainError, home
from consult.services.accounts import auth as accounts
from consult.services.accounts import labels as account_labels
from consult.services.accounts.passwords import password_problem
from consult.services.accounts.tokens import TokenExpired, TokenInvalid
from consult.services.follow.labels import TARGET_LABELS

from ... import jobs
from ...extensions import db, limiter
from ...i18n import select_locale
from ...security import is_safe_redirect
from ..access import current_actor
from ..outcome import commit_or_show
from .forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    PreferencesForm,
    RegisterForm,
    ResetPasswordForm,
)

bp = Blueprint("accounts", __name__, url_prefix="/account")

#: One answer for a wrong password and an unknown address alike.
LOGIN_FAILED = _l("The email address or password is not correct.")


def _account_key() -> str:
    return "account:" + accounts.normalise_email(request.form.get("email", ""))[:254]


def _per_account() -> str:
    return str(current_app.config["LOGIN_LIMIT_PER_ACCOUNT"])


def _per_ip() -> str:
    return str(current_app.config["LOGIN_LIMIT_PER_IP"])


def _token_problem(error: TokenInvalid) -> str:
    if isinstance(error, TokenExpired):
        return _("This link has expired. Ask for a new one below.")
    return _("This link is not valid. It may have been used already or copied incompletely.")


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_per_ip, methods=["POST"])
def register() -> str | Response:
    form = RegisterForm()
    if _valid(form, form.email.data):
        with commit_or_show(form) as outcome:
            accounts.register(form.email.data or "", form.password.data or "", select_locale())
        if outcome.ok:
            return redirect(url_for("accounts.check_mail"))
    return render_template("accounts/register.html", form=form)


@bp.get("/check-your-mail")
def check_mail() -> str:
    return render_template("accounts/check_mail.html")


@bp.get("/confirm/<token>")
def confirm(token: str) -> str | Response:
    try:
        accounts.confirm_email(token)
    except TokenInvalid as error:
        return render_template("accounts/token_problem.html", problem=_token_problem(error)), 400  # type: ignore[return-value]
    db.session.commit()
    flash(_("Your email address is confirmed. You can log in now."), "success")
    return redirect(url_for("accounts.login"))


def _valid(form: RegisterForm | ResetPasswordForm | ChangePasswordForm, email: str | None,
           name: str | None = None) -> bool:
    """The form's shape is right. When it is not, the password rule still judges a new
    password the form could read, so its message comes with the others, not after."""
    if form.validate_on_submit():
        return True
    if form.is_submitted() and form.password.data and not form.password.errors:
        problem = password_problem(form.password.data, email, name)
        if problem is not None:
            form.password.errors = [*form.password.errors, problem]
    return False


def after_login(next_url: str | None) -> str:
    """Where a person lands after logging in: an explicit, safe `next` wins, else their
    own overview (the dashboard of their role)."""
    if next_url and is_safe_redirect(next_url):
        return next_url
    return url_for("accounts.overview")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_per_ip, methods=["POST"])
@limiter.limit(_per_account, key_func=_account_key, methods=["POST"])
def login() -> str | Response:
    form = LoginForm()
    next_url = request.values.get("next")
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data or "", form.password.data or "")
        db.session.commit()  # failure counts and locks are kept
        if user is None:
            form.form_errors.append(LOGIN_FAILED)
        elif not user.is_confirmed:
            form.form_errors.append(
                _l("Confirm your email address first: follow the link in the mail we sent you.")
            )
        else:
            login_user(user)
            flash(_("You are logged in."), "success")
            return redirect(after_login(next_url))
    return render_template("accounts/login.html", form=form, next_url=next_url)


@bp.post("/logout")
@login_required
def logout() -> Response:
    accounts.end_sessions(current_actor())
    db.session.commit()
    logout_user()
    flash(_("You are logged out."), "success")
    return redirect(url_for("public.home"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(_per_ip, methods=["POST"])
@limiter.limit(_per_account, key_func=_account_key, methods=["POST"])
def forgot_password() -> str | Response:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        email = accounts.normalise_email(form.email.data or "")[:254]
        jobs.enqueue(accounts.RESET_MAIL_TASK, email, select_locale(), request.host_url)
        return redirect(url_for("accounts.check_mail", reset=1))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_per_ip, methods=["POST"])
def reset_password(token: str) -> str | Response:
    try:
        user = accounts.user_for_reset_token(token)
    except TokenInvalid as error:
        form = ForgotPasswordForm()
        return render_template(  # type: ignore[return-value]
            "accounts/forgot_password.html", form=form, problem=_token_problem(error)
        ), 400
    form = ResetPasswordForm()
    if _valid(form, user.email, user.display_name):
        with commit_or_show(form) as outcome:
            accounts.reset_password(token, form.password.data or "")
        if outcome.ok:
            flash(_("Your password is changed. Log in with your new password."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


@bp.get("/overview")
@login_required
def overview() -> str:
    """My overview: what is mine, and what my role asks of me (services/home.py)."""
    return render_template("accounts/overview.html", overview=home.overview(current_actor()),
                           role_names=account_labels.ROLE_LABELS, target_labels=TARGET_LABELS,
                           **account_labels.template_labels())


@bp.route("/", methods=["GET", "POST"])
@login_required
def settings() -> str | Response:
    form = PreferencesForm(obj=current_user, prefix="prefs")
    if form.validate_on_submit():
        current_user.display_name = form.display_name.data or None
        current_user.locale = form.locale.data
        db.session.commit()
        flash(_("Your settings are saved."), "success")
        return redirect(url_for("accounts.settings"))
    if not form.locale.data:
        form.locale.data = select_locale()
    me = current_actor()
    return render_template("accounts/settings.html", form=form,
                           responses=home.my_responses(me),
                           registrations=home.my_registrations(me))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password() -> str | Response:
    form = ChangePasswordForm()
    if _valid(form, current_actor().email, current_actor().display_name):
        with commit_or_show(form) as outcome:
            accounts.change_password(
                current_actor(),
                form.current_password.data or "",
                form.password.data or "",
            )
        if outcome.ok:
            logout_user()
            flash(_("Your password is changed. Log in with your new password."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/email", methods=["GET", "POST"])
@login_required
def change_email() -> str | Response:
    form = ChangeEmailForm()
    if form.validate_on_submit():
        with commit_or_show(form) as outcome:
            accounts.request_email_change(
                current_actor(),
                form.email.data or "",
                form.password.data or "",
            )
        if outcome.ok:
            return redirect(url_for("accounts.check_mail", email=1))
    return render_template("accounts/change_email.html", form=form)


@bp.get("/email/<token>")
def confirm_email_change(token: str) -> str | Response:
    try:
        accounts.confirm_email_change(token)
    except TokenInvalid as error:
        return render_template("accounts/token_problem.html", problem=_token_problem(error)), 400  # type: ignore[return-value]
    except DomainError as error:
        return render_template("accounts/token_problem.html", problem=error.message), 400  # type: ignore[return-value]
    db.session.commit()
    logout_user()
    flash(_("Your email address is changed. Log in with your new address."), "success")
    return redirect(url_for("accounts.login"))


from . import oidc as oidc_pages  # noqa: E402, F401 - registers its routes on bp
from . import organisations as organisation_pages  # noqa: E402, F401 - registers its routes on bp
