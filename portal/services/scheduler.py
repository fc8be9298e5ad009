"""What the clock causes (ADR 0090): meeting reminders, follow-ups coming up, staff notices.

Run every minute by the worker (and by `flask send-reminders`). Each message has a dedupe
key, so running twice, or on two instances at once, writes it once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from portal import db
from portal.models import Account, FollowUp, Meeting, MeetingParticipant, Plan
from portal.rules import notices
from portal.rules.deadlines import invitation_due_date
from portal.rules.vocabulary import MeetingStatus, PlanState
from portal.services.notifications import individual_side_accounts
from portal.services.outbox import already_written, notify
from portal.timeutil import STOCKHOLM


def run(at: datetime) -> int:
    """Write every message whose moment has come; returns how many were written."""
    written = 0
    for step in (
        _meeting_reminders,
        _follow_ups,
        _acknowledgements,
        _discharge_limits,
        _staff_digests,
    ):
        try:
            written += step(at)
            db.session().commit()
        except IntegrityError:  # another instance wrote the same once-only message first
            db.session().rollback()
    return written


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
        if already_written(key):
            continue
        for account in individual_side_accounts(meeting.plan, "meeting.reminder", at):
            written += len(
                notify(
                    account,
                    "meeting.reminder",
                    plan_id=meeting.plan_id,
                    when=meeting.starts_at,
                    where=meeting.place,
                    dedupe_key=f"{key}:{account.id}",
                )
            )
    return written


def _follow_ups(at: datetime) -> int:
    """A follow-up coming up: told once, a week before."""
    today = at.astimezone(STOCKHOLM).date()
    rows = db.session().scalars(
        sa.select(FollowUp)
        .join(Plan, Plan.id == FollowUp.plan_id)
        .where(
            Plan.state != PlanState.CLOSED,
            FollowUp.done_at.is_(None),
            FollowUp.due_on > today,
            FollowUp.due_on <= today + timedelta(days=7),
        )
        .order_by(FollowUp.id)
    )
    written = 0
    for follow_up in rows:
        key = f"follow_up:{follow_up.id}"
        if already_written(key):
            continue
        for account in individual_side_accounts(follow_up.plan, "follow_up.soon", at):
            written += len(
                notify(
                    account,
                    "follow_up.soon",
                    plan_id=follow_up.plan_id,
                    dedupe_key=f"{key}:{account.id}",
                )
            )
    return written


def _staff_account(staff_id: int) -> Account | None:
    return db.session().scalar(sa.select(Account).where(Account.staff_id == staff_id))


def _acknowledgements(at: datetime) -> int:
    rows = db.session().scalars(
        sa.select(MeetingParticipant)
        .where(
            MeetingParticipant.staff_id.is_not(None),
            MeetingParticipant.acknowledged_at.is_(None),
            MeetingParticipant.acknowledgement_due_at.is_not(None),
            MeetingParticipant.acknowledgement_due_at >= at,
            MeetingParticipant.acknowledgement_due_at <= at + timedelta(hours=2),
        )
        .order_by(MeetingParticipant.id)
    )
    written = 0
    for participant in rows:
        key = f"ack:{participant.id}"
        account = _staff_account(participant.staff_id)
        if account is None or already_written(key):
            continue
        written += len(
            notify(
                account,
                "staff.acknowledgement_due",
                plan_id=participant.meeting.plan_id,
                when=participant.acknowledgement_due_at,
                path="/staff/worklist",
                dedupe_key=key,
            )
        )
    return written


def _discharge_limits(at: datetime) -> int:
    """Ready for discharge, no invitation yet, and today is the last of the three days."""
    if at.astimezone(STOCKHOLM).hour < 8:
        return 0
    today = at.astimezone(STOCKHOLM).date()
    plans = db.session().scalars(
        sa.select(Plan)
        .where(Plan.ready_for_discharge_at.is_not(None), Plan.state == PlanState.INITIATED)
        .order_by(Plan.id)
    )
    written = 0
    for plan in plans:
        if not notices.discharge_limit_close(
            invitation_due_date(plan.ready_for_discharge_at), today
        ):
            continue
        key = f"discharge:{plan.id}"
        account = _staff_account(plan.convener_id)
        if account is None or already_written(key):
            continue
        written += len(
            notify(
                account,
                "staff.discharge_limit",
                plan_id=plan.id,
                path="/staff/worklist",
                dedupe_key=key,
            )
        )
    return written


def _staff_digests(at: datetime) -> int:
    """Each weekday from 08:00: how many of one's worklist items have a deadline (a count only)."""
    local = at.astimezone(STOCKHOLM)
    if local.weekday() >= 5 or local.hour < 8:
        return 0
    from portal.services.worklist import load_worklist

    written = 0
    accounts = db.session().scalars(
        sa.select(Account).where(Account.staff_id.is_not(None)).order_by(Account.id)
    )
    for account in accounts:
        key = f"digest:{account.id}:{local.date().isoformat()}"
        if already_written(key):
            continue
        rows = load_worklist(account=account, now=at).rows
        due = [r for r in rows if r.item.deadline is not None or r.item.overdue]
        if not due:
            continue
        written += len(
            notify(
                account,
                "staff.digest",
                path="/staff/worklist",
                dedupe_key=key,
                extra={"count": len(due)},
            )
        )
    return written
