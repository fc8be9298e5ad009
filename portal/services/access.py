"""Delegations: the individual invites relatives within scopes (staff record representatives
in `services.letters`, with four eyes)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from portal import db
from portal.models import Account, AccountInvitation, Delegation, Individual, Relative
from portal.models.audit_types import EventType
from portal.rules.letters import eid_at_redemption
from portal.rules.vocabulary import DelegationKind, Scope
from portal.services import audit, outbox
from portal.services.invitations import IssuedInvitation, create_invitation
from portal.timeutil import now, today_stockholm


def invite_relative(
    *,
    individual: Individual,
    given_name: str,
    family_name: str,
    scopes: frozenset[Scope],
    valid_until: date | None,
    by: Account,
    on_behalf_of: int | None = None,
    personal_identity_number: str | None = None,
    eid: bool = False,
) -> IssuedInvitation:
    """A new relative with a delegation, and the invitation that gives them an account.

    When the individual names the relative's identity number (and e-legitimation is set up),
    the letter is redeemed only after an e-legitimation proving that number (ADR 0041)."""
    if not scopes:
        raise ValueError("a delegation needs at least one scope")
    if personal_identity_number and personal_identity_number == individual.personal_identity_number:
        raise ValueError("the individual is not their own relative")
    relative = Relative(
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        personal_identity_number=personal_identity_number or None,
    )
    delegation = Delegation(
        individual=individual,
        relative=relative,
        kind=DelegationKind.RELATIVE,
        valid_from=today_stockholm(),
        valid_until=valid_until,
        granted_by=by,
    )
    delegation.scopes = scopes
    session = db.session()
    session.add_all([relative, delegation])
    session.flush()
    audit.record(
        session,
        type=EventType.DELEGATION_GRANT,
        by=by,
        subject_individual_id=individual.id,
        on_behalf_of=on_behalf_of,
        object_type="delegation",
        object_id=delegation.id,
        detail=delegation.scopes_text,
    )
    issued = create_invitation(relative=relative, delegation=delegation, by=by)
    issued.invitation.requires_eid = eid_at_redemption(
        proof=None, named_pin=personal_identity_number, eid=eid
    )
    session.commit()
    return issued


def change_scopes(
    *,
    delegation: Delegation,
    scopes: frozenset[Scope],
    valid_until: date | None,
    by: Account,
    on_behalf_of: int | None = None,
) -> None:
    if not scopes:
        raise ValueError("a delegation needs at least one scope")
    delegation.scopes = scopes
    delegation.valid_until = valid_until
    audit.record(
        db.session(),
        type=EventType.DELEGATION_CHANGE,
        by=by,
        subject_individual_id=delegation.individual_id,
        on_behalf_of=on_behalf_of,
        object_type="delegation",
        object_id=delegation.id,
        detail=delegation.scopes_text,
    )
    db.session().commit()


def revoke_delegation(
    *,
    delegation: Delegation,
    by: Account,
    on_behalf_of: int | None = None,
    type: EventType = EventType.DELEGATION_REVOKE,
    detail: str = "",
    ended_reference: str = "",
) -> bool:
    """Effective at once: the relative's next request no longer has access, and any
    invitation for this delegation that was not yet redeemed is revoked in the same commit.
    The relative is told; so is the individual when someone else revoked it. `type`,
    `detail` and `ended_reference`: the event that says why and the decision that ended a
    representative's appointment (by staff, ADR 0116).

    Ended once, however many ask at the same moment (two tabs, two people): the row is ended
    only if it is not yet, and False (nothing recorded, nobody told) when it already was."""
    session = db.session()
    at = now()
    ended = session.execute(
        sa.update(Delegation)
        .where(Delegation.id == delegation.id, Delegation.revoked_at.is_(None))
        .values(revoked_at=at, revoked_by_account_id=by.id, ended_reference=ended_reference)
        .execution_options(synchronize_session=False)
    )
    if not ended.rowcount:
        session.rollback()
        return False
    session.expire(delegation, ["revoked_at", "revoked_by_account_id", "ended_reference"])
    unredeemed = session.scalars(
        sa.select(AccountInvitation).where(
            AccountInvitation.delegation_id == delegation.id,
            AccountInvitation.used_at.is_(None),
            AccountInvitation.revoked_at.is_(None),
        )
    ).all()
    for invitation in unredeemed:
        invitation.revoked_at = at
        audit.record(
            session,
            type=EventType.INVITATION_REVOKE,
            by=by,
            subject_individual_id=delegation.individual_id,
            on_behalf_of=on_behalf_of,
            object_type="account_invitation",
            object_id=invitation.id,
        )
    audit.record(
        db.session(),
        type=type,
        by=by,
        subject_individual_id=delegation.individual_id,
        on_behalf_of=on_behalf_of,
        object_type="delegation",
        object_id=delegation.id,
        detail=detail,
    )
    relative_account = db.session().scalar(
        sa.select(Account).where(Account.relative_id == delegation.relative_id)
    )
    if relative_account is not None:
        outbox.notify(relative_account, "delegation.revoked")
    if by.individual_id != delegation.individual_id:
        # someone else ended it (a representative acting for the individual, or staff): the
        # individual learns that a relative can no longer act for them (ADR 0093)
        individual_account = db.session().scalar(
            sa.select(Account).where(Account.individual_id == delegation.individual_id)
        )
        if individual_account is not None:
            outbox.notify(individual_account, "delegation.ended", path="/relatives")
    db.session().commit()
    return True
