"""WebAuthn challenges kept on the server: single use, valid for five minutes.

The browser's session holds only the challenge's row id. Using it marks it used in the
same statement that checks it, so a captured assertion cannot be replayed with an old cookie.
"""

from __future__ import annotations

import sqlalchemy as sa

from portal import db
from portal.models import PasskeyChallenge
from portal.rules.sessions import CHALLENGE_VALID_FOR, challenge_is_usable
from portal.timeutil import now


def issue_challenge(*, challenge: bytes, purpose: str) -> int:
    session = db.session()
    session.execute(
        sa.delete(PasskeyChallenge).where(
            PasskeyChallenge.created_at < now() - 2 * CHALLENGE_VALID_FOR
        )
    )
    row = PasskeyChallenge(challenge=challenge, purpose=purpose, created_at=now())
    session.add(row)
    session.commit()
    return row.id


def take_challenge(challenge_id: int | None, *, purpose: str) -> bytes | None:
    """The challenge, once: None if unknown, for another purpose, used or too old."""
    if not challenge_id:
        return None
    session = db.session()
    row = session.get(PasskeyChallenge, challenge_id)
    if row is None or row.purpose != purpose:
        return None
    if not challenge_is_usable(created_at=row.created_at, used_at=row.used_at, at=now()):
        return None
    claimed = session.execute(
        sa.update(PasskeyChallenge)
        .where(PasskeyChallenge.id == row.id, PasskeyChallenge.used_at.is_(None))
        .values(used_at=now())
    )
    session.commit()
    return row.challenge if claimed.rowcount == 1 else None
