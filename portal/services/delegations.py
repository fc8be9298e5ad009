"""Reading delegations (who may act for whom). Writes live in portal.services.access."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from portal import db
from portal.models import Delegation


def active_delegations_for_relative(relative_id: int | None, today: date) -> list[Delegation]:
    if relative_id is None:
        return []
    return list(
        db.session().scalars(
            sa.select(Delegation).where(
                Delegation.relative_id == relative_id,
                Delegation.revoked_at.is_(None),
                Delegation.valid_from <= today,
                sa.or_(Delegation.valid_until.is_(None), Delegation.valid_until >= today),
            )
        )
    )
