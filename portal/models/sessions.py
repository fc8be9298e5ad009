"""Sign-in sessions and passkey challenges, kept on the server so that they can be ended.

The cookie carries only a random key; a hash of it is stored here. Ending a session (sign
out, sign out everywhere, a passkey removed, an account recovered, a staff account disabled)
sets `ended_at`, after which the cookie no longer signs anyone in.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime, created_at_column
from portal.models.people import Account


class SignInSession(Base):
    __tablename__ = "sign_in_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)  # sha256 of the cookie key
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("accounts.id"), index=True)
    started_at: Mapped[datetime] = created_at_column()
    # A fresh proof (a passkey assertion just now) that adding or removing a passkey needs.
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_because: Mapped[str] = mapped_column(sa.String(40), default="")

    account: Mapped[Account] = relationship()


class PasskeyChallenge(Base):
    """A WebAuthn challenge: single use, valid for a few minutes (rules.sessions)."""

    __tablename__ = "passkey_challenges"

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge: Mapped[bytes] = mapped_column(sa.LargeBinary(64), unique=True)
    purpose: Mapped[str] = mapped_column(sa.String(20))
    created_at: Mapped[datetime] = created_at_column()
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
