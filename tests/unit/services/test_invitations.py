"""Invitations are single use, expire, can be revoked, and bind one account to one person."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.auth.passkeys import NewCredential
from portal.models import Account, AccountInvitation, Individual
from portal.services import demo_data
from portal.services.invitations import (
    InvitationError,
    InvitationProblem,
    create_invitation,
    find_by_code,
    find_by_token,
)
from portal.services.passkeys import LastPasskeyError, redeem_invitation, remove_passkey
from portal.timeutil import now


def _bengt(db: Session) -> Individual:
    demo_data.load(db)
    return db.scalar(sa.select(Individual).where(Individual.given_name == "Bengt"))


def _credential(n: int) -> NewCredential:
    return NewCredential(bytes([n]) * 16, b"public-key", 0, "internal")


def test_only_hashes_of_the_secrets_are_stored(db: Session) -> None:
    issued = create_invitation(individual=_bengt(db), by=None)
    stored = db.get(AccountInvitation, issued.invitation.id)
    assert issued.token not in (stored.token_hash, stored.code_hash)
    assert find_by_token(issued.token).id == stored.id
    assert find_by_code(issued.code.lower()).id == stored.id


def test_invitation_is_single_use(db: Session) -> None:
    issued = create_invitation(individual=_bengt(db), by=None)
    account = redeem_invitation(invitation=issued.invitation, credential=_credential(1), name="A")
    assert account.individual.given_name == "Bengt"
    with pytest.raises(InvitationError) as raised:
        find_by_token(issued.token)
    assert raised.value.problem is InvitationProblem.USED


def test_expired_invitation_is_refused(db: Session) -> None:
    issued = create_invitation(individual=_bengt(db), by=None)
    issued.invitation.expires_at = now() - timedelta(seconds=1)
    db.commit()
    with pytest.raises(InvitationError) as raised:
        find_by_code(issued.code)
    assert raised.value.problem is InvitationProblem.EXPIRED


def test_lost_device_new_invitation_adds_a_passkey_to_the_same_account(db: Session) -> None:
    bengt = _bengt(db)
    first = redeem_invitation(
        invitation=create_invitation(individual=bengt, by=None).invitation,
        credential=_credential(1),
        name="Gamla telefonen",
    )
    second = redeem_invitation(
        invitation=create_invitation(individual=bengt, by=None).invitation,
        credential=_credential(2),
        name="Nya telefonen",
    )
    assert first.id == second.id
    assert (
        db.scalar(
            sa.select(sa.func.count()).select_from(Account).where(Account.individual_id == bengt.id)
        )
        == 1
    )
    assert [p.name for p in second.passkeys] == ["Gamla telefonen", "Nya telefonen"]
    remove_passkey(passkey=second.passkeys[0], by=second, keep_session=None)
    assert [p.name for p in second.passkeys] == ["Nya telefonen"]
    with pytest.raises(LastPasskeyError):
        remove_passkey(passkey=second.passkeys[0], by=second, keep_session=None)


def test_an_invitation_is_for_exactly_one_person(db: Session) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        create_invitation(by=None)
