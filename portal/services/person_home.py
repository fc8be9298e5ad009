"""What the individual's home page shows of each plan, read lean (ADR 0108).

Only what the page shows is read: the upcoming planned meetings (the participants of the next
one only where its content is shown), the current follow-up, the versions' statuses, the
reader's unread messages and the requests waiting for an answer (Core rows, in one statement:
services.bundle, ADR 0111) and the coordinator in office (their staff row, for the plans shown
in full). A closed plan shows only its number and how it ended, so none of
its parts is read. No plan's collections are set: the page's summary holds what it shows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from portal import db
from portal.models import Account, FollowUp, Meeting, MeetingParticipant, Plan, PlanVersion, Staff
from portal.rules.access import PlanFacts
from portal.rules.calendar_dates import FollowUpDay, MeetingDay, follow_ups_of_their_own
from portal.rules.follow_up import current_follow_up
from portal.rules.invitation import is_sip_meeting
from portal.rules.situation import Situation, situation
from portal.rules.vocabulary import MeetingKind, MeetingStatus, PlanState, VersionStatus
from portal.services import notifications, requests
from portal.services.bundle import Bundle
from portal.services.person_view import PEOPLE
from portal.timeutil import now, to_stockholm


@dataclass(frozen=True)
class PlanSummary:
    """One plan as the home page shows it (as `person_view.overview`, without the versions)."""

    plan: Plan
    next_meeting: Meeting | None  # of any kind, a handover of home health too
    next_sip_meeting: Meeting | None  # the SIP meeting: first or follow-up [002]
    next_follow_up: date | None
    follow_up_id: int | None  # the current follow-up (portal.rules.follow_up)
    coordinator: Staff | None  # read only for a plan shown in full
    situation: Situation

    @property
    def leader(self) -> Staff:
        """Who leads: the coordinator, or the convener until one is appointed [003]."""
        return self.coordinator if self.coordinator is not None else self.plan.convener


_OF_PLANS = sa.bindparam("plan_ids", expanding=True)
_UPCOMING = (
    sa.select(Meeting)
    .where(
        Meeting.plan_id.in_(_OF_PLANS),
        Meeting.status == MeetingStatus.PLANNED,
        Meeting.starts_at >= sa.bindparam("now", type_=Meeting.starts_at.type),
    )
    .order_by(Meeting.starts_at)
)
_PARTICIPANTS_OF = (
    sa.select(MeetingParticipant)
    .where(MeetingParticipant.meeting_id.in_(sa.bindparam("meeting_ids", expanding=True)))
    .order_by(MeetingParticipant.id)
    .options(*PEOPLE)
)
_STAFF = (
    sa.select(Staff)
    .where(Staff.id.in_(sa.bindparam("staff_ids", expanding=True)))
    .options(joinedload(Staff.unit))
)
# The open follow-ups, the versions' statuses (by number), the reader's unread messages and
# the requests waiting for an answer: one statement (services.bundle, ADR 0111). Which
# follow-up is current is the rule's (rules.follow_up).
_OPEN_FOLLOW_UPS = sa.select(
    FollowUp.plan_id, FollowUp.id, FollowUp.due_on, FollowUp.meeting_id, FollowUp.done_at
).where(FollowUp.plan_id.in_(_OF_PLANS), FollowUp.done_at.is_(None))
_STATUSES = sa.select(PlanVersion.plan_id, PlanVersion.status, PlanVersion.number).where(
    PlanVersion.plan_id.in_(_OF_PLANS)
)
_HOME = Bundle(
    {
        "follow_ups": (_OPEN_FOLLOW_UPS, ("due_on",)),
        "versions": (_STATUSES, ("number",)),
        "news": notifications.UNREAD,
        "waiting": requests.UNANSWERED,
    }
)


@dataclass(frozen=True)
class Home:
    """What the home page reads of the individual's plans, besides their rows."""

    summaries: list[PlanSummary]  # in the plans' order
    news: list[Any]  # the reader's unread messages (plan_id, kind, created_at), newest first
    waiting: dict[int, list[Any]]  # the requests waiting for an answer, of the plans in full


@dataclass
class _Parts:
    upcoming: list[Meeting]
    follow_ups: list[Any]  # rows: id, due_on, meeting_id, done_at
    statuses: list[str]  # of the versions, by number


