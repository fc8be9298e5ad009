"""Reaching people outside the portal: their confirmed addresses and the outbox (ADR 0090).

An outbox message is written in the same transaction as the change that causes it; a worker
claims it with a lease, delivers it and marks it sent or failed. A message holds a kind and
plain parameters (a time, a place the person chose to receive), never health information or
an identity number; its words are made in the person's language when it is delivered.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime, created_at_column
from portal.models.people import Account


class ContactPoint(Base):
    """An address one account gave for a channel: e-mail, SMS (a phone number) or push."""

    __tablename__ = "contact_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("accounts.id"), index=True)
    channel: Mapped[str] = mapped_column(sa.String(10))  # email | sms | push
    # E-mail address, phone number in E.164, or the push service's endpoint URL.
    address: Mapped[str] = mapped_column(sa.String(1000))
    push_p256dh: Mapped[str] = mapped_column(sa.String(200), default="")
    push_auth: Mapped[str] = mapped_column(sa.String(100), default="")
    enabled: Mapped[bool] = mapped_column(default=True)  # the person's choice of channel
    # Whether messages to this address say when and where (a meeting's place may be a home).
    show_details: Mapped[bool] = mapped_column(default=False)
    code_hash: Mapped[str] = mapped_column(sa.String(64), default="")
    code_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    code_attempts: Mapped[int] = mapped_column(default=0)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()

    account: Mapped[Account] = relationship()


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"
    __table_args__ = (sa.Index("ix_outbox_messages_due", "status", "not_before"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("accounts.id"), index=True)
    contact_point_id: Mapped[int] = mapped_column(sa.ForeignKey("contact_points.id"))
    channel: Mapped[str] = mapped_column(sa.String(10))
    kind: Mapped[str] = mapped_column(sa.String(40))
    locale: Mapped[str] = mapped_column(sa.String(8), default="sv")
    params: Mapped[str] = mapped_column(sa.Text, default="{}")  # JSON, no personal data
    plan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("plans.id"), index=True)
    # Reminders and digests are written by the scheduler; the key makes them once-only.
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    status: Mapped[str] = mapped_column(sa.String(10), default="pending")  # pending|sent|failed
    not_before: Mapped[datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(default=0)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    leased_by: Mapped[str] = mapped_column(sa.String(80), default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivered_to: Mapped[str] = mapped_column(sa.String(20), default="")  # smtp|gateway|push|demo
    last_error: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = created_at_column()

    contact_point: Mapped[ContactPoint] = relationship()
    account: Mapped[Account] = relationship()
