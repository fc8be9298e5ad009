"""What the individual's home page shows of each plan, read lean (ADR 0108).

Only what the page shows is read, as Core rows in one statement (services.bundle, ADR 0111):
the upcoming planned meetings, the participants of those of the plans whose meeting content
the viewer may see, the current follow-up, the versions' statuses, the coordinator in office
(for the plans shown in full), whether the preparation for the next SIP meeting was shared,
the reader's unread messages and the requests waiting for an answer. The page's meetings and
people are small frozen records (services.shown) with what the templates and rules read of
them; the plan rows (and their conveners) stay the ORM's. A closed plan shows only its number and
how it ended, so none of its parts is read. No plan's collections are set: the page's summary
holds what it shows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from portal import db
from portal.models import (
    Account,
    FollowUp,
    Meeting,
    MeetingParticipant,
    Plan,
    PlanVersion,
    Preparation,
    Relative,
    Staff,
    Unit,
)
from portal.rules.access import PlanFacts
from portal.rules.calendar_dates import FollowUpDay, MeetingDay, follow_ups_of_their_own
from portal.rules.follow_up import current_follow_up
from portal.rules.invitation import is_sip_meeting
from portal.rules.situation import Situation, situation
from portal.rules.vocabulary import (
    MeetingKind,
    MeetingStatus,
    PlanState,
    VersionStatus,
)
from portal.services import notifications, preparations, requests
from portal.services.bundle import Bundle
from portal.services.shown import (
    STAFF_CONTACT,
    NameShown,
    ParticipantShown,
    StaffShown,
    UnitName,
    UpcomingMeeting,
    staff_contact,
)
from portal.timeutil import now, to_stockholm


@dataclass(frozen=True)
class PlanSummary:
    """One plan as the home page shows it (as `person_view.overview`, without the versions)."""

    plan: Plan
    next_meeting: UpcomingMeeting | None  # of any kind, a handover of home health too
    next_sip_meeting: UpcomingMeeting | None  # the SIP meeting: first or follow-up [002]
    next_follow_up: date | None
    follow_up_id: int | None  # the current follow-up (portal.rules.follow_up)
    coordinator: StaffShown | None  # read only for a plan shown in full
    situation: Situation

    @property
    def leader(self) -> StaffShown | Staff:
        """Who leads: the coordinator, or the convener (the plan row's `Staff`) until one is
        appointed [003]."""
        return self.coordinator if self.coordinator is not None else self.plan.convener


# The bundle's bound values, each under a name of its own (ADR 0111); a part binds those it
# needs, and the parts read by meeting share `now` with the meetings' part.
_OF_PLANS = sa.bindparam("plan_ids", expanding=True)  # the open plans
_NOW = sa.bindparam("now", type_=Meeting.starts_at.type)
_CONTENT_PLANS = sa.bindparam("content_plan_ids", expanding=True)  # meeting content shown
_PREPARED_PLANS = sa.bindparam("prepare_plan_ids", expanding=True)  # the viewer may prepare
_COORDINATORS_BOUND = sa.bindparam("coordinator_ids", expanding=True)


def _upcoming(plan_ids: sa.BindParameter) -> sa.ColumnElement[bool]:
    """The planned meetings not yet begun of the plans bound as `plan_ids` (one condition for
    the meetings and for the parts read by meeting, so they speak of the same meetings)."""
    return sa.and_(
        Meeting.plan_id.in_(plan_ids),
        Meeting.status == MeetingStatus.PLANNED,
        Meeting.starts_at >= _NOW,
    )


_UPCOMING = sa.select(
    Meeting.id,
    Meeting.plan_id,
    Meeting.kind,
    Meeting.status,
    Meeting.starts_at,
    Meeting.form,
    Meeting.place,
    Meeting.join_info,
    Meeting.purpose,
).where(_upcoming(_OF_PLANS))
# A part cannot depend on another's rows: the participants of every upcoming meeting of the
# plans whose meeting content is shown, not only of each one's next (a few rows more).
_STAFF_UNIT = aliased(Unit, name="staff_unit")
_PARTICIPANTS = (
    sa.select(
        MeetingParticipant.meeting_id,
        MeetingParticipant.id,
        MeetingParticipant.role,
        MeetingParticipant.staff_id,
        Staff.given_name.label("staff_given_name"),
        Staff.family_name.label("staff_family_name"),
        Staff.profession.label("staff_profession"),
        _STAFF_UNIT.name.label("staff_unit_name"),
        MeetingParticipant.unit_id,
        Unit.name.label("unit_name"),
        MeetingParticipant.relative_id,
        Relative.given_name.label("relative_given_name"),
        Relative.family_name.label("relative_family_name"),
        MeetingParticipant.other_name,
    )
    .join(Meeting, Meeting.id == MeetingParticipant.meeting_id)
    .outerjoin(Staff, Staff.id == MeetingParticipant.staff_id)
    .outerjoin(_STAFF_UNIT, _STAFF_UNIT.id == Staff.unit_id)
    .outerjoin(Unit, Unit.id == MeetingParticipant.unit_id)
    .outerjoin(Relative, Relative.id == MeetingParticipant.relative_id)
    .where(_upcoming(_CONTENT_PLANS))
)
_COORDINATORS = (
    sa.select(Staff.id, *STAFF_CONTACT)
    .join(Unit, Unit.id == Staff.unit_id)
    .where(Staff.id.in_(_COORDINATORS_BOUND))
)
# The preparations for the upcoming meetings of the plans the viewer may prepare (found by
# the preparations' plan index; their meetings by the one condition). Which meeting is each
# plan's next SIP meeting, and what is left to do, is decided from the rows.
_PREPARATIONS = (
    preparations.SHARED.join(Meeting, Meeting.id == Preparation.meeting_id)
    .where(Preparation.plan_id.in_(_PREPARED_PLANS))
    .where(_upcoming(_PREPARED_PLANS))
)
# Which follow-up is current is the rule's (rules.follow_up).
_OPEN_FOLLOW_UPS = sa.select(
    FollowUp.plan_id, FollowUp.id, FollowUp.due_on, FollowUp.meeting_id, FollowUp.done_at
).where(FollowUp.plan_id.in_(_OF_PLANS), FollowUp.done_at.is_(None))
_STATUSES = sa.select(PlanVersion.plan_id, PlanVersion.status, PlanVersion.number).where(
    PlanVersion.plan_id.in_(_OF_PLANS)
)
_HOME = Bundle(
    {
        "meetings": (_UPCOMING, ("starts_at", "id")),
        "participants": (_PARTICIPANTS, ("id",)),
        "coordinators": (_COORDINATORS, ()),
        "preparations": (_PREPARATIONS, ("id",)),
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
    to_prepare: set[int]  # the plans (ids) whose next SIP meeting is still to prepare for


@dataclass
class _Parts:
    upcoming: list[UpcomingMeeting]
    follow_ups: list[Any]  # rows: id, due_on, meeting_id, done_at
    statuses: list[str]  # of the versions, by number


def _participant(row: Any) -> ParticipantShown:
    staff = None
    if row.staff_id is not None:
        staff = StaffShown(
            row.staff_given_name,
            row.staff_family_name,
            row.staff_profession,
            UnitName(row.staff_unit_name),
        )
    return ParticipantShown(
        role=row.role,
        staff=staff,
        unit=UnitName(row.unit_name) if row.unit_id is not None else None,
        relative=(
            NameShown(row.relative_given_name, row.relative_family_name)
            if row.relative_id is not None
            else None
        ),
        other_name=row.other_name,
    )


def _meeting(row: Any, participants: tuple[ParticipantShown, ...]) -> UpcomingMeeting:
    return UpcomingMeeting(**row._asdict(), participants=participants)  # _UPCOMING's columns


def _parts(rows: dict[str, list[Any]]) -> dict[int, _Parts]:
    # Only the plans in `meeting_content` had their participants read (content_plan_ids).
    called: dict[int, list[ParticipantShown]] = defaultdict(list)
    for row in rows["participants"]:
        called[row.meeting_id].append(_participant(row))
    found: dict[int, _Parts] = defaultdict(lambda: _Parts([], [], []))
    for row in rows["meetings"]:
        found[row.plan_id].upcoming.append(_meeting(row, tuple(called.get(row.id, ()))))
    for row in rows["follow_ups"]:
        found[row.plan_id].follow_ups.append(row)
    for row in rows["versions"]:
        found[row.plan_id].statuses.append(row.status)
    return found


def _next(meetings: list[UpcomingMeeting]) -> UpcomingMeeting | None:
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


def _summary(plan: Plan, parts: _Parts, coordinator: StaffShown | None) -> PlanSummary:
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
    prepare: Collection[int],
) -> Home:
    """Each plan's summary, in order: the coordinator of the plans `in_full` (ids), the
    meetings' participants where the viewer may see `meeting_content` (plan ids), whether the
    next SIP meeting is still to prepare for where the viewer may `prepare` (plan ids); the
    `reader`'s unread messages about the plans, and the waiting requests of those in full."""
    if not plans:
        return Home([], [], {}, set())
    open_ids = [p.id for p in plans if p.state is not PlanState.CLOSED]
    full_ids = [p.id for p in plans if p.id in in_full]
    coordinator_of = {
        p: facts[p].coordinator_id for p in open_ids if p in in_full and facts[p].coordinator_id
    }
    values = {
        "plan_ids": open_ids,
        "now": now(),
        "content_plan_ids": [p for p in open_ids if p in meeting_content],
        "prepare_plan_ids": [p for p in open_ids if p in prepare],
        "coordinator_ids": sorted(set(coordinator_of.values())),
        **notifications.unread_values(reader, [p.id for p in plans]),
        **requests.unanswered_values(full_ids),
    }
    rows = _HOME.read(db.session().connection(), values)
    parts = _parts(rows)
    coordinators = {row.id: staff_contact(row) for row in rows["coordinators"]}
    empty = _Parts([], [], [])
    summaries = [
        _summary(plan, parts.get(plan.id, empty), coordinators.get(coordinator_of.get(plan.id)))
        for plan in plans
    ]
    next_sip_meetings = {
        s.plan.id: s.next_sip_meeting.id
        for s in summaries
        if s.next_sip_meeting is not None and s.plan.id in prepare
    }
    return Home(
        summaries,
        rows["news"],
        requests.unanswered_from(rows["waiting"], full_ids),
        preparations.not_shared_from(rows["preparations"], next_sip_meetings),
    )
