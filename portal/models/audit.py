"""Audit events. No foreign keys: they must outlive what they describe.

Each event carries the hash of the previous one, so any change to the log breaks the chain
(`flask audit-verify` names the first broken link).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, UTCDateTime


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(sa.String(60), index=True)  # "plan.read", "consent.withdraw"
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor_account_id: Mapped[int | None] = mapped_column()
    actor_role: Mapped[str] = mapped_column(sa.String(30), default="")
    actor_name: Mapped[str] = mapped_column(sa.String(200), default="")
    actor_unit: Mapped[str] = mapped_column(sa.String(200), default="")
    on_behalf_of_individual_id: Mapped[int | None] = mapped_column()
    subject_individual_id: Mapped[int | None] = mapped_column(index=True)
    object_type: Mapped[str] = mapped_column(sa.String(40), default="")
    object_id: Mapped[int | None] = mapped_column()
    detail: Mapped[str] = mapped_column(sa.Text, default="")  # never personal data
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