def _parts(rows: dict[str, list[Any]]) -> dict[int, _Parts]:
    found: dict[int, _Parts] = defaultdict(lambda: _Parts([], [], []))
    for row in rows["follow_ups"]:
        found[row.plan_id].follow_ups.append(row)
    for row in rows["versions"]:
        found[row.plan_id].statuses.append(row.status)
    return found


def _upcoming(plan_ids: list[int], current: datetime, parts: dict[int, _Parts]) -> None:
    if not plan_ids:
        return
    for meeting in db.session().scalars(_UPCOMING, {"plan_ids": plan_ids, "now": current}):
        parts[meeting.plan_id].upcoming.append(meeting)


def _with_participants(meetings: list[Meeting]) -> None:
    """Each meeting's participants, in one statement (none for no meeting)."""
    if not meetings:
        return
    found: dict[int, list[MeetingParticipant]] = {m.id: [] for m in meetings}
    bound = {"meeting_ids": list(found)}
    for participant in db.session().scalars(_PARTICIPANTS_OF, bound):
        found[participant.meeting_id].append(participant)
    for meeting in meetings:
        set_committed_value(meeting, "participants", found[meeting.id])


def _coordinators(staff_ids: set[int]) -> dict[int, Staff]:
    if not staff_ids:
        return {}
    bound = {"staff_ids": sorted(staff_ids)}
    return {staff.id: staff for staff in db.session().scalars(_STAFF, bound)}


def _next(meetings: list[Meeting]) -> Meeting | None:
    return min(meetings, key=lambda m: m.starts_at) if meetings else None


def _current_follow_up(parts: _Parts) -> FollowUpDay | None:
    """The earliest open follow-up, unless a meeting in the calendar stands for it."""
    current = current_follow_up(parts.follow_ups)
    if current is None:
        return None
    follow_up = FollowUpDay(current.id, current.due_on, current.meeting_id)
    days = [
        MeetingDay(m.id, to_stockholm(m.starts_at).date(), m.kind is MeetingKind.FOLLOW_UP)
        for m in parts.upcoming
    ]
    return follow_up if follow_ups_of_their_own([follow_up], days) else None


def _summary(plan: Plan, parts: _Parts, coordinator: Staff | None) -> PlanSummary:
    next_sip_meeting = _next([m for m in parts.upcoming if is_sip_meeting(m.kind)])
    follow_up = _current_follow_up(parts)
    statuses = parts.statuses
    return PlanSummary(
        plan=plan,
        next_meeting=_next(parts.upcoming),
        next_sip_meeting=next_sip_meeting,
        next_follow_up=follow_up.due_on if follow_up else None,
        follow_up_id=follow_up.follow_up_id if follow_up else None,
        coordinator=coordinator,
        situation=situation(
            plan.state,
            next_sip_meeting.kind if next_sip_meeting else None,
            VersionStatus.SIGNED in statuses,
            bool(statuses) and statuses[-1] == VersionStatus.DRAFT,
        ),
    )


def read_home(
    plans: list[Plan],
    facts: dict[int, PlanFacts],
    *,
    reader: Account,
    in_full: Collection[int],
    meeting_content: Collection[int],
) -> Home:
    """Each plan's summary, in order: the coordinator of the plans `in_full` (ids), the next
    meeting's participants where the viewer may see `meeting_content` (plan ids); the
    `reader`'s unread messages about the plans, and the waiting requests of those in full."""
    if not plans:
        return Home([], [], {})
    current = now()
    open_ids = [p.id for p in plans if p.state is not PlanState.CLOSED]
    full_ids = [p.id for p in plans if p.id in in_full]
    values = {
        "plan_ids": open_ids,
        **notifications.unread_values(reader, [p.id for p in plans]),
        **requests.unanswered_values(full_ids),
    }
    rows = _HOME.read(db.session().connection(), values)
    parts = _parts(rows)
    _upcoming(open_ids, current, parts)
    empty = _Parts([], [], [])
    coordinator_ids = {
        facts[p].coordinator_id for p in open_ids if p in in_full and facts[p].coordinator_id
    }
    coordinators = _coordinators(coordinator_ids)
    summaries = []
    for plan in plans:
        coordinator_id = facts[plan.id].coordinator_id if plan.id in in_full else None
        summaries.append(
            _summary(plan, parts.get(plan.id, empty), coordinators.get(coordinator_id))
        )
    _with_participants(
        [
            s.next_meeting
            for s in summaries
            if s.next_meeting is not None and s.plan.id in meeting_content
        ]
    )
    return Home(summaries, rows["news"], requests.unanswered_from(rows["waiting"], full_ids))
