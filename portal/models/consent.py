"""Consent per unit, kept as a history of events: the latest event per unit is in force."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime, created_at_column, enum_type
from portal.models.organisations import Unit
from portal.models.people import Account
from portal.models.plans import Plan
from portal.rules.vocabulary import ConsentMethod, ConsentStatus


class ConsentEvent(Base):
    __tablename__ = "consent_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    status: Mapped[ConsentStatus] = mapped_column(enum_type(ConsentStatus))
    method: Mapped[ConsentMethod] = mapped_column(enum_type(ConsentMethod))
    # When it was given or withdrawn (staff may record a verbal consent given earlier).
    effective_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_at: Mapped[datetime] = created_at_column()
    recorded_by_account_id: Mapped[int] = mapped_column(sa.ForeignKey("accounts.id"))
    on_behalf_of_individual: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    # A withdrawal waits on the staff worklist until someone who leads the plan, or works at
    # the unit concerned, marks it handled (who: see the audit log).
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    plan: Mapped[Plan] = relationship(back_populates="consent_events")
    unit: Mapped[Unit] = relationship()
    recorded_by: Mapped[Account] = relationship()


class PlanUnit(Base):
    """A unit added to the plan as taking part, by whoever leads it: a step of its own that
    the individual sees (and is told of) before any consent can be recorded for that unit."""

    __tablename__ = "plan_units"
    __table_args__ = (sa.UniqueConstraint("plan_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    added_at: Mapped[datetime] = created_at_column()
    added_by_account_id: Mapped[int] = mapped_column(sa.ForeignKey("accounts.id"))

    unit: Mapped[Unit] = relationship()
    added_by: Mapped[Account] = relationship()
