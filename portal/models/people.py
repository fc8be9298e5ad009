"""The individual, relatives, and the accounts people sign in with."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime, created_at_column, enum_type
from portal.models.organisations import Staff
from portal.rules.names import full_name
from portal.rules.phone import PHONE_MAX
from portal.rules.vocabulary import AccountKind


class Individual(Base):
    """Den enskilde: the person a plan is for."""

    __tablename__ = "individuals"

    id: Mapped[int] = mapped_column(primary_key=True)
    personal_identity_number: Mapped[str] = mapped_column(sa.String(12), unique=True)
    given_name: Mapped[str] = mapped_column(sa.String(100))
    family_name: Mapped[str] = mapped_column(sa.String(100))
    registered_address: Mapped[str] = mapped_column(sa.String(300), default="")
    phone: Mapped[str] = mapped_column(sa.String(PHONE_MAX), default="")
    email: Mapped[str] = mapped_column(sa.String(200), default="")
    preferred_locale: Mapped[str] = mapped_column(sa.String(8), default="sv")
    deceased_on: Mapped[date | None] = mapped_column(sa.Date)
    created_at: Mapped[datetime] = created_at_column()

    @property
    def language(self) -> str:
        """The language texts for this person are written in: their plan, a meeting's suggested
        purpose, a message when their account has chosen none."""
        return self.preferred_locale or "sv"

    @property
    def name(self) -> str:
        return full_name(self.given_name, self.family_name)

    @property
    def masked_pin(self) -> str:
        from portal.rules.identity import mask_pin

        return mask_pin(self.personal_identity_number)

    def __repr__(self) -> str:  # never the identity number
        return f"<Individual {self.id}>"


class Relative(Base):
    """Närstående; also a representative (god man, förvaltare) through a Delegation."""

    __tablename__ = "relatives"

    id: Mapped[int] = mapped_column(primary_key=True)
    given_name: Mapped[str] = mapped_column(sa.String(100))
    family_name: Mapped[str] = mapped_column(sa.String(100))
    phone: Mapped[str] = mapped_column(sa.String(PHONE_MAX), default="")
    email: Mapped[str] = mapped_column(sa.String(200), default="")
    # Named by the individual's letter or the court's decision: what an e-legitimation must
    # prove at redemption and for a recovery without staff (ADR 0041). 12 ASCII digits.
    personal_identity_number: Mapped[str | None] = mapped_column(sa.String(12), index=True)
    created_at: Mapped[datetime] = created_at_column()

    @property
    def name(self) -> str:
        return full_name(self.given_name, self.family_name)

    def __repr__(self) -> str:  # never the identity number
        return f"<Relative {self.id}>"


class Account(Base):
    """What a person signs in as: exactly one of individual, relative or staff."""

    __tablename__ = "accounts"
    __table_args__ = (
        sa.CheckConstraint(
            "(CASE WHEN individual_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN relative_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN staff_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="exactly_one_person",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[AccountKind] = mapped_column(enum_type(AccountKind))
    individual_id: Mapped[int | None] = mapped_column(sa.ForeignKey("individuals.id"), unique=True)
    relative_id: Mapped[int | None] = mapped_column(sa.ForeignKey("relatives.id"), unique=True)
    staff_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id"), unique=True)
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    # Quiet hours 21–08 (ADR 0091): messages wait until 08:00 unless the person chose any hour.
    quiet_hours: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # Bumped by "sign out everywhere": sessions carrying an older value are refused.
    session_generation: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = created_at_column()
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A disabled account (a staff member who has left) cannot sign in; its sessions are ended.
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    disabled_by_account_id: Mapped[int | None] = mapped_column(sa.ForeignKey("accounts.id"))

    individual: Mapped[Individual | None] = relationship()
    relative: Mapped[Relative | None] = relationship()
    staff: Mapped[Staff | None] = relationship()
    passkeys: Mapped[list[Passkey]] = relationship(
        back_populates="account", order_by="Passkey.created_at", cascade="all, delete-orphan"
    )

    @property
    def name(self) -> str:
        person = self.individual or self.relative or self.staff
        return person.name if person else ""

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_generation}"


class Passkey(Base):
    """A WebAuthn credential (discoverable) belonging to an account."""

    __tablename__ = "passkeys"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("accounts.id"), index=True)
    credential_id: Mapped[bytes] = mapped_column(sa.LargeBinary(1024), unique=True)
    public_key: Mapped[bytes] = mapped_column(sa.LargeBinary(2048))
    sign_count: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    transports: Mapped[str] = mapped_column(sa.String(200), default="")
    name: Mapped[str] = mapped_column(sa.String(100))
    created_at: Mapped[datetime] = created_at_column()
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    account: Mapped[Account] = relationship(back_populates="passkeys")
