"""Accounts for people who log in through an OpenID Connect provider.

The first login through a provider links its subject (`sub`) to an account: the account
with the provider's verified email address (`email_verified` true), or a new confirmed
citizen account with that address. Every later login finds the account by (provider,
subject) alone, so a changed address at the provider changes nothing here. Without a
verified address a first login is refused: nobody could reach the account by mail.

An account that was never confirmed gets a new random password when it is linked: its
password was never shown to belong to the address's owner (someone may have registered
the address first, waiting for its owner), and its sessions end.

`signed_in_through_verified_route(user)` tells whether the person has logged in through
a provider that vouches for organisations (`verifies_organisations`, eHerkenning): the
organisations' profiles read it to show an organisation's name as verified.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from sqlalchemy import select

from consult.extensions import db
from consult.models import OidcLink, Organisation, Role, User, utcnow
from consult.services import audit
from consult.services.accounts.auth import end_sessions, find_by_email, normalise_email
from consult.services.accounts.oidc_protocol import OidcFailure
from consult.services.accounts.oidc_providers import Provider
from consult.services.accounts.passwords import hash_password
from consult.services.organisations import verification

MAX_EMAIL_LENGTH = 254
MAX_SUBJECT_LENGTH = 255


def _subject(claims: dict[str, Any]) -> str:
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject or len(subject) > MAX_SUBJECT_LENGTH:
        raise OidcFailure("token", "id_token: unusable sub")
    return subject


def verified_email(claims: dict[str, Any]) -> str | None:
    """The email address the provider vouches for, or None."""
    email = claims.get("email")
    if claims.get("email_verified") is not True or not isinstance(email, str):
        return None
    email = normalise_email(email)
    local, _, domain = email.partition("@")
    if not local or "." not in domain or len(email) > MAX_EMAIL_LENGTH or " " in email:
        return None
    return email


def _unusable_password() -> str:
    """A hash of a random password nobody knows ("forgot password" sets a real one)."""
    return hash_password(secrets.token_urlsafe(32))


def _account_for_first_login(provider: Provider, claims: dict[str, Any], locale: str) -> User:
    email = verified_email(claims)
    if email is None:
        raise OidcFailure("email", "no verified email on a first login")
    user = find_by_email(email)
    if user is None:
        user = User(email=email, password_hash=_unusable_password(), role=Role.CITIZEN,
                    locale=locale, confirmed_at=utcnow())
        db.session.add(user)
        db.session.flush()
        audit.record(user, "account.created_oidc", user, provider=provider.label("en"))
        return user
    taken = db.session.scalar(
        select(OidcLink.id).where(OidcLink.user_id == user.id, OidcLink.provider == provider.name)
    )
    if taken is not None:
        raise OidcFailure("conflict", "account linked to another subject of this provider")
    if user.confirmed_at is None:
        user.password_hash = _unusable_password()
        end_sessions(user)
        user.confirmed_at = utcnow()
    audit.record(user, "account.oidc_linked", user, provider=provider.label("en"))
    return user


def sign_in(provider: Provider, claims: dict[str, Any], locale: str) -> User:
    """The account for these verified ID token claims, linked on the first login."""
    subject = _subject(claims)
    link = db.session.scalar(
        select(OidcLink).where(OidcLink.provider == provider.name, OidcLink.subject == subject)
    )
    if link is None:
        user = _account_for_first_login(provider, claims, locale)
        link = OidcLink(user_id=user.id, provider=provider.name, subject=subject)
        db.session.add(link)
    now = utcnow()
    link.last_login_at = now
    link.verified_route = provider.verifies_organisations
    if provider.verifies_organisations:
        link.verified_at = now
    db.session.flush()
    account = db.session.get(User, link.user_id)
    assert account is not None
    if provider.verifies_organisations:
        _verify_vouched_organisations(provider, claims, account)
    return account


def _verify_vouched_organisations(provider: Provider, claims: dict[str, Any],
                                  user: User) -> None:
    """An eHerkenning-like provider vouches for one company, by its KvK number: the
    organisations with that number that this person declared count as verified."""
    kvk = claims.get(provider.kvk_claim)
    if not isinstance(kvk, str) or not re.fullmatch(r"\d{8}", kvk.strip()):
        return
    for organisation in db.session.scalars(
        select(Organisation).where(Organisation.requested_by_id == user.id,
                                   Organisation.kvk_number == kvk.strip())
    ):
        verification.mark_verified_by_route(organisation, provider.name)


def signed_in_through_verified_route(user: User) -> bool:
    """Whether the person has logged in through a provider that vouches for organisations."""
    return db.session.scalar(
        select(OidcLink.id).where(OidcLink.user_id == user.id, OidcLink.verified_route.is_(True))
    ) is not None


def links_of(user: User) -> list[OidcLink]:
    return list(db.session.scalars(
        select(OidcLink).where(OidcLink.user_id == user.id).order_by(OidcLink.created_at)
    ))
