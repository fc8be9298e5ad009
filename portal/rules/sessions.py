"""How long sessions, fresh proofs and passkey challenges last. Pure.

ASVS 3.3.2: an absolute lifetime of at most 12 hours for everyone; idle timeouts are shorter.
"""

from __future__ import annotations

from datetime import datetime, timedelta

ABSOLUTE_LIFETIME_LIMIT = timedelta(hours=12)
CHALLENGE_VALID_FOR = timedelta(minutes=5)
CONFIRMATION_VALID_FOR = timedelta(minutes=5)


def session_is_over(
    *, started_at: datetime, ended_at: datetime | None, lifetime: timedelta, at: datetime
) -> bool:
    """Ended on the server, or older than its absolute lifetime (never more than 12 hours)."""
    if ended_at is not None:
        return True
    return at - started_at > min(lifetime, ABSOLUTE_LIFETIME_LIMIT)


def challenge_is_usable(*, created_at: datetime, used_at: datetime | None, at: datetime) -> bool:
    return used_at is None and timedelta(0) <= at - created_at <= CHALLENGE_VALID_FOR


def confirmation_is_fresh(confirmed_at: datetime | None, at: datetime) -> bool:
    """A passkey assertion (or e-legitimation) within the last five minutes."""
    return confirmed_at is not None and timedelta(0) <= at - confirmed_at <= CONFIRMATION_VALID_FOR
