"""Reading delegations (who may act for whom). Writes live in portal.services.access."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from portal import db
from portal.models import Delegation
from portal.rules.vocabulary import DelegationKind
from portal.timeutil import today_stockholm


def approved_if_representative() -> sa.ColumnElement[bool]:
    """A representative takes effect only once a second staff member has approved it."""
    return sa.or_(
        Delegation.kind != DelegationKind.REPRESENTATIVE, Delegation.approved_at.is_not(None)
    )


def not_ended(today: date) -> sa.ColumnElement[bool]:
    """Neither revoked nor past its end date: in force, or a representative still waiting
    for approval."""
    return sa.and_(
        Delegation.revoked_at.is_(None),
        sa.or_(Delegation.valid_until.is_(None), Delegation.valid_until >= today),
    )


def in_effect(today: date) -> sa.ColumnElement[bool]:
    """A relative or representative may act for the individual today."""
    return sa.and_(not_ended(today), approved_if_representative(), Delegation.valid_from <= today)


def active_delegations_for_relative(relative_id: int | None, today: date) -> list[Delegation]:
    if relative_id is None:
        return []
    return list(
        db.session().scalars(
            sa.select(Delegation).where(Delegation.relative_id == relative_id, in_effect(today))
        )
    )


def representatives_of(individual_id: int) -> list[Delegation]:
    """The individual's representatives whose decision is still in force: in effect, or
    waiting for a second staff member's approval; the soonest end first."""
    return list(
        db.session().scalars(
            sa.select(Delegation)
            .options(joinedload(Delegation.relative))
            .where(
                Delegation.individual_id == individual_id,
                Delegation.kind == DelegationKind.REPRESENTATIVE,
                not_ended(today_stockholm()),
            )
            .order_by(Delegation.valid_until, Delegation.id)
        )
    )
