"""Follow a topic, a consultation or the tastings by mail, with or without an account.

The forms sit on the topic's consultations list and the events list
(templates/follow/_form.html); the consultation page, kept for every anonymous visitor,
links them to the form's own page (`start`), with no form token of its own, and has the
one-click form for an account. A mistake is shown on that page with what was typed.

The unsubscribe link in every notice needs no login: its GET shows a page with a button
(so a mail scanner that opens links unsubscribes nobody) and its POST unsubscribes, also
as RFC 8058's one-click POST sent by mail programs.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ...extensions import csrf, db, limiter
from ...i18n import select_locale
from ...services import DomainError, catalogue
from ...services.accounts.tokens import TokenExpired, TokenInvalid
from ...services.follow import subscriptions, targets
from ...services.follow.labels import TARGET_LABELS
from ..access import current_actor
from ..outcome import commit_or_show
from .forms import FollowForm, OneClickForm

bp = Blueprint("follow", __name__, url_prefix="/follow")
bp.add_app_template_global(targets.describe, "follow_target_name")
bp.add_app_template_global(lambda s, locale: targets.describe(targets.of(s), locale),
                           "follow_name")


def _ask_limit() -> str:
    return str(current_app.config.get("FOLLOW_LIMIT", "10 per minute;60 per hour"))


def _target_or_none(value: str) -> targets.Target | None:
    try:
        return targets.parse(value)
    except DomainError:
        return None


def _back(target: targets.Target) -> str:
    if target.topic is not None:
        return url_for("consultations.index", topic=target.topic.code)
    if target.consultation is not None:
        return url_for("consultations.show", slug=target.consultation.slug)
    return url_for("events.index")


@bp.get("/")
def start() -> str:
    """The form on a page of its own (also where a mistake is shown)."""
    target = _target_or_none(request.args.get("target", ""))
    if target is None:
        abort(404)
    form = FollowForm(target=target.form_value, locale=select_locale())
    return render_template("follow/subscribe.html", form=form, target=target)


@bp.post("/")
@limiter.limit(_ask_limit)
def subscribe() -> str | Response | tuple[str, int]:
    if current_user.is_authenticated:
        one_click = OneClickForm()
        if not one_click.validate_on_submit():
            abort(400)
        target = _target_or_none(one_click.target.data or "")
        if target is None:
            abort(404)
        subscription = subscriptions.follow_as(current_actor(), target)
        db.session.commit()
        if subscription.confirmed_at is not None:
            flash(_("You follow %(what)s. We mail you when there is news.",
                    what=targets.describe(target, select_locale())), "success")
        else:
            flash(_("Confirm your email address first: we have sent you a mail."), "warning")
        if request.form.get("back") == "mine":
            return redirect(url_for("follow.mine"))
        return redirect(_back(target))
    form = FollowForm()
    target = _target_or_none(form.target.data or "")
    if target is None:
        abort(404)
    if form.validate_on_submit():
        with commit_or_show(form) as outcome:
            subscriptions.ask(form.email.data or "", form.locale.data or select_locale(),
                              target)
        if outcome.ok:
            return redirect(url_for("follow.check_mail"))
    return render_template("follow/subscribe.html", form=form, target=target), 400


@bp.get("/check-your-mail")
def check_mail() -> str:
    return render_template("follow/check_mail.html",
                           hours=current_app.config["FOLLOW_CONFIRM_HOURS"])


@bp.get("/confirm/<token>")
def confirm(token: str) -> str | tuple[str, int]:
    try:
        subscription = subscriptions.confirm(token)
    except TokenExpired:
        problem = _("This confirmation link has expired. Ask again on the page you wanted "
                    "to follow: we will send you a new link.")
    except TokenInvalid:
        problem = _("This confirmation link is not valid. Copy the whole link from the "
                    "mail, or ask again on the page you wanted to follow.")
    except subscriptions.LinkUsed:
        problem = _("This confirmation link was used already: you follow this.")
    else:
        db.session.commit()
        target = targets.of(subscription)
        return render_template("follow/confirmed.html", target=target, back=_back(target))
    return render_template("follow/link_problem.html", problem=problem), 400


@csrf.exempt  # deliberately: see `unsubscribe`
@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str) -> str | tuple[str, int]:
    """GET: a page with a button. POST: unsubscribe, without login or CSRF token.

    This one endpoint is exempt from CSRF protection on purpose: RFC 8058 has mail
    programs POST `List-Unsubscribe=One-Click` to this URL with no cookie and no form
    token. The secret in the URL (unguessable, one per subscription) is what authorises
    the act, and the only act is to stop mails to the address the link was sent to,
    which a forged request could not turn to anyone's harm.
    """
    subscription = subscriptions.by_unsubscribe_token(token)
    if subscription is None:
        return render_template("follow/unsubscribed.html", removed=0), 404
    if request.method == "GET":
        return render_template("follow/unsubscribe.html", subscription=subscription,
                               target=targets.of(subscription), token=token)
    everything = request.form.get("everything") == "yes"
    removed = subscriptions.unsubscribe(subscription, everything=everything)
    db.session.commit()
    return render_template("follow/unsubscribed.html", removed=removed)


@bp.get("/mine")
@login_required
def mine() -> str:
    """What the person follows, and one-click buttons for the topics and the tastings."""
    own = subscriptions.of_user(current_actor())
    followed = {s.target_key for s in own}
    return render_template("follow/mine.html", subscriptions=own, followed=followed,
                           topics=catalogue.topics(), target_labels=TARGET_LABELS)


@bp.post("/mine/<int:subscription_id>/stop")
@login_required
def stop(subscription_id: int) -> Response:
    form = OneClickForm()
    if not form.validate_on_submit():
        abort(400)
    if not subscriptions.unfollow_as(current_actor(), subscription_id):
        abort(404)
    db.session.commit()
    flash(_("You no longer follow this."), "success")
    return redirect(url_for("follow.mine"))
