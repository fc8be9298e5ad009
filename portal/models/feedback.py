"""A report of an accessibility problem (DOS act, the accessibility statement's feedback)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, UTCDateTime, created_at_column


class AccessibilityReport(Base):
    __tablename__ = "accessibility_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = created_at_column()
    page: Mapped[str] = mapped_column(sa.String(300), default="")  # which page, as told
    problem: Mapped[str] = mapped_column(sa.Text)
    contact: Mapped[str] = mapped_column(sa.String(200), default="")  # only if they want an answer
    account_id: Mapped[int | None] = mapped_column(sa.ForeignKey("accounts.id"))
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    handled_by_account_id: Mapped[int | None] = mapped_column(sa.ForeignKey("accounts.id"))
