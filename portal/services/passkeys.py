"""Passkeys of an account: register (also when redeeming an invitation), sign in, manage."""

from __future__ import annotations

import sqlalchemy as sa

from portal import db
from portal.auth.passkeys import NewCredential, PasskeyError
from portal.models import Account, AccountInvitation, Passkey
from portal.models.audit_types import EventType
from portal.services import audit, outbox
from portal.services.invitations import account_for, mark_used
from portal.services.sign_in_sessions import confirm_session, end_sessions_of
from portal.timeutil import now


class LastPasskeyError(Exception):
    """An account keeps at least one passkey; remove another first, or add one."""


def _subject(account: Account) -> int | None:
    return account.individual_id


def register_passkey(*, account: Account, credential: NewCredential, name: str) -> Passkey:
    passkey = Passkey(
        account=account,
        credential_id=credential.credential_id,
        public_key=credential.public_key,
        sign_count=credential.sign_count,
        transports=credential.transports,
        name=name.strip()[:100] or "Passkey",
    )
    session = db.session()
    session.add(passkey)
    session.flush()
    audit.record(
        session,
        type=EventType.PASSKEY_ADD,
        by=account,
        subject_individual_id=_subject(account),
        object_type="passkey",
        object_id=passkey.id,
    )
    outbox.security_notice(account, "security.passkey_added")
    session.commit()
    return passkey


def redeem_invitation(
    *, invitation: AccountInvitation, credential: NewCredential, name: str
) -> Account:
    """Bind an account to the invited person, with its first (or a new) passkey."""
    account = account_for(invitation)
    mark_used(invitation, account)
    # A recovery: whoever was signed in on the lost device is signed out everywhere.
    end_sessions_of(account, because="recovery")
    register_passkey(account=account, credential=credential, name=name)
    return account


def find_passkey(credential_id: bytes) -> Passkey:
    passkey = db.session().scalar(sa.select(Passkey).where(Passkey.credential_id == credential_id))
    if passkey is None:
        raise PasskeyError("unknown passkey")
    return passkey


def record_sign_in(*, passkey: Passkey, sign_count: int) -> Account:
    passkey.sign_count = sign_count
    passkey.last_used_at = now()
    passkey.account.last_sign_in_at = passkey.last_used_at
    audit.record(
        db.session(),
        type=EventType.ACCOUNT_SIGN_IN,
        by=passkey.account,
        subject_individual_id=_subject(passkey.account),
        object_type="passkey",
        object_id=passkey.id,
    )
    db.session().commit()
    return passkey.account


def confirm_presence(*, passkey: Passkey, sign_count: int, session_key: str | None) -> None:
    """A fresh assertion on a signed-in session (before adding or removing a passkey)."""
    passkey.sign_count = sign_count
    passkey.last_used_at = now()
    audit.record(
        db.session(),
        type=EventType.ACCOUNT_CONFIRM,
        by=passkey.account,
        subject_individual_id=_subject(passkey.account),
        object_type="passkey",
        object_id=passkey.id,
    )
    db.session().commit()
    confirm_session(session_key)


def rename_passkey(*, passkey: Passkey, name: str, by: Account) -> None:
    passkey.name = name.strip()[:100] or passkey.name
    audit.record(
        db.session(),
        type=EventType.PASSKEY_RENAME,
        by=by,
        subject_individual_id=_subject(by),
        object_type="passkey",
        object_id=passkey.id,
    )
    db.session().commit()


def remove_passkey(*, passkey: Passkey, by: Account, keep_session: str | None) -> None:
    """Remove a passkey; every other session of the account ends (it may have been the
    lost device's)."""
    if len(passkey.account.passkeys) <= 1:
        raise LastPasskeyError
    passkey_id, account = passkey.id, passkey.account
    account.passkeys.remove(passkey)
    end_sessions_of(account, because="passkey_removed", keep=keep_session)
    audit.record(
        db.session(),
        type=EventType.PASSKEY_REMOVE,
        by=by,
        subject_individual_id=_subject(by),
        object_type="passkey",
        object_id=passkey_id,
    )
    db.session().commit()


def sign_out_everywhere(*, account: Account) -> None:
    """Every session of this account, on every device, stops working."""
    account.session_generation += 1
    end_sessions_of(account, because="sign_out_everywhere")
    audit.record(
        db.session(),
        type=EventType.ACCOUNT_SIGN_OUT_EVERYWHERE,
        by=account,
        subject_individual_id=_subject(account),
        object_type="account",
        object_id=account.id,
    )
    db.session().commit()
