"""Configuration: defaults, then instance/config.py, then CONSULT_* environment variables.

`load_config(app, test_config)` applies the three layers in that order, and the test
configuration (when given) last of all. Every setting has a default that works on a
developer's machine with no setup: SQLite in instance/, mail written to instance/outbox/.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from .timezone import LOCAL_ZONE

#: When the outbox is delivered (consult/mail_delivery.py).
MAIL_DELIVERY_MODES = ("background", "after-commit", "cron")

#: Environment variables read as CONSULT_<NAME>, with the type they are parsed to.
ENV_SETTINGS: dict[str, type] = {
    "ENV": str,
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "REDIS_URL": str,
    "MAIL_SERVER": str,
    "MAIL_PORT": int,
    "MAIL_USERNAME": str,
    "MAIL_PASSWORD": str,
    "MAIL_USE_TLS": bool,
    "MAIL_USE_SSL": bool,
    "MAIL_SENDER": str,
    "MAIL_BACKEND": str,
    "MAIL_DELIVERY": str,
    "MAIL_TIMEOUT": int,
    "MAIL_MAX_ATTEMPTS": int,
    "MAIL_SENT_DAYS": int,
    "MAIL_FAILED_DAYS": int,
    "SECURITY_CONTACT": str,
    "BASE_URL": str,
    "RATELIMIT_ENABLED": bool,
    "TRUSTED_PROXIES": int,
    "UNCONFIRMED_ACCOUNT_DAYS": int,
    "DRAFT_RESPONSE_DAYS": int,
    "FOLLOW_UNCONFIRMED_DAYS": int,
    "CONTROLLER_NAME": str,
    "PRIVACY_CONTACT": str,
    "ACCESSIBILITY_CONTACT": str,
    "OIDC_PROVIDERS": list,
    "ORGANISATION_NAME": str,
    "ORGANISATION_NAME_EN": str,
    "RIBBON_COLOUR": str,
    "DESIGN_PAGE": bool,
}

#: A ribbon colour is a hex colour: #rgb or #rrggbb.
RIBBON_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message says what to set."""


def defaults(instance_path: str) -> dict[str, Any]:
    return {
        "ENV": "development",
        "SECRET_KEY": None,
        "DATABASE_URL": "sqlite:///" + os.path.join(instance_path, "consult.sqlite3"),
        "REDIS_URL": None,
        "MAIL_BACKEND": "outbox",  # "outbox" (files in instance/outbox) or "smtp"
        "MAIL_OUTBOX": os.path.join(instance_path, "outbox"),
        "MAIL_SERVER": "localhost",
        "MAIL_PORT": 25,
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
        "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": False,
        "MAIL_SENDER": "Consult <noreply@consult.example>",
        # When the outbox's rows are delivered: "background" (a job after the request's
        # commit), "after-commit" (at once, in the same thread; the tests) or "cron"
        # (only `flask --app consult mail deliver`). See consult/mail_delivery.py.
        "MAIL_DELIVERY": "background",
        "MAIL_TIMEOUT": 30,  # seconds per SMTP step; a worker's lease on a mail is 10x this
        "MAIL_MAX_ATTEMPTS": 8,  # then the mail is marked failed and an error is logged
        # Privacy: sent mails (address and template; the body is cleared when sent) are
        # deleted this many days after sending, failed ones this many days after queueing.
        "MAIL_SENT_DAYS": 7,
        "MAIL_FAILED_DAYS": 30,
        "SECURITY_CONTACT": "mailto:security@consult.example",
        "BASE_URL": None,
        "RATELIMIT_ENABLED": True,
        # How many reverse proxies in front of the app set X-Forwarded-For/-Proto/-Host.
        # 0: none; those headers are ignored (a client could forge them).
        "TRUSTED_PROXIES": 0,
        "LOGIN_LIMIT_PER_ACCOUNT": "5 per minute;20 per hour",
        "LOGIN_LIMIT_PER_IP": "20 per minute;200 per hour",
        "TOKEN_MAX_AGE_SECONDS": 2 * 24 * 3600,
        # Privacy: accounts never confirmed are deleted this many days after registering.
        "UNCONFIRMED_ACCOUNT_DAYS": 30,
        # Unsubmitted consultation responses are deleted this many days after their last change.
        "DRAFT_RESPONSE_DAYS": 30,
        # Following: the confirmation link works this long; unconfirmed subscriptions
        # are deleted this many days after they were asked for.
        "FOLLOW_CONFIRM_HOURS": 48,
        "FOLLOW_UNCONFIRMED_DAYS": 7,
        # A tasting's personal questionnaire links (in the mails and on the registration
        # page, which always shows fresh ones) work this many days.
        "SURVEY_LINK_DAYS": 180,
        # Named in the privacy and accessibility statements; empty: the organisation's
        # name (ORGANISATION_NAME, ORGANISATION_NAME_EN) in the page's language.
        "CONTROLLER_NAME": "",
        "PRIVACY_CONTACT": "privacy@consult.example",
        "ACCESSIBILITY_CONTACT": "toegankelijkheid@consult.example",
        # The organisation the site speaks for, shown in the header as its word mark beside
        # a ribbon (docs/DESIGN-SYSTEM.md). A ministry sets its own; the demo is neutral.
        # ORGANISATION_NAME_EN: the name on English pages (empty: the Dutch one).
        "ORGANISATION_NAME": "Voorbeeldorganisatie",
        "ORGANISATION_NAME_EN": "Example Organisation",
        "RIBBON_COLOUR": "#3d5a80",
        # The living design-system page /_design: on in development, off in production
        # and testing unless this is set to true.
        "DESIGN_PAGE": None,
        # OpenID Connect providers for "Log in with ..." (services/accounts/oidc_providers.py).
        "OIDC_PROVIDERS": [],
        "BABEL_DEFAULT_LOCALE": "nl",
        "BABEL_DEFAULT_TIMEZONE": LOCAL_ZONE.key,
        "LANGUAGES": ("nl", "en"),
        "MAX_CONTENT_LENGTH": 12 * 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,  # tied to the session: forms left open for hours still post
    }


