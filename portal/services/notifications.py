"""Messages in the portal: to whoever leads a plan, and to the individual's side of it.

A notification holds a message key (`portal.labels.NOTIFICATION_TEXT`), never personal data;
its words are translated when it is shown.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from portal import db
from portal.models import Account, Delegation, Meeting, Notification, Plan
from portal.rules import notices
from portal.rules.participation import who_leads
from portal.rules.vocabulary import CloseReason
from portal.services import outbox
from portal.services.delegations import active_delegations_for_relative, in_effect
from portal.timeutil import now, today_stockholm


def notify_leader(plan: Plan, kind: str) -> None:
    """A message to whoever leads the plan now: the coordinator, or else the convener."""
    leader = who_leads(plan.coordinator_assignments, plan.convener)
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
        in_effect(today),
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


def notify_individual_side(plan: Plan, kind: str, *, meeting: Meeting | None = None) -> None:
    """A message to the individual and to every relative acting for them.

    Shown in the portal, and written to the outbox (same transaction) for each address the
    person chose; a relative is told only what their scopes allow (ADR 0090).
    """
    for account_id in individual_side(plan, now().date()):
        db.session().add(Notification(account_id=account_id, plan_id=plan.id, kind=kind))
    sent_kind = notices.OUTBOX_KIND.get(kind, kind)
    if sent_kind not in notices.KINDS:
        return
    if sent_kind in notices.SECURITY_KINDS:
        # about the individual's own account: to the individual, once per transaction
        for account in individual_side_accounts(plan, sent_kind, now()):
            if account.individual_id == plan.individual_id:
                outbox.security_notice(account, sent_kind)
        return
    for account in individual_side_accounts(plan, sent_kind, now()):
        outbox.notify(
            account,
            sent_kind,
            plan_id=plan.id,
            when=meeting.starts_at if meeting is not None else None,
            where=meeting.place if meeting is not None else "",
        )


def individual_side_accounts(plan: Plan, kind: str, at: datetime) -> list[Account]:
    """The individual and the relatives whose scopes allow them to be told this kind."""
    today = today_stockholm(at)
    session = db.session()
    told = []
    for account_id in individual_side(plan, today):
        account = session.get(Account, account_id)
        if account is None:
            continue
        if account.relative_id is not None:
            scopes = frozenset().union(
                *(
                    d.scopes
                    for d in active_delegations_for_relative(account.relative_id, today)
                    if d.individual_id == plan.individual_id
                )
            )
            if not notices.relative_is_told(kind, scopes):
                continue
        told.append(account)
    return told


# Built once, bound per call (ADR 0098); what the news block shows (ADR 0108). UNREAD is
# the same read as a part of a bundle (services.bundle, ADR 0111: the home page's).
_UNREAD = sa.select(Notification.plan_id, Notification.kind, Notification.created_at).where(
    Notification.account_id == sa.bindparam("account_id"),
    Notification.read_at.is_(None),
    Notification.plan_id.in_(sa.bindparam("news_plan_ids", expanding=True)),
)
UNREAD = (_UNREAD, ("-created_at",))  # newest first
_UNREAD_NEWEST_FIRST = _UNREAD.order_by(Notification.created_at.desc())


def unread_values(account: Account, plan_ids: list[int]) -> dict[str, object]:
    """What UNREAD is bound with: the account's unread messages about these plans."""
    return {"account_id": account.id, "news_plan_ids": list(plan_ids)}


def unread_for(account: Account, plan_ids: list[int]) -> list[sa.Row]:
    """The account's unread messages about the plans: each one's plan, kind and time."""
    if not plan_ids:
        return []
    return list(db.session().execute(_UNREAD_NEWEST_FIRST, unread_values(account, plan_ids)))


# Built once with the account bound per request (ADR 0097): the worklist's messages, with
# their plan's number, as a part of the worklist's bundle of its plans' parts
# (services.bundle, ADR 0111), bound with `account_id`.
_UNREAD_OF_ACCOUNT = (
    sa.select(Notification.plan_id, Notification.kind, Notification.created_at, Plan.number)
    .join(Plan, Plan.id == Notification.plan_id)
    .where(Notification.account_id == sa.bindparam("account_id"), Notification.read_at.is_(None))
)
UNREAD_BY_PLAN = (_UNREAD_OF_ACCOUNT, ("-created_at",))  # newest first


def by_plan(rows: list[Any]) -> list[tuple[Any, str]]:
    """Rows of the message's plan_id, kind and created_at (what the worklist shows), each
    with its plan's number."""
    return [(row, row.number) for row in rows]


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
