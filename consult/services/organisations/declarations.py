"""Declaring an organisation: the rules of each field, and the declaration itself.

A declaration names the organisation, its type, a KvK number (exactly 8 digits) or an
EU Transparency Register id (digits, a hyphen and two digits, as the register writes
them: 1234567890123-45), its website (an http or https address) and what it has at
stake. Declaring asks the officials to verify it; until then its name is not published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from consult.extensions import db
from consult.models import Organisation, RespondentCategory, User, VerificationStatus
from consult.services import DomainError, audit

NAME_MAX = 200
WEBSITE_MAX = 300
INTEREST_MAX = 2000
KVK = re.compile(r"[0-9]{8}")
REGISTER_ID = re.compile(r"[0-9]{4,13}-[0-9]{2}")


@dataclass
class Declaration:
    name: str = ""
    kind: str = ""
    kvk_number: str = ""
    register_id: str = ""
    website: str = ""
    declared_interest: str = ""


def normalise_kvk(value: str) -> str:
    """A KvK number as typed, without the spaces and dots people write in it."""
    return re.sub(r"[\s.]", "", value)


def _website_error(value: str) -> Any | None:
    parts = urlsplit(value)
    host = parts.hostname or ""
    if (parts.scheme not in ("http", "https") or "." not in host or " " in value
            or host.startswith(".") or host.endswith(".")):
        return _l("Enter the full address of the website, starting with https:// or "
                  "http://, like https://www.example.nl.")
    if len(value) > WEBSITE_MAX:
        return _l("Use at most %(max)d characters.", max=WEBSITE_MAX)
    return None


def check(declaration: Declaration) -> dict[str, Any]:
    """The mistakes in a declaration, by field name (empty when there are none)."""
    errors: dict[str, Any] = {}
    name = declaration.name.strip()
    if not name:
        errors["name"] = _l("Enter the name of the organisation.")
    elif len(name) > NAME_MAX:
        errors["name"] = _l("Use at most %(max)d characters.", max=NAME_MAX)
    if declaration.kind not in {k.value for k in RespondentCategory} - {"citizen"}:
        errors["kind"] = _l("Choose the type of organisation.")
    kvk = normalise_kvk(declaration.kvk_number)
    register_id = declaration.register_id.strip()
    if kvk and not KVK.fullmatch(kvk):
        errors["kvk_number"] = _l("A KvK number has exactly 8 digits, like 12345678. "
                                  "You typed %(n)d digits.",
                                  n=sum(c.isdigit() for c in kvk))
    if register_id and not REGISTER_ID.fullmatch(register_id):
        errors["register_id"] = _l(
            "A Transparency Register id is written as digits, a hyphen and two digits, "
            "like 1234567890123-45.")
    if not kvk and not register_id:
        errors["kvk_number"] = _l("Enter a KvK number or an EU Transparency Register id.")
    website = declaration.website.strip()
    if not website:
        errors["website"] = _l("Enter the address of the organisation's website.")
    elif (problem := _website_error(website)) is not None:
        errors["website"] = problem
    interest = declaration.declared_interest.strip()
    if not interest:
        errors["declared_interest"] = _l("Say what your organisation has at stake.")
    elif len(interest) > INTEREST_MAX:
        errors["declared_interest"] = _l("Use at most %(max)d characters.", max=INTEREST_MAX)
    return errors


def declare(user: User, declaration: Declaration) -> Organisation:
    """Record the declaration of `user` and ask the officials to verify it."""
    errors = check(declaration)
    if errors:
        field, message = next(iter(errors.items()))
        raise DomainError(message, field)
    organisation = Organisation(
        name=declaration.name.strip(), kind=RespondentCategory(declaration.kind),
        kvk_number=normalise_kvk(declaration.kvk_number) or None,
        register_id=declaration.register_id.strip() or None,
        website=declaration.website.strip(),
        declared_interest=declaration.declared_interest.strip(),
        status=VerificationStatus.PENDING, requested_by_id=user.id,
    )
    db.session.add(organisation)
    db.session.flush()
    audit.record(user, "organisation.requested", organisation)
    return organisation


def declared_by(user: User | None) -> list[Organisation]:
    """The organisations `user` declared, by name (none without an account)."""
    if user is None:
        return []
    return list(db.session.scalars(
        select(Organisation).where(Organisation.requested_by_id == user.id)
        .order_by(Organisation.name, Organisation.id)))