def _parse(kind: type, raw: str) -> Any:
    if kind is bool:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if kind is int:
        return int(raw)
    if kind is list:
        value = json.loads(raw)
        if not isinstance(value, list):
            raise ValueError("not a JSON list")
        return value
    return raw


def from_environment(environ: dict[str, str] | os._Environ[str]) -> dict[str, Any]:
    """Settings given as CONSULT_<NAME> environment variables."""
    found: dict[str, Any] = {}
    for name, kind in ENV_SETTINGS.items():
        raw = environ.get("CONSULT_" + name)
        if raw is not None and raw != "":
            try:
                found[name] = _parse(kind, raw)
            except ValueError as exc:
                kind_name = "JSON list" if kind is list else kind.__name__
                raise ConfigError(f"CONSULT_{name} must be a {kind_name}") from exc
    return found


def _development_secret(instance_path: str) -> str:
    """A secret key made once on this machine and kept in instance/secret_key."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


def load_config(app: Flask, test_config: dict[str, Any] | None = None) -> None:
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(defaults(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_mapping(from_environment(os.environ))
    if test_config:
        app.config.from_mapping(test_config)

    if app.config["MAIL_DELIVERY"] not in MAIL_DELIVERY_MODES:
        raise ConfigError(
            "CONSULT_MAIL_DELIVERY must be one of: " + ", ".join(MAIL_DELIVERY_MODES)
        )
    if not RIBBON_COLOUR.fullmatch(str(app.config["RIBBON_COLOUR"])):
        raise ConfigError("CONSULT_RIBBON_COLOUR must be a hex colour such as #154273.")
    if not str(app.config["ORGANISATION_NAME"]).strip():
        raise ConfigError("CONSULT_ORGANISATION_NAME must not be empty.")
    if app.config["DESIGN_PAGE"] is None:
        app.config["DESIGN_PAGE"] = (app.config["ENV"] == "development"
                                     and not app.config.get("TESTING"))
    if int(app.config["TRUSTED_PROXIES"]) < 0:
        raise ConfigError("CONSULT_TRUSTED_PROXIES must be 0 or more (the number of proxies).")
    production = app.config["ENV"] == "production"
    if not app.config.get("SECRET_KEY"):
        if production:
            raise ConfigError(
                "CONSULT_SECRET_KEY is not set: production refuses to start without a secret key."
            )
        app.config["SECRET_KEY"] = _development_secret(app.instance_path)
    if production:
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config.setdefault("PREFERRED_URL_SCHEME", "https")
    if app.config["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
        # psycopg 3 is the driver for PostgreSQL.
        scheme, rest = app.config["DATABASE_URL"].split("://", 1)
        app.config["DATABASE_URL"] = "postgresql+psycopg://" + rest
    app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    # hide_parameters: SQL errors and logs never show the values (email addresses...).
    # No pool_pre_ping: it costs a round trip on every request; a pooled connection is
    # pinged only after DATABASE_PING_AFTER seconds unused (database.init_database).
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"hide_parameters": True})
    app.config.setdefault("DATABASE_PING_AFTER", 10.0)
    redis_url = app.config.get("REDIS_URL")
    app.config["RATELIMIT_STORAGE_URI"] = redis_url or "memory://"
    if redis_url:
        # A Redis that does not answer is given up on quickly; the limiter then counts
        # in memory (extensions.ResilientLimiter) instead of holding every request.
        app.config.setdefault(
            "RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 1, "socket_timeout": 1}
        )
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
