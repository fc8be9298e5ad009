"""Enrol, recover or redeem a letter with e-legitimation: the proven personal identity number
must be the one the person record (or the letter) names. No staff are involved (ADR 0041).

- An individual enrols without a letter, and recovers after a lost device.
- A relative or representative recovers after a lost device, while a delegation of theirs is
  in effect; they enrol only through the letter that names them (the individual's choice, or
  the court's decision), and redeeming it needs the matching e-legitimation.
"""

from __future__ import annotations

import sqlalchemy as sa

from portal import db
from portal.auth.passkeys import NewCredential
from portal.models import Account, AccountInvitation, Individual, Relative
from portal.models.audit_types import EventType
from portal.rules.identity import InvalidPinError, parse_pin
from portal.rules.letters import claim_matches
from portal.rules.vocabulary import AccountKind
from portal.services import audit
from portal.services.delegations import active_delegations_for_relative
from portal.services.invitations import person_of
from portal.services.passkeys import register_passkey
from portal.services.sign_in_sessions import end_sessions_of
from portal.timeutil import today_stockholm

Person = Individual | Relative


def proven_pin(claim: object) -> str | None:
    """The claim as 12 ASCII digits, or None when it is not an identity number."""
    try:
        return parse_pin(str(claim or ""), today_stockholm())
    except InvalidPinError:
        return None


def individual_for_pin(claim: object) -> Individual | None:
    """The person whose identity number the ID token proved (ASCII digits only)."""
    pin = proven_pin(claim)
    if pin is None:
        return None
    return db.session().scalar(
        sa.select(Individual).where(Individual.personal_identity_number == pin)
    )


def relative_for_pin(claim: object) -> Relative | None:
    """A relative or representative with an account and a delegation in effect today
    (approved, not revoked, not past its end date) whose recorded number was proved."""
    pin = proven_pin(claim)
    if pin is None:
        return None
    relatives = db.session().scalars(
        sa.select(Relative)
        .join(Account, Account.relative_id == Relative.id)
        .where(Relative.personal_identity_number == pin)
        .order_by(Account.id.desc())
    )
    for relative in relatives:
        if active_delegations_for_relative(relative.id, today_stockholm()):
            return relative
    return None


def person_for_pin(claim: object) -> Person | None:
    return individual_for_pin(claim) or relative_for_pin(claim)


def _account_of(person: Person) -> Account | None:
    column = Account.individual_id if isinstance(person, Individual) else Account.relative_id
    return db.session().scalar(sa.select(Account).where(column == person.id))


def _subjects(person: Person) -> list[int]:
    """Whose access log tells of it: the individual, or everyone the relative acts for."""
    if isinstance(person, Individual):
        return [person.id]
    return sorted(
        {d.individual_id for d in active_delegations_for_relative(person.id, today_stockholm())}
    )


def enrol_or_recover(*, person: Person, credential: NewCredential, name: str) -> Account:
    """A new account with its first passkey (an individual), or, after a lost device, a new
    passkey on the existing account, whose other sessions all end."""
    session = db.session()
    account = _account_of(person)
    recovery = account is not None
    if account is None:
        if not isinstance(person, Individual):
            raise LookupError("a relative enrols only through the letter that names them")
        account = Account(kind=AccountKind.INDIVIDUAL, individual_id=person.id)
        session.add(account)
        session.flush()
    else:
        end_sessions_of(account, because="recovery")
    kind = EventType.ACCOUNT_EID_RECOVER if recovery else EventType.ACCOUNT_EID_ENROL
    for subject in _subjects(person):
        audit.record(
            session,
            type=kind,
            by=account,
            subject_individual_id=subject,
            object_type="account",
            object_id=account.id,
        )
    register_passkey(account=account, credential=credential, name=name)
    return account


def prove_for_invitation(
    *, invitation: AccountInvitation, claim: object, by: Account | None
) -> bool:
    """Is the holder of the letter the person it names? Either way it is in the log."""
    person = person_of(invitation)
    named = getattr(person, "personal_identity_number", None)
    matches = claim_matches(proven_pin(claim), named)
    if invitation.individual_id:
        subject = invitation.individual_id
    else:
        subject = invitation.delegation.individual_id if invitation.delegation else None
    audit.record(
        db.session(),
        type=(EventType.INVITATION_EID_PROVEN if matches else EventType.INVITATION_EID_REFUSED),
        by=by,
        subject_individual_id=subject,
        object_type="account_invitation",
        object_id=invitation.id,
    )
    db.session().commit()
    return matches
