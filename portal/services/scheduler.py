"""What the clock causes (ADR 0090): meeting reminders, follow-ups coming up, staff notices.

Run every minute by the worker (and by `flask send-reminders`). Each message has a dedupe
key, so running twice, or on two instances at once, writes it once.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal import db
from portal.models import (
    Account,
    ConsentEvent,
    CoordinatorAssignment,
    FollowUp,
    Meeting,
    MeetingParticipant,
    OutboxMessage,
    Plan,
    PlanRequest,
    Staff,
)
from portal.rules import follow_up, notices, worklist_items
from portal.rules.deadlines import INVITATION_DAYS, acknowledgement_due, invitation_due_date
from portal.rules.vocabulary import ConsentStatus, MeetingStatus
from portal.services.notifications import individual_side_accounts
from portal.services.outbox import already_written, notify
from portal.timeutil import STOCKHOLM


def run(at: datetime) -> int:
    """Write every message whose moment has come; returns how many were written."""
    written = 0
    for step in (_meeting_reminders, _follow_ups, _discharge_limits, _staff_worklists):
        try:
            written += step(at)
            db.session().commit()
        except IntegrityError:  # another instance wrote the same once-only message first
            db.session().rollback()
    return written


def _tell_individual_side(plan: Plan, kind: str, key: str, at: datetime, **given: Any) -> int:
    """One message per account the plan's individual side has for this kind, once per key."""
    if already_written(key):
        return 0
    return sum(
        len(notify(account, kind, plan_id=plan.id, dedupe_key=f"{key}:{account.id}", **given))
        for account in individual_side_accounts(plan, kind, at)
    )


def _tell_staff(account: Account | None, kind: str, key: str, **given: Any) -> int:
    """Staff are told by e-mail (ADR 0090), once per key."""
    if account is None or already_written(key):
        return 0
    return len(notify(account, kind, path="/staff/worklist", dedupe_key=key, **given))


def _meeting_reminders(at: datetime) -> int:
    reminders = notices.parse_offsets(current_app.config.get("REMINDERS", "24h,2h"))
    if not reminders:
        return 0
    horizon = at + max(r.offset for r in reminders)
    meetings = db.session().scalars(
        sa.select(Meeting)
        .where(
            Meeting.status == MeetingStatus.PLANNED,
            Meeting.invited_at.is_not(None),
            Meeting.starts_at > at,
            Meeting.starts_at <= horizon,
        )
        .order_by(Meeting.id)
    )
    written = 0
    for meeting in meetings:
        due = notices.reminder_due(meeting.starts_at, at, reminders)
        if due is None:
            continue
        # the meeting's time is in the key: a meeting moved to another time is reminded anew
        key = f"reminder:{meeting.id}:{meeting.starts_at:%Y%m%dT%H%M}:{due.key}"
        written += _tell_individual_side(
            meeting.plan,
            "meeting.reminder",
            key,
            at,
            when=meeting.starts_at,
            where=meeting.place,
        )
    return written


def _follow_ups(at: datetime) -> int:
    """A follow-up coming up: told once, a week before. The database narrows the rows by due
    date; which plans are followed up and which follow-ups are still open is `rules.follow_up`."""
    today = at.astimezone(STOCKHOLM).date()
    coming = db.session().scalars(
        sa.select(FollowUp)
        .where(FollowUp.due_on > today, FollowUp.due_on <= today + timedelta(days=7))
        .options(joinedload(FollowUp.plan))
        .order_by(FollowUp.id)
    )
    rows = [f for f in follow_up.open_follow_ups(coming) if follow_up.is_established(f.plan.state)]
    return sum(
        _tell_individual_side(f.plan, "follow_up.soon", f"follow_up:{f.id}", at)
        for f in sorted(rows, key=lambda f: f.id)
    )


def _staff_account(staff_id: int) -> Account | None:
    return db.session().scalar(sa.select(Account).where(Account.staff_id == staff_id))


def _discharge_limits(at: datetime) -> int:
    """Ready for discharge, no invitation yet, and today is the last of the three days. The
    database narrows the plans to those ready in the last few days; whether the three days
    apply is the worklist's rule (`rules.worklist_items.three_days_from`)."""
    if at.astimezone(STOCKHOLM).hour < 8:
        return 0
    today = at.astimezone(STOCKHOLM).date()
    recent = at - timedelta(days=INVITATION_DAYS + 2)  # the last day can only be today if so
    plans = db.session().scalars(
        sa.select(Plan).where(Plan.ready_for_discharge_at >= recent).order_by(Plan.id)
    )
    written = 0
    for plan in plans:
        start = worklist_items.three_days_from(
            plan.state, plan.context, plan.ready_for_discharge_at
        )
        if start is None or not notices.discharge_limit_close(invitation_due_date(start), today):
            continue
        written += _tell_staff(
            _staff_account(plan.convener_id),
            "staff.discharge_limit",
            f"discharge:{plan.id}",
            plan_id=plan.id,
        )
    return written


DIGEST_FROM, DIGEST_UNTIL = time(8, 0), time(9, 0)
# acknowledgement_due() gives at the latest the next weekday's 10:00: a week covers any holidays
LONGEST_ACKNOWLEDGEMENT = timedelta(days=8)


