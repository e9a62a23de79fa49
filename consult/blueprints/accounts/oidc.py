"""Logging in through an OpenID Connect provider: the start and the callback.

`/account/oidc/<name>/start` keeps a fresh state, nonce and PKCE code verifier in the
session and sends the person to the provider; `/account/oidc/<name>/callback` takes
them out again (once: a replayed answer finds nothing), checks the state, exchanges the
code and verifies the ID token (services/accounts/oidc_protocol.py), then finds, links or
creates the account (services/accounts/oidc.py) and logs the person in. Every failure
shows a page that says what happened, in the person's language, and is logged with its
kind and reason only: no subject, address, code or token.
"""

from __future__ import annotations

import logging
import secrets
import time
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from consult.services.accounts import oidc as oidc_accounts
from consult.services.accounts import oidc_protocol
from consult.services.accounts.oidc_protocol import OidcFailure
from consult.services.accounts.oidc_providers import (
    Provider,
    configured_providers,
    provider_named,
)

from ...extensions import db, limiter
from ...i18n import select_locale
from ...models import User
from ...security import is_safe_redirect
from .views import _per_ip, bp

log = logging.getLogger(__name__)

#: Where the pending login waits in the session between start and callback.
PENDING_KEY = "oidc_pending"
#: A login not finished within this many seconds must be started again.
PENDING_SECONDS = 600


@bp.context_processor
def _login_buttons() -> dict[str, Any]:
    """The "Log in with ..." buttons of the accounts pages: (name, label) per provider."""
    locale = select_locale()
    return {
        "oidc_providers": [
            (provider.name, provider.label(locale))
            for provider in configured_providers().values()
        ]
    }


def _provider_or_404(name: str) -> Provider:
    provider = provider_named(name)
    if provider is None:
        abort(404)
    return provider


def _redirect_uri(provider: Provider) -> str:
    path = url_for("accounts.oidc_callback", provider=provider.name)
    base = current_app.config.get("BASE_URL")
    if base:
        return str(base).rstrip("/") + path
    return url_for("accounts.oidc_callback", provider=provider.name, _external=True)


def _messages(label: str) -> dict[str, tuple[str, int]]:
    return {
        "unavailable": (_("We could not reach %(provider)s. Try again in a few minutes, or "
                          "log in with your email address and password.", provider=label), 502),
        "denied": (_("Logging in at %(provider)s was cancelled or refused, so you are not "
                     "logged in here. Nothing was changed.", provider=label), 400),
        "state": (_("This answer from %(provider)s does not belong to a login started in "
                    "this browser, it was used already, or the login took too long. "
                    "Please start again.", provider=label), 400),
        "token": (_("%(provider)s sent an answer we could not verify, so you are not logged "
                    "in. Please start again; if it keeps happening, let us know.",
                    provider=label), 400),
        "email": (_("%(provider)s did not give us a confirmed email address, and a new "
                    "account needs one. Allow %(provider)s to share your email address, or "
                    "create an account with your email address and a password.",
                    provider=label), 400),
        "conflict": (_("Your account here is linked to another login at %(provider)s. Log "
                       "in with that one, or with your email address and password.",
                       provider=label), 400),
    }


def _problem(provider: Provider, failure: OidcFailure) -> tuple[str, int]:
    log.warning("oidc login failed: provider=%s kind=%s reason=%s",
                provider.name, failure.kind, failure.reason)
    label = provider.label(select_locale())
    message, status = _messages(label).get(failure.kind, _messages(label)["token"])
    page = render_template("accounts/oidc_problem.html", provider=provider, label=label,
                           message=message)
    return page, status


@bp.get("/oidc/<provider>/start")
@limiter.limit(_per_ip)
def oidc_start(provider: str) -> Response | tuple[str, int]:
    chosen = _provider_or_404(provider)
    next_url = request.args.get("next")
    try:
        started = oidc_protocol.begin(chosen, _redirect_uri(chosen), select_locale())
    except OidcFailure as failure:
        return _problem(chosen, failure)
    session[PENDING_KEY] = {
        "provider": chosen.name,
        "state": started.state,
        "nonce": started.nonce,
        "verifier": started.code_verifier,
        "next": next_url if next_url and is_safe_redirect(next_url) else None,
        "at": int(time.time()),
    }
    return redirect(started.url)


def _check_answer(provider: Provider, pending: object) -> dict[str, Any]:
    """The pending login this answer belongs to; an OidcFailure when there is none."""
    error = request.args.get("error")
    if error is not None:
        code = error if error.isascii() and error.replace("_", "").isalpha() else "other"
        raise OidcFailure("denied", f"provider answered error={code[:40]}")
    if not isinstance(pending, dict) or pending.get("provider") != provider.name:
        raise OidcFailure("state", "no login pending for this provider")
    if not secrets.compare_digest(str(pending.get("state", "")), request.args.get("state", "")):
        raise OidcFailure("state", "state does not match")
    if time.time() - int(pending.get("at", 0)) > PENDING_SECONDS:
        raise OidcFailure("state", "login pending too long")
    if not request.args.get("code"):
        raise OidcFailure("denied", "no code in the answer")
    return pending


def _sign_in(provider: Provider, claims: dict[str, Any]) -> User:
    """Find, link or create the account and commit; a second try when another request
    made the same first login at the same moment (the link's unique key refused ours)."""
    for attempt in (1, 2):
        try:
            user = oidc_accounts.sign_in(provider, claims, select_locale())
            db.session.commit()
            return user
        except IntegrityError:
            db.session.rollback()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


@bp.get("/oidc/<provider>/callback")
@limiter.limit(_per_ip)
def oidc_callback(provider: str) -> Response | tuple[str, int]:
    chosen = _provider_or_404(provider)
    pending = session.pop(PENDING_KEY, None)  # an answer is taken once
    try:
        login = _check_answer(chosen, pending)
        claims = oidc_protocol.finish(
            chosen, _redirect_uri(chosen), request.args["code"],
            str(login["verifier"]), str(login["nonce"]),
        )
        user = _sign_in(chosen, claims)
    except OidcFailure as failure:
        db.session.rollback()
        return _problem(chosen, failure)
    login_user(user)
    log.info("oidc login: provider=%s", chosen.name)
    flash(_("You are logged in."), "success")
    return redirect(login.get("next") or url_for("accounts.overview"))
