"""Who may act for an individual (delegations) and how people get an account (invitations)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime, created_at_column, enum_type
from portal.models.people import Account, Individual, Relative
from portal.rules.vocabulary import DelegationKind, Scope


class Delegation(Base):
    """A relative's right to act for an individual, within scopes, for a period."""

    __tablename__ = "delegations"

    id: Mapped[int] = mapped_column(primary_key=True)
    individual_id: Mapped[int] = mapped_column(sa.ForeignKey("individuals.id"), index=True)
    relative_id: Mapped[int] = mapped_column(sa.ForeignKey("relatives.id"), index=True)
    kind: Mapped[DelegationKind] = mapped_column(enum_type(DelegationKind))
    # Space-separated Scope values; a representative's delegation implies every scope.
    scopes_text: Mapped[str] = mapped_column(sa.String(200), default="")
    valid_from: Mapped[date] = mapped_column(sa.Date)
    valid_until: Mapped[date | None] = mapped_column(sa.Date)
    legal_reference: Mapped[str] = mapped_column(sa.String(200), default="")  # beslut om god man …
    # A representative: the court's decision (date, deciding authority), and a second staff
    # member's approval before it takes effect (four eyes).
    representative_kind: Mapped[str] = mapped_column(sa.String(20), default="")  # god man …
    decision_date: Mapped[date | None] = mapped_column(sa.Date)
    deciding_authority: Mapped[str] = mapped_column(sa.String(200), default="")
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_by_account_id: Mapped[int | None] = mapped_column(sa.ForeignKey("accounts.id"))
    granted_by_account_id: Mapped[int] = mapped_column(sa.ForeignKey("accounts.id"))
    created_at: Mapped[datetime] = created_at_column()
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by_account_id: Mapped[int | None] = mapped_column(sa.ForeignKey("accounts.id"))
    # A representative's access ended by staff before its end date: the decision that ended
    # it (a new god man, the decision lifted), as the recorder typed it (ADR 0116).
    ended_reference: Mapped[str] = mapped_column(sa.String(200), default="")

    individual: Mapped[Individual] = relationship()
    relative: Mapped[Relative] = relationship()
    granted_by: Mapped[Account] = relationship(foreign_keys=[granted_by_account_id])

    @property
    def in_effect(self) -> bool:
        """A representative takes effect only once a second staff member has approved."""
        return self.kind is not DelegationKind.REPRESENTATIVE or self.approved_at is not None

    @property
    def scopes(self) -> frozenset[Scope]:
        if self.kind is DelegationKind.REPRESENTATIVE:
            return frozenset(Scope)
        return frozenset(Scope(s) for s in self.scopes_text.split())

    @scopes.setter
    def scopes(self, value: frozenset[Scope] | set[Scope]) -> None:
        self.scopes_text = " ".join(sorted(s.value for s in value))


class AccountInvitation(Base):
    """A one-time invitation to create an account (letter with QR code and typed code).

    Not to be confused with the invitation (kallelse) to a meeting, which is part of `Meeting`.
    Only a hash of the secret is stored.
    """

    __tablename__ = "account_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)  # sha256 of the link token
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)  # sha256 of the typed code
    individual_id: Mapped[int | None] = mapped_column(sa.ForeignKey("individuals.id"))
    relative_id: Mapped[int | None] = mapped_column(sa.ForeignKey("relatives.id"))
    staff_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id"))
    delegation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("delegations.id"))
    created_by_account_id: Mapped[int | None] = mapped_column(sa.ForeignKey("accounts.id"))
    created_at: Mapped[datetime] = created_at_column()
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A recovery letter (the person already has a passkey): the identity document checked in
    # person, and a second staff member's approval before the letter can be printed.
    identity_document: Mapped[str] = mapped_column(sa.String(100), default="")
    needs_approval: Mapped[bool] = mapped_column(default=False)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_by_account_id: Mapped[int | None] = mapped_column(sa.ForeignKey("accounts.id"))
    letter_shown_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Redeemed only after an e-legitimation whose identity-number claim is the number the
    # letter names (the relative's, or the representative's from the decision). ADR 0041.
    requires_eid: Mapped[bool] = mapped_column(default=False)

    individual: Mapped[Individual | None] = relationship()
    relative: Mapped[Relative | None] = relationship()
    delegation: Mapped[Delegation | None] = relationship()
    created_by: Mapped[Account | None] = relationship(foreign_keys=[created_by_account_id])
