"""Requests from the individual to the coordinator, each with an acknowledgement deadline."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime, created_at_column, enum_type
from portal.models.people import Account
from portal.models.plans import Plan
from portal.rules.vocabulary import RequestKind


class PlanRequest(Base):
    __tablename__ = "plan_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id"), index=True)
    kind: Mapped[RequestKind] = mapped_column(enum_type(RequestKind))
    message: Mapped[str] = mapped_column(sa.Text, default="")
    written_by_account_id: Mapped[int] = mapped_column(sa.ForeignKey("accounts.id"))
    on_behalf_of_individual: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = created_at_column()
    acknowledgement_due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id"))
    response: Mapped[str] = mapped_column(sa.Text, default="")
    plan: Mapped[Plan] = relationship()
    written_by: Mapped[Account] = relationship()
