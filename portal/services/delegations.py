"""Reading delegations (who may act for whom). Writes live in portal.services.access."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from portal import db
from portal.models import Delegation
from portal.rules.vocabulary import DelegationKind


def approved_if_representative() -> sa.ColumnElement[bool]:
    """A representative takes effect only once a second staff member has approved it."""
    return sa.or_(
        Delegation.kind != DelegationKind.REPRESENTATIVE, Delegation.approved_at.is_not(None)
    )


def active_delegations_for_relative(relative_id: int | None, today: date) -> list[Delegation]:
    if relative_id is None:
        return []
    return list(
        db.session().scalars(
            sa.select(Delegation).where(
                Delegation.relative_id == relative_id,
                Delegation.revoked_at.is_(None),
                approved_if_representative(),
                Delegation.valid_from <= today,
                sa.or_(Delegation.valid_until.is_(None), Delegation.valid_until >= today),
            )
        )
    )
