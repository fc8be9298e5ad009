"""Organisations (region, municipality), their units and their staff."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, enum_type
from portal.rules.names import full_name
from portal.rules.phone import PHONE_MAX
from portal.rules.vocabulary import Principal, Profession, UnitKind


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    principal: Mapped[Principal] = mapped_column(enum_type(Principal))

    units: Mapped[list[Unit]] = relationship(back_populates="organisation", order_by="Unit.name")


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[UnitKind] = mapped_column(enum_type(UnitKind))
    phone: Mapped[str] = mapped_column(sa.String(PHONE_MAX), default="")
    email: Mapped[str] = mapped_column(sa.String(200), default="")

    organisation: Mapped[Organisation] = relationship(back_populates="units")
    staff: Mapped[list[Staff]] = relationship(back_populates="unit", order_by="Staff.family_name")

    @property
    def principal(self) -> Principal:
        return self.organisation.principal


class Staff(Base):
    """A named person employed by a region or a municipality."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    given_name: Mapped[str] = mapped_column(sa.String(100))
    family_name: Mapped[str] = mapped_column(sa.String(100))
    profession: Mapped[Profession] = mapped_column(enum_type(Profession))
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    phone: Mapped[str] = mapped_column(sa.String(PHONE_MAX), default="")
    email: Mapped[str] = mapped_column(sa.String(200), default="")
    is_unit_admin: Mapped[bool] = mapped_column(default=False)
    is_system_admin: Mapped[bool] = mapped_column(default=False)
    is_care_contact: Mapped[bool] = mapped_column(default=False)  # fast vårdkontakt

    unit: Mapped[Unit] = relationship(back_populates="staff")

    @property
    def name(self) -> str:
        return full_name(self.given_name, self.family_name)
