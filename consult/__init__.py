"""Consult: the Flask application for the societal dialogue on biotechnology."""

from __future__ import annotations

import logging
import os
from typing import Any

from flask import Flask

__version__ = "0.1.0"

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _forget_cached_request_state() -> None:
    """Start each request with no cached locale or user.

    Flask reuses an application context that is already pushed (as tests do), and the
    per-request caches of Flask-Babel and Flask-Login live on `g`; clearing them keeps
    one request from seeing the language or the user of the one before.

    A request whose session holds no user is anonymous from the start: Flask-Login
    would otherwise, on the first look at `current_user`, still hash the visitor's
    address and browser (its session protection) and look for a remember-me cookie,
    which Consult never sets.
    """
    from flask import g, session
    from flask_babel import refresh

    from .extensions import login_manager

    g.pop("_login_user", None)
    g.pop("explicit_locale", None)
    refresh()
    if "_user_id" not in session:
        g._login_user = login_manager.anonymous_user()


def _register_privacy_areas() -> None:
    """What each area holds about a person, in order: the account area first (erased last)."""
    from .services import outbox_privacy, privacy
    from .services.consultations import privacy as consultations_privacy
    from .services.events import retention as events_privacy
    from .services.follow import subscriptions as follow_privacy

    privacy.register_areas([privacy.ACCOUNT_AREA, outbox_privacy.AREA, events_privacy.AREA,
                            consultations_privacy.AREA, follow_privacy.AREA])


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, commands."""
    from . import commands, errors, i18n, log_redaction, mail_delivery, models, security  # noqa: F401 - models fill the metadata
    from .config import load_config
    from .database import init_database
    from .extensions import csrf, limiter, login_manager, migrate

    app = Flask(
        __name__,
        instance_path=os.environ.get("CONSULT_INSTANCE_PATH") or os.path.join(ROOT, "instance"),
        instance_relative_config=True,
        template_folder=os.path.join(ROOT, "templates"),
    )
    load_config(app, test_config)
    app.jinja_env.add_extension("jinja2.ext.do")
    from .sanitize import markdown_to_html

    app.jinja_env.filters["markdown"] = markdown_to_html  # organisers' long texts
    logging.basicConfig(level=logging.INFO)
    log_redaction.install()  # no email addresses or link tokens in any log line

    db = init_database(app)
    migrate.init_app(app, db, directory=os.path.join(ROOT, "migrations"))
    # The language is chosen first, so that even a CSRF or rate-limit page speaks it.
    app.before_request(_forget_cached_request_state)
    i18n.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    mail_delivery.init_app(app)  # the outbox: mails go out after the commit

    from .blueprints.accounts import auth
    from .services.accounts.oidc_providers import parse_providers

    app.extensions["oidc_providers"] = parse_providers(app.config.get("OIDC_PROVIDERS"))
    login_manager.init_app(app)
    auth.init_login(login_manager)

    from .blueprints import register_blueprints

    register_blueprints(app)
    _register_privacy_areas()
    commands.init_app(app)
    return app
