"""Languages: which locale a request gets, and formatting per locale.

The locale is, in order: the person's saved preference (when logged in), an explicit
choice (`?lang=` on any URL, remembered in the session), the browser's Accept-Language,
then Dutch. Choosing a language while logged in also saves it as the preference, so the
switch always does what it says.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask import Flask, current_app, flash, g, has_request_context, request, session
from flask_babel import get_locale, get_timezone, get_translations, to_user_timezone
from flask_babel import lazy_gettext as _l
from flask_login import current_user, user_logged_in
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from .extensions import babel, db

LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}


def languages() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def select_locale() -> str:
    if not has_request_context():
        return str(current_app.config["BABEL_DEFAULT_LOCALE"])
    explicit = g.get("explicit_locale")
    if explicit:
        return str(explicit)
    user_locale = getattr(current_user, "locale", None) if current_user else None
    if user_locale in languages():
        return str(user_locale)
    if session.get("lang") in languages():
        return str(session["lang"])
    return request.accept_languages.best_match(languages()) or languages()[0]


def apply_language_choice() -> None:
    """Handle `?lang=xx`: remember a known language, explain an unknown one."""
    code = request.args.get("lang")
    if code is None:
        return
    code = code.strip().lower()
    if code in languages():
        session["lang"] = code
        g.explicit_locale = code
        if current_user and current_user.is_authenticated and current_user.locale != code:
            current_user.locale = code
            db.session.commit()
    else:
        flash(
            _l("That language is not available. Choose Nederlands or English."),
            "warning",
        )


#: The regional format each language is written in: English pages use British
#: conventions (19 December 2026, 18:00), not Babel's default US ones.
FORMAT_LOCALES = {"nl": "nl_NL", "en": "en_GB"}


def adopt_chosen_language(_app: Flask, user: Any, **_extra: Any) -> None:
    """On login, a language chosen on this visit becomes the account's: someone who
    switched to English on the login page must not land on Dutch pages (the account's
    language otherwise wins, see select_locale)."""
    chosen = session.get("lang")
    if chosen in languages() and getattr(user, "locale", chosen) != chosen:
        user.locale = chosen
        db.session.commit()


def format_locale() -> str:
    language = str(get_locale() or "nl")
    return FORMAT_LOCALES.get(language, language)


def local_number(value: float | int | None) -> str:
    """A number in the reader's locale: 4,1 on Dutch pages, 4.1 on English ones."""
    if value is None:
        return ""
    return babel_numbers.format_decimal(value, locale=format_locale())


def local_percent(value: float | None) -> str:
    if value is None:
        return ""
    return babel_numbers.format_percent(value, locale=format_locale())


def local_datetime(value: datetime | None, fmt: str = "medium") -> str:
    """A date and time in Europe/Amsterdam, worded per locale, to the minute.

    "short" is the short form (19-12-2026 18:00); "medium" and "long" give the date in
    words with the time ("19 december 2026, 18:00"); "full" adds the weekday. No
    seconds and no UTC offset: people read local time, on a 24-hour clock.
    """
    if value is None:
        return ""
    locale = format_locale()
    if fmt == "short":
        return babel_dates.format_datetime(value, "short", tzinfo=get_timezone(),
                                           locale=locale)
    local = to_user_timezone(value)
    date_part = babel_dates.format_date(local, "full" if fmt == "full" else "long",
                                        locale=locale)
    return f"{date_part}, {babel_dates.format_time(local, 'short', locale=locale)}"


def local_timespan(start: datetime | None, end: datetime | None) -> str:
    """From start to end: "zaterdag 19 december 2026, 18:00–20:30" on one day,
    both dates in full when the span crosses midnight."""
    if start is None or end is None:
        return local_datetime(start or end, "full")
    first, last = to_user_timezone(start), to_user_timezone(end)
    if first.date() != last.date():
        return f"{local_datetime(start, 'full')} – {local_datetime(end, 'full')}"
    locale = format_locale()
    return "{}, {}–{}".format(
        babel_dates.format_date(first, "full", locale=locale),
        babel_dates.format_time(first, "short", locale=locale),
        babel_dates.format_time(last, "short", locale=locale),
    )


