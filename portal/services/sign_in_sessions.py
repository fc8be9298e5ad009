"""Server-side sign-in sessions: start, find, confirm with a fresh proof, end.

The browser's cookie holds a random key; the database holds its hash. Signing out ends the
session here, so a copy of the cookie taken earlier stops working at once.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Sequence
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm.interfaces import ORMOption

from portal import db
from portal.models import Account, SignInSession
from portal.rules.sessions import session_is_over
from portal.timeutil import now


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start_session(*, account: Account) -> str:
    """A new server-side session; returns the key for the cookie."""
    key = secrets.token_urlsafe(32)
    db.session().add(SignInSession(key_hash=_hash(key), account_id=account.id, started_at=now()))
    db.session().commit()
    return key


def live_session(key: str | None, *, account_id: int, lifetime: timedelta) -> SignInSession | None:
    """The session for this key if it belongs to the account and is neither ended nor too old."""
    if not key:
        return None
    found = db.session().scalar(
        sa.select(SignInSession).where(SignInSession.key_hash == _hash(key))
    )
    if found is None or found.account_id != account_id:
        return None
    if session_is_over(
        started_at=found.started_at, ended_at=found.ended_at, lifetime=lifetime, at=now()
    ):
        return None
    return found


_SIGNED_IN = db.BuiltOnce(
    lambda options: (
        sa.select(Account, SignInSession.started_at, SignInSession.ended_at)
        .join(SignInSession, SignInSession.account_id == Account.id)
        .where(
            Account.id == sa.bindparam("account_id"),
            SignInSession.key_hash == sa.bindparam("key_hash"),
        )
        .options(*options)
    )
)


def signed_in(
    key: str | None,
    *,
    account_id: int,
    lifetime_of: Callable[[Account], timedelta],
    options: Sequence[ORMOption] = (),
) -> Account | None:
    """The account if this key's session belongs to it and is live: the account (with the
    loader `options`) and its session in one query, for every request (ADR 0081)."""
    if not key:
        return None
    statement = _SIGNED_IN(tuple(options))
    row = (
        db.session().execute(statement, {"account_id": account_id, "key_hash": _hash(key)}).first()
    )
    if row is None:
        return None
    account, started_at, ended_at = row  # the session's two times, not its entity
    if session_is_over(
        started_at=started_at,
        ended_at=ended_at,
        lifetime=lifetime_of(account),
        at=now(),
    ):
        return None
    return account


def end_session(key: str | None, *, because: str = "sign_out") -> None:
    if not key:
        return
    db.session().execute(
        sa.update(SignInSession)
        .where(SignInSession.key_hash == _hash(key), SignInSession.ended_at.is_(None))
        .values(ended_at=now(), ended_because=because)
    )
    db.session().commit()


def end_sessions_of(account: Account, *, because: str, keep: str | None = None) -> int:
    """End every session of the account (but `keep`, the current one). Inside the caller's
    transaction: the caller commits with its own audit event."""
    statement = (
        sa.update(SignInSession)
        .where(SignInSession.account_id == account.id, SignInSession.ended_at.is_(None))
        .values(ended_at=now(), ended_because=because)
    )
    if keep:
        statement = statement.where(SignInSession.key_hash != _hash(keep))
    result = db.session().execute(statement)
    return int(result.rowcount or 0)


def confirm_session(key: str | None) -> None:
    """Record a fresh proof (a passkey assertion just made) on the current session."""
    if not key:
        return
    db.session().execute(
        sa.update(SignInSession)
        .where(SignInSession.key_hash == _hash(key))
        .values(confirmed_at=now())
    )
    db.session().commit()