def _staff_worklists(at: datetime) -> int:
    """From each staff member's own worklist: every acknowledgement due within two hours (a
    meeting call, a request, a consent withdrawn, a handover: the items [003] gives an
    acknowledgement deadline), and each weekday from 08:00 the morning digest (a count).

    Cheap each minute (ADR 0094): a worklist is loaded only for staff who may have an
    acknowledgement due within two hours (found from the deadline columns) or who have not
    had today's digest while it is being made (08:00–09:00 on weekdays)."""
    from portal.services.worklist import load_worklist

    local = at.astimezone(STOCKHOLM)
    digest_time = local.weekday() < 5 and DIGEST_FROM <= local.time() < DIGEST_UNTIL
    day = local.date().isoformat()
    digested = _digested(day) if digest_time else set()
    soon = _may_have_acknowledgement_due(at)
    written = 0
    accounts = db.session().scalars(
        sa.select(Account)
        .where(Account.staff_id.is_not(None), Account.disabled_at.is_(None))
        .order_by(Account.id)
    )
    for account in accounts:
        wants_digest = digest_time and account.id not in digested
        if account.staff_id not in soon and not wants_digest:
            continue
        rows = load_worklist(account=account, now=at).rows
        for row in rows:
            item = row.item
            if (
                item.deadline is None
                or item.overdue
                or not notices.acknowledgement_soon(item.deadline.at, at)
                or not notices.needs_acknowledgement(item.kind.value)
            ):
                continue
            written += _tell_staff(
                account,
                "staff.acknowledgement_due",
                f"ack:{item.kind.value}:{item.object_id}:{account.id}",
                plan_id=item.plan_id,
                when=item.deadline.at,
            )
        due = [r for r in rows if r.item.deadline is not None or r.item.overdue]
        if wants_digest and due:
            written += _tell_staff(
                account, "staff.digest", f"digest:{account.id}:{day}", extra={"count": len(due)}
            )
    return written


def _digested(day: str) -> set[int]:
    """The staff accounts whose digest of this day is written (dedupe key digest:ID:DAY:…)."""
    keys = db.session().scalars(
        sa.select(OutboxMessage.dedupe_key)
        .where(OutboxMessage.dedupe_key.like("digest:%"))
        .where(OutboxMessage.dedupe_key.like(f"%:{day}:%"))
    )
    return {int(key.split(":")[1]) for key in keys if key}


def _may_have_acknowledgement_due(at: datetime) -> set[int]:
    """The staff who may have an acknowledgement due within two hours: a superset, read from
    the deadline columns (calls, requests) and from the moments acknowledgement_due() counts
    from (consent withdrawn, handover). Their worklist then decides (ADR 0092)."""
    session = db.session()
    until = at + timedelta(hours=2)
    since = at - LONGEST_ACKNOWLEDGEMENT

    def soon(moment: datetime) -> bool:
        return notices.acknowledgement_soon(acknowledgement_due(moment), at)

    staff = set(
        session.scalars(
            sa.select(MeetingParticipant.staff_id).where(
                MeetingParticipant.staff_id.is_not(None),
                MeetingParticipant.acknowledged_at.is_(None),
                MeetingParticipant.acknowledgement_due_at.between(at, until),
            )
        )
    )
    plans = set(
        session.scalars(
            sa.select(PlanRequest.plan_id).where(
                PlanRequest.acknowledged_at.is_(None),
                PlanRequest.acknowledgement_due_at.between(at, until),
            )
        )
    )
    units: set[int] = set()
    for plan_id, unit_id, recorded_at in session.execute(
        sa.select(ConsentEvent.plan_id, ConsentEvent.unit_id, ConsentEvent.recorded_at).where(
            ConsentEvent.status == ConsentStatus.WITHDRAWN,
            ConsentEvent.handled_at.is_(None),
            ConsentEvent.recorded_at >= since,
        )
    ):
        if soon(recorded_at):
            plans.add(plan_id)
            units.add(unit_id)
    for plan_id, staff_id, appointed_at in session.execute(
        sa.select(
            CoordinatorAssignment.plan_id,
            CoordinatorAssignment.staff_id,
            CoordinatorAssignment.appointed_at,
        ).where(
            CoordinatorAssignment.accepted_at.is_(None),
            CoordinatorAssignment.ended_at.is_(None),
            CoordinatorAssignment.appointed_at >= since,
        )
    ):
        if soon(appointed_at):
            plans.add(plan_id)
            staff.add(staff_id)
    if not plans and not units:
        return staff
    # whoever leads those plans (convener, coordinators) and the staff of the units concerned
    staff |= set(session.scalars(sa.select(Plan.convener_id).where(Plan.id.in_(plans))))
    staff |= set(
        session.scalars(
            sa.select(CoordinatorAssignment.staff_id).where(
                CoordinatorAssignment.plan_id.in_(plans)
            )
        )
    )
    staff |= set(session.scalars(sa.select(Staff.id).where(Staff.unit_id.in_(units))))
    return staff