def local_date(value: datetime | None, fmt: str = "long") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_user_timezone(value)
    return babel_dates.format_date(value, fmt, locale=format_locale())


def time_element(value: datetime | None, fmt: str = "medium") -> Markup:
    """A <time> element with a machine-readable value and the local, localised text."""
    if value is None:
        return Markup("")
    return Markup('<time datetime="{}">{}</time>').format(
        value.isoformat(timespec="seconds"), local_datetime(value, fmt)
    )


def url_with_lang(code: str) -> str:
    args = request.args.to_dict()
    args["lang"] = code
    from urllib.parse import urlencode

    return request.path + "?" + urlencode(args)


def request_translations() -> Any:
    """Flask-Babel's translations for the request's locale, looked up once per request
    and locale. Its own `get_translations` walks the request context and names the
    locale again on every call, and a page's template makes a few hundred; the copy is
    kept with the locale object it belongs to, so `force_locale` (a mail in the other
    language) and a language switch (`refresh`, which makes a new locale) get theirs."""
    state = g.get("_flask_babel") if g else None
    locale = getattr(state, "babel_locale", None)
    if locale is None:
        return get_translations()
    kept = getattr(state, "consult_translations", None)
    if kept is None or kept[0] is not locale:
        kept = (locale, get_translations())
        state.consult_translations = kept  # type: ignore[union-attr]
    return kept[1]


@pass_context
def template_gettext(context: Context, string: str, **variables: Any) -> str:
    """Jinja's newstyle gettext: the translation, escaped as markup when the template
    autoescapes, formatted with `variables` (`%(name)s`). A string without variables
    and without a % sign is returned as it is, which is what formatting it would give."""
    found: str = request_translations().ugettext(string)
    if context.eval_ctx.autoescape:
        found = Markup(found)  # noqa: S704 - our own catalogue, as in Jinja's gettext
    if variables or "%" in found:
        found = found % variables
    return found


def template_globals() -> dict[str, Any]:
    locale = str(get_locale() or "nl")
    return {
        "current_locale": locale,
        "other_languages": [(c, LANGUAGE_NAMES[c]) for c in languages() if c != locale],
        "url_with_lang": url_with_lang,
        "organisation_name": organisation_name(locale),
    }


def lang_attr(row: Any, name: str) -> Markup:
    """` lang="nl"` when a bilingual row's text `name` is shown in its other language (it
    was not given in this one), else nothing: the page marks what is not in its language.
    A template global, so macros imported without context can use it too."""
    locale = str(get_locale() or "nl")
    shown = row.shown_language(name, locale)
    return Markup(' lang="%s"') % shown if shown != locale else Markup("")


#: The checkout's root (translations/ lives there); computed here, not imported from the
#: package, so the services may format numbers without importing the app factory.
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def organisation_name(locale: str) -> str:
    """The organisation's name in the page's language (config ORGANISATION_NAME[_EN])."""
    if locale == "en" and current_app.config.get("ORGANISATION_NAME_EN"):
        return str(current_app.config["ORGANISATION_NAME_EN"])
    return str(current_app.config["ORGANISATION_NAME"])


def init_app(app: Flask) -> None:
    app.config.setdefault(
        "BABEL_TRANSLATION_DIRECTORIES", os.path.join(ROOT, "translations")
    )
    babel.init_app(app, locale_selector=select_locale)
    app.before_request(apply_language_choice)
    user_logged_in.connect(adopt_chosen_language, app)
    app.context_processor(template_globals)
    app.jinja_env.filters.update(
        datetime=local_datetime,
        date=local_date,
        timespan=local_timespan,
        time_element=time_element,
        number=local_number,
        percent=local_percent,
    )
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    # `_` and `gettext` straight to the translation (Jinja's `_` goes through an alias
    # and a wrapper that formats every string, a few microseconds a call, a few
    # hundred calls a page); same result as Jinja's newstyle gettext.
    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext)
    app.jinja_env.globals["lang_attr"] = lang_attr
