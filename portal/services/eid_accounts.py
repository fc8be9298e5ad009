"""Enrol or recover with e-legitimation: the proven personal identity number names the person;
no letter and no staff are involved."""

from __future__ import annotations

import sqlalchemy as sa

from portal import db
from portal.auth.passkeys import NewCredential
from portal.models import Account, Individual
from portal.models.audit_types import EventType
from portal.rules.identity import InvalidPinError, parse_pin
from portal.rules.vocabulary import AccountKind
from portal.services import audit
from portal.services.passkeys import register_passkey
from portal.services.sign_in_sessions import end_sessions_of
from portal.timeutil import today_stockholm


def individual_for_pin(claim: object) -> Individual | None:
    """The person whose identity number the ID token proved (ASCII digits only)."""
    try:
        pin = parse_pin(str(claim or ""), today_stockholm())
    except InvalidPinError:
        return None
    return db.session().scalar(
        sa.select(Individual).where(Individual.personal_identity_number == pin)
    )


def enrol_or_recover(*, individual: Individual, credential: NewCredential, name: str) -> Account:
    """A new account with its first passkey, or (a lost device) a new passkey on the existing
    account, whose other sessions all end."""
    session = db.session()
    account = session.scalar(sa.select(Account).where(Account.individual_id == individual.id))
    recovery = account is not None
    if account is None:
        account = Account(kind=AccountKind.INDIVIDUAL, individual_id=individual.id)
        session.add(account)
        session.flush()
    else:
        end_sessions_of(account, because="recovery")
    audit.record(
        session,
        type=EventType.ACCOUNT_EID_RECOVER if recovery else EventType.ACCOUNT_EID_ENROL,
        by=account,
        subject_individual_id=individual.id,
        object_type="account",
        object_id=account.id,
    )
    register_passkey(account=account, credential=credential, name=name)
    return account
