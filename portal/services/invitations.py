"""One-time account invitations: create, look up, redeem, revoke.

An invitation binds the account it creates to a person record (individual, relative or
staff). It is single use, expires, and can be revoked. Only hashes of its secrets are stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

import sqlalchemy as sa
from flask import current_app

from portal import db
from portal.auth.invitations import digest, new_code, new_token, normalise_code
from portal.models import Account, AccountInvitation, Delegation, Individual, Relative, Staff
from portal.models.audit_types import EventType
from portal.rules.vocabulary import AccountKind
from portal.services import audit
from portal.timeutil import now


class InvitationProblem(StrEnum):
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    REVOKED = "revoked"


class InvitationError(Exception):
    def __init__(self, problem: InvitationProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: AccountInvitation
    token: str  # for the link and QR code: /invitation#<token> (a fragment, never logged)
    code: str  # to type


def create_invitation(
    *,
    individual: Individual | None = None,
    relative: Relative | None = None,
    staff: Staff | None = None,
    delegation: Delegation | None = None,
    by: Account | None,
    valid_days: int | None = None,
) -> IssuedInvitation:
    if sum(p is not None for p in (individual, relative, staff)) != 1:
        raise ValueError("an invitation is for exactly one person")
    token, code = new_token(), new_code()
    days = valid_days or current_app.config["INVITATION_VALID_DAYS"]
    invitation = AccountInvitation(
        token_hash=digest(token),
        code_hash=digest(code),
        individual=individual,
        relative=relative,
        staff_id=staff.id if staff else None,
        delegation=delegation,
        created_by=by,
        expires_at=now() + timedelta(days=days),
    )
    session = db.session()
    session.add(invitation)
    session.flush()
    audit.record(
        session,
        type=EventType.INVITATION_CREATE,
        by=by,
        subject_individual_id=individual.id if individual else _subject(delegation),
        object_type="account_invitation",
        object_id=invitation.id,
    )
    session.commit()
    return IssuedInvitation(invitation, token, code)


def _subject(delegation: Delegation | None) -> int | None:
    return delegation.individual_id if delegation else None


def check_usable(invitation: AccountInvitation | None) -> AccountInvitation:
    if invitation is None:
        raise InvitationError(InvitationProblem.UNKNOWN)
    if invitation.revoked_at is not None:
        raise InvitationError(InvitationProblem.REVOKED)
    if invitation.delegation is not None and invitation.delegation.revoked_at is not None:
        raise InvitationError(InvitationProblem.REVOKED)  # the relative was removed
    if invitation.used_at is not None:
        raise InvitationError(InvitationProblem.USED)
    if invitation.expires_at <= now():
        raise InvitationError(InvitationProblem.EXPIRED)
    if invitation.needs_approval and invitation.approved_at is None:
        raise InvitationError(InvitationProblem.UNKNOWN)  # four eyes first (rules.letters)
    return invitation


def find_by_token(token: str) -> AccountInvitation:
    found = db.session().scalar(
        sa.select(AccountInvitation).where(AccountInvitation.token_hash == digest(token))
    )
    return check_usable(found)


def find_by_code(typed: str) -> AccountInvitation:
    found = db.session().scalar(
        sa.select(AccountInvitation).where(
            AccountInvitation.code_hash == digest(normalise_code(typed))
        )
    )
    return check_usable(found)


def _account_key(
    invitation: AccountInvitation,
) -> tuple[sa.orm.InstrumentedAttribute, AccountKind, int]:
    if invitation.individual_id:
        return Account.individual_id, AccountKind.INDIVIDUAL, invitation.individual_id
    if invitation.relative_id:
        return Account.relative_id, AccountKind.RELATIVE, invitation.relative_id
    return Account.staff_id, AccountKind.STAFF, invitation.staff_id or 0


def existing_account(invitation: AccountInvitation) -> Account | None:
    """The person's account if they already have one (a lost device: a new passkey)."""
    column, _kind, value = _account_key(invitation)
    return db.session().scalar(sa.select(Account).where(column == value))


def person_of(invitation: AccountInvitation) -> Individual | Relative | Staff:
    if invitation.individual is not None:
        return invitation.individual
    if invitation.relative is not None:
        return invitation.relative
    staff = db.session().get(Staff, invitation.staff_id)
    assert staff is not None
    return staff


def user_handle(invitation: AccountInvitation) -> bytes:
    """Opaque and stable per person, no personal data (WebAuthn's user.id)."""
    _column, kind, value = _account_key(invitation)
    return f"sip-{kind.value}-{value}".encode()


def account_for(invitation: AccountInvitation) -> Account:
    """The account the invitation gives: the person's existing one, or a new one."""
    account = existing_account(invitation)
    if account is None:
        column, kind, value = _account_key(invitation)
        account = Account(kind=kind, **{column.key: value})
        db.session().add(account)
        db.session().flush()
    return account


def mark_used(invitation: AccountInvitation, account: Account) -> None:
    """Inside the caller's transaction (the passkey registration that redeems it).

    Redeeming a relative's (or representative's) invitation is when the delegation starts to
    work: the individual is told so, in the same commit (ADR 0092)."""
    invitation.used_at = now()
    if invitation.delegation is not None and invitation.delegation.revoked_at is None:
        _tell_granted(invitation.delegation)
    audit.record(
        db.session(),
        type=EventType.INVITATION_REDEEM,
        by=account,
        subject_individual_id=invitation.individual_id or _subject(invitation.delegation),
        object_type="account_invitation",
        object_id=invitation.id,
    )


def _tell_granted(delegation: Delegation) -> None:
    from portal.services import outbox

    individual_account = db.session().scalar(
        sa.select(Account).where(Account.individual_id == delegation.individual_id)
    )
    if individual_account is not None:
        outbox.notify(individual_account, "delegation.granted", path="/relatives")


def revoke_invitation(*, invitation: AccountInvitation, by: Account) -> None:
    invitation.revoked_at = now()
    audit.record(
        db.session(),
        type=EventType.INVITATION_REVOKE,
        by=by,
        subject_individual_id=invitation.individual_id or _subject(invitation.delegation),
        object_type="account_invitation",
        object_id=invitation.id,
    )
    db.session().commit()
