"""Demo organisations: one verified, one waiting for verification and one rejected, so the
officials' queue and the public pages show each case.

The demo citizen declares them; the demo official decides (through the services, so the
audit log has the acts). The synthetic responses that typed their names are then linked
to them: Gemeente Leiden's appear with its name, the others as "organisation (not
verified)".
"""

from __future__ import annotations

from sqlalchemy import func, select, update

from consult.extensions import db
from consult.models import Organisation, Response
from consult.services.accounts.auth import find_by_email
from consult.services.organisations import declarations, verification

from .accounts import demo_official, ensure_demo_users
from .progress import Progress

CITIZEN = "burger@consult.example"

#: (declaration, decision, reason): decision "verify", "reject" or None (waiting).
ORGANISATIONS = [
    (declarations.Declaration(
        name="Gemeente Leiden", kind="government", kvk_number="50101234",
        website="https://www.leiden.nl",
        declared_interest="De gemeente wil weten hoe inwoners denken over proeverijen van "
                          "kweekvlees in de stad, voor het eigen voedselbeleid."),
     "verify", "KvK-nummer en website gecontroleerd."),
    (declarations.Declaration(
        name="Stichting Dier & Toekomst", kind="civil_society",
        register_id="123456789012-34", website="https://dierentoekomst.example",
        declared_interest="Wij spreken voor 12.000 donateurs die minder dierenleed willen."),
     None, ""),
    (declarations.Declaration(
        name="Slagerij De Vries", kind="company", kvk_number="87654321",
        website="https://slagerijdevries.example",
        declared_interest="Een familiebedrijf dat vlees verkoopt; kweekvlees raakt onze "
                          "klanten."),
     "reject", "Het KvK-nummer hoort bij een ander bedrijf."),
]


def organisations_demo_step(_progress: Progress) -> list[str]:
    citizen = find_by_email(CITIZEN)
    if citizen is None:
        ensure_demo_users()
        citizen = find_by_email(CITIZEN)
    assert citizen is not None
    lines = ["organisations:"]
    for declaration, decision, reason in ORGANISATIONS:
        if db.session.scalar(select(Organisation.id).filter_by(name=declaration.name)):
            lines.append(f"  exists {declaration.name}")
            continue
        organisation = declarations.declare(citizen, declaration)
        if decision == "verify":
            verification.verify(demo_official(), organisation, reason)
        elif decision == "reject":
            verification.reject(demo_official(), organisation, reason)
        db.session.execute(
            update(Response).where(Response.organisation_name == organisation.name,
                                   Response.organisation_id.is_(None))
            .values(organisation_id=organisation.id))
        linked = db.session.scalar(select(func.count()).select_from(Response).where(
            Response.organisation_id == organisation.id))
        lines.append(f"  added {declaration.name} ({organisation.status.value}), "
                     f"{linked} responses linked")
    return lines
