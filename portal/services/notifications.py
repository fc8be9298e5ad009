"""Messages in the portal: to whoever leads a plan, and to the individual's side of it.

A notification holds a message key (`portal.labels.NOTIFICATION_TEXT`), never personal data;
its words are translated when it is shown.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from portal import db
from portal.documents.content import coordinator_at
from portal.models import Account, Delegation, Notification, Plan
from portal.rules.vocabulary import CloseReason
from portal.services.delegations import approved_if_representative
from portal.timeutil import now


def notify_leader(plan: Plan, kind: str) -> None:
    """A message to whoever leads the plan now: the coordinator, or else the convener."""
    leader = coordinator_at(plan, None) or plan.convener
    account_id = db.session().scalar(sa.select(Account.id).where(Account.staff_id == leader.id))
    if account_id is not None:
        db.session().add(Notification(account_id=account_id, plan_id=plan.id, kind=kind))


def individual_side(plan: Plan, today: date) -> list[int]:
    """The accounts of the individual and of relatives whose delegation is in force today.

    Once the individual has died (the plan closed as deceased), nobody is told any more.
    """
    if plan.close_reason is CloseReason.DECEASED:
        return []
    individual_id = plan.individual_id
    relatives = sa.select(Delegation.relative_id).where(
        Delegation.individual_id == individual_id,
        Delegation.revoked_at.is_(None),
        approved_if_representative(),
        Delegation.valid_from <= today,
        sa.or_(Delegation.valid_until.is_(None), Delegation.valid_until >= today),
    )
    return list(
        db.session().scalars(
            sa.select(Account.id)
            .where(
                sa.or_(Account.individual_id == individual_id, Account.relative_id.in_(relatives))
            )
            .order_by(Account.id)
        )
    )


def notify_individual_side(plan: Plan, kind: str) -> None:
    """A message to the individual and to every relative acting for them."""
    for account_id in individual_side(plan, now().date()):
        db.session().add(Notification(account_id=account_id, plan_id=plan.id, kind=kind))


def unread_for(account: Account, plan_ids: list[int]) -> list[Notification]:
    return list(
        db.session().scalars(
            sa.select(Notification)
            .where(
                Notification.account_id == account.id,
                Notification.read_at.is_(None),
                Notification.plan_id.in_(plan_ids),
            )
            .order_by(Notification.created_at.desc())
        )
    )


def unread_by_plan(account: Account) -> list[tuple[Notification, str]]:
    """Every unread message of a staff member, newest first, with its plan's number."""
    return [
        (note, number)
        for note, number in db.session().execute(
            sa.select(Notification, Plan.number)
            .join(Plan, Plan.id == Notification.plan_id)
            .where(Notification.account_id == account.id, Notification.read_at.is_(None))
            .order_by(Notification.created_at.desc())
        )
    ]


def mark_read(*, account: Account, plan_id: int) -> None:
    """Everything shown about one plan counts as read (the person pressed "Jag har sett det")."""
    db.session().execute(
        sa.update(Notification)
        .where(
            Notification.account_id == account.id,
            Notification.plan_id == plan_id,
            Notification.read_at.is_(None),
        )
        .values(read_at=now())
    )
    db.session().commit()
