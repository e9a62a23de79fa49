"""Accounts: registering, confirming, logging in and out, passwords and email changes.

Every path that could tell whether an address has an account gives the same answer in
about the same time: logging in with an unknown address still costs one password check,
registering an address that is taken costs one (and sends its owner a mail instead of an
error), and a reset request hands the address to a background job without looking it up.
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from consult.extensions import db
from consult.mail import links_outside_a_request, render_mail, send_mail
from consult.models import Role, User, utcnow
from consult.services import DomainError, audit, raise_all
from consult.services.accounts.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from consult.services.accounts.tokens import TokenInvalid, fingerprint, make_token, read_token

#: After this many wrong passwords in a row the account is locked for LOCK_MINUTES.
LOCK_AFTER_FAILURES = 10
LOCK_MINUTES = 15


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(
        select(User).where(func.lower(User.email) == normalise_email(email))
    )


def _check_password_rule(password: str, email: str, name: str | None = None) -> None:
    problem = password_problem(password, email, name)
    if problem is not None:
        raise DomainError(problem, field="password")


def create_user(
    email: str, password: str, role: Role = Role.CITIZEN, *, confirmed: bool = False,
    locale: str | None = None,
) -> User:
    email = normalise_email(email)
    _check_password_rule(password, email)
    if find_by_email(email) is not None:
        raise DomainError(_l("An account with this email address exists already."), "email")
    user = User(
        email=email,
        password_hash=hash_password(password),
        role=role,
        locale=locale,
        confirmed_at=utcnow() if confirmed else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def register(email: str, password: str, locale: str) -> User | None:
    """Register a new citizen and mail a confirmation link.

    When the address has an account already, its owner gets a mail saying so (with a
    reset link) and None is returned: the person on the page sees the same answer.
    """
    email = normalise_email(email)
    _check_password_rule(password, email)
    existing = find_by_email(email)
    if existing is not None:
        verify_password(None, password)  # the same cost as hashing a new password
        send_mail(existing.email, "account_exists", existing.locale or locale)
        return None
    user = create_user(email, password, locale=locale)
    send_confirmation(user)
    return user


def send_confirmation(user: User) -> None:
    token = make_token("confirm", {"uid": user.id, "email": user.email})
    send_mail(user.email, "confirm_email", user.locale or "nl", token=token)


def confirm_email(token: str) -> User:
    data = read_token("confirm", token)
    user = db.session.get(User, data.get("uid"))
    if user is None or user.email != data.get("email"):
        raise TokenInvalid("confirm")
    if user.confirmed_at is None:
        user.confirmed_at = utcnow()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user with this email and password, or None; locks after repeated failures."""
    user = find_by_email(email)
    now = utcnow()
    if user is not None and user.locked_until is not None and user.locked_until > now:
        verify_password(None, password)
        return None
    if not verify_password(user.password_hash if user else None, password) or user is None:
        if user is not None:
            _count_failure(user)
        return None
    user.failed_logins = 0
    user.locked_until = None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def _count_failure(user: User) -> None:
    user.failed_logins += 1
    if user.failed_logins >= LOCK_AFTER_FAILURES:
        user.failed_logins = 0
        user.locked_until = utcnow() + timedelta(minutes=LOCK_MINUTES)
        send_mail(user.email, "account_locked", user.locale or "nl", minutes=LOCK_MINUTES)
        audit.record(None, "account.locked", user)


def end_sessions(user: User) -> None:
    """Log out everywhere: every session cookie made before this is refused."""
    user.session_version += 1


#: The background task that mails a reset link. The view hands every address to it
#: without looking it up, so the request does the same thing for every address: neither
#: the database, the password hasher nor a slow mail server can make a known address
#: answer faster or slower than an unknown one.
RESET_MAIL_TASK = "consult.services.accounts.auth.mail_reset_link"


def mail_reset_link(email: str, locale: str, link_base: str) -> None:
    """Mail a reset link when the address has an account, else nothing (a background job).

    `link_base` is where the request came in; links start there unless BASE_URL is set.

    An unknown address costs the job the same work (a token and the mail's text, sent to
    nobody): without Redis the job runs in a thread beside the request, and must not
    slow a known address's answer more than an unknown one's.
    """
    user = find_by_email(email)
    uid, password_hash = (user.id, user.password_hash) if user else (0, "")
    token = make_token("reset", {"uid": uid, "pw": fingerprint(password_hash)})
    with links_outside_a_request(link_base):
        if user is None:
            render_mail("reset_password", locale, token=token)
            return
        send_mail(user.email, "reset_password", user.locale or locale, token=token)


def user_for_reset_token(token: str) -> User:
    data = read_token("reset", token)
    user = db.session.get(User, data.get("uid"))
    if user is None or fingerprint(user.password_hash) != data.get("pw"):
        raise TokenInvalid("reset")  # used already, or the password changed since
    return user


def reset_password(token: str, new_password: str) -> User:
    user = user_for_reset_token(token)
    _set_password(user, new_password)
    if user.confirmed_at is None:
        user.confirmed_at = utcnow()  # the reset link proved the address
    user.failed_logins = 0
    user.locked_until = None
    return user


def _set_password(user: User, new_password: str) -> None:
    _check_password_rule(new_password, user.email, user.display_name)
    user.password_hash = hash_password(new_password)
    end_sessions(user)


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Both checks are made, so a wrong current password and a weak new one are shown
    together."""
    problems = []
    if not verify_password(user.password_hash, current_password):
        problems.append(DomainError(_l("Your current password is not correct."),
                                    "current_password"))
    problem = password_problem(new_password, user.email, user.display_name)
    if problem is not None:
        problems.append(DomainError(problem, "password"))
    raise_all(problems)
    _set_password(user, new_password)
    send_mail(user.email, "password_changed", user.locale or "nl")


def request_email_change(user: User, new_email: str, password: str) -> None:
    if not verify_password(user.password_hash, password):
        raise DomainError(_l("Your current password is not correct."), "password")
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise DomainError(_l("This is your current email address."), "email")
    if find_by_email(new_email) is not None:
        # Say nothing that reveals the other account; its owner hears of it instead.
        send_mail(new_email, "account_exists", user.locale or "nl")
        return
    token = make_token("email", {"uid": user.id, "old": user.email, "new": new_email})
    send_mail(new_email, "confirm_new_email", user.locale or "nl", token=token)


def confirm_email_change(token: str) -> User:
    data = read_token("email", token)
    user = db.session.get(User, data.get("uid"))
    if user is None or user.email != data.get("old"):
        raise TokenInvalid("email")
    new_email = str(data.get("new"))
    if find_by_email(new_email) is not None:
        raise DomainError(_l("An account with this email address exists already."), "email")
    old_email = user.email
    user.email = new_email
    user.confirmed_at = utcnow()
    end_sessions(user)
    send_mail(old_email, "email_changed", user.locale or "nl", new_email=new_email)
    return user


def load_session_user(session_id: str) -> User | None:
    """The user for a session id "<id>:<version>", if that session is still valid."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version):
        return None
    return user
