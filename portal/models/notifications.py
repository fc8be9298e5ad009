"""Messages shown in the portal to one account (e.g. "Du har fått en ny samordningsansvarig")."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, UTCDateTime, created_at_column


class Notification(Base):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed for its unread messages only (portal.models.indexes, ADR 0118).
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("accounts.id"))
    plan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("plans.id"))
    # A message key from portal.labels.NOTIFICATIONS; its words are translated when shown.
    kind: Mapped[str] = mapped_column(sa.String(60))
    created_at: Mapped[datetime] = created_at_column()
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
