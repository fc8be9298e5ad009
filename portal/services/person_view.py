"""What the individual's pages show, loaded with a bounded number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from portal import db
from portal.models import (
    CoordinatorAssignment,
    FollowUp,
    Goal,
    Intervention,
    Meeting,
    MeetingParticipant,
    Plan,
    PlanVersion,
    Staff,
)
from portal.rules.calendar_dates import FollowUpDay, MeetingDay, follow_ups_of_their_own
from portal.rules.changes import Change, InterventionFacts, VersionFacts, changes_between
from portal.rules.follow_up import current_follow_up, signed_versions, version_shown
from portal.rules.invitation import is_sip_meeting
from portal.rules.lifecycle import is_active
from portal.rules.participation import active_assignment, who_leads
from portal.rules.plan_content import version_followed_up
from portal.rules.situation import Situation, situation
from portal.rules.vocabulary import MeetingKind, MeetingStatus, VersionStatus
from portal.timeutil import now, to_stockholm


@dataclass(frozen=True)
class PlanOverview:
    plan: Plan
    next_meeting: Meeting | None  # of any kind, a handover of home health too
    next_sip_meeting: Meeting | None  # the SIP meeting: first or follow-up [002]
    next_follow_up: date | None
    coordinator: Staff | None
    current_version: PlanVersion | None
    situation: Situation
    followed_up: PlanVersion | None = None  # the version the current one revised [004]
    follow_up_id: int | None = None  # the current follow-up (portal.rules.follow_up)

    @property
    def leader(self) -> Staff:
        """Who leads: the coordinator, or the convener until one is appointed [003]."""
        return who_leads(self.plan.coordinator_assignments, self.plan.convener)


# Many-to-one hops (a staff member's unit, an intervention's unit) are joined into the
# query that loads their parent; each collection is one `selectinload` query.
PEOPLE = (  # who a meeting participant is
    joinedload(MeetingParticipant.staff).joinedload(Staff.unit),
    joinedload(MeetingParticipant.relative),
)
_PARTICIPANTS = (selectinload(Plan.meetings).selectinload(Meeting.participants).options(*PEOPLE),)
_COMMON = (
    joinedload(Plan.convener).joinedload(Staff.unit),
    *_PARTICIPANTS,
    selectinload(Plan.coordinator_assignments)
    .joinedload(CoordinatorAssignment.staff)
    .joinedload(Staff.unit),
    selectinload(Plan.follow_ups),
)

# A version's parts: who signed it, its own responsibilities, its goals and interventions.
_VERSION_PARTS = (
    joinedload(PlanVersion.signed_by),
    selectinload(PlanVersion.own_responsibilities),
    selectinload(PlanVersion.goals)
    .selectinload(Goal.interventions)
    .options(
        joinedload(Intervention.unit),
        joinedload(Intervention.responsible).joinedload(Staff.unit),
    ),
)

# What a plan page shows, loaded in a fixed number of queries however big the plan is.
WHOLE_PLAN = (
    *_COMMON,
    joinedload(Plan.individual),
    selectinload(Plan.versions).options(*_VERSION_PARTS),
)


# The plan page's row: the many-to-ones joined into it; its collections follow on a cache miss.
# Not its individual: the page's loader has that one in the session already (the individual in
# focus, read this request), and a many-to-one finds it there without a query (ADR 0096).
PLAN_ROW = (joinedload(Plan.convener).joinedload(Staff.unit),)


def load_parts(plan: Plan) -> Plan:
    """Load what WHOLE_PLAN loads below an already loaded plan row, without reading the row
    again: one query per collection, in the relationships' order (ADR 0084's cache miss)."""
    session = db.session()

    def collection(name: str, statement: sa.Select) -> None:
        set_committed_value(plan, name, list(session.scalars(statement)))

    collection(
        "meetings",
        sa.select(Meeting)
        .where(Meeting.plan_id == plan.id)
        .order_by(Meeting.starts_at)
        .options(selectinload(Meeting.participants).options(*PEOPLE)),
    )
    collection(
        "coordinator_assignments",
        sa.select(CoordinatorAssignment)
        .where(CoordinatorAssignment.plan_id == plan.id)
        .order_by(CoordinatorAssignment.id)
        .options(joinedload(CoordinatorAssignment.staff).joinedload(Staff.unit)),
    )
    collection(
        "follow_ups",
        sa.select(FollowUp).where(FollowUp.plan_id == plan.id).order_by(FollowUp.due_on),
    )
    collection(
        "versions",
        sa.select(PlanVersion)
        .where(PlanVersion.plan_id == plan.id)
        .order_by(PlanVersion.number)
        .options(*_VERSION_PARTS),
    )
    return plan


# What the home page shows of each plan: no goals, interventions or responsibilities.
SUMMARY = (*_COMMON, selectinload(Plan.versions))

_PLANS_OF = db.BuiltOnce(
    lambda options: (
        sa.select(Plan)
        .where(Plan.individual_id == sa.bindparam("individual_id"))
        .options(*options)
        .order_by(Plan.created_at.desc())
    )
)
# SUMMARY's collections, each one statement built once for all the plans (ADR 0097): the
# same rows in the relationships' order as its selectin loaders, without their per-request
# set-up (loader paths, option cache keys), which cost more CPU than the rows.
_OF_PLANS = sa.bindparam("plan_ids", expanding=True)
_SUMMARY_PARTS = (
    (
        "meetings",
        sa.select(Meeting).where(Meeting.plan_id.in_(_OF_PLANS)).order_by(Meeting.starts_at),
    ),
    (
        "coordinator_assignments",
        sa.select(CoordinatorAssignment)
        .where(CoordinatorAssignment.plan_id.in_(_OF_PLANS))
        .order_by(CoordinatorAssignment.id)
        .options(joinedload(CoordinatorAssignment.staff).joinedload(Staff.unit)),
    ),
    (
        "follow_ups",
        sa.select(FollowUp).where(FollowUp.plan_id.in_(_OF_PLANS)).order_by(FollowUp.due_on),
    ),
    (
        "versions",
        sa.select(PlanVersion)
        .where(PlanVersion.plan_id.in_(_OF_PLANS))
        .order_by(PlanVersion.number),
    ),
)
_PARTICIPANTS_OF = (
    sa.select(MeetingParticipant)
    .where(MeetingParticipant.meeting_id.in_(sa.bindparam("meeting_ids", expanding=True)))
    .order_by(MeetingParticipant.id)
    .options(*PEOPLE)
)
_SUMMARY_ROW = (joinedload(Plan.convener).joinedload(Staff.unit),)


def _with_summaries(plans: list[Plan]) -> list[Plan]:
    """SUMMARY's collections set on each plan, one query per collection for all of them."""
    if not plans:
        return plans
    session = db.session()

    def collect(parents: list, name: str, statement: sa.Select, key: str, bound: dict) -> list:
        found: dict[int, list] = {parent.id: [] for parent in parents}
        for row in session.scalars(statement, bound):
            found[getattr(row, key)].append(row)
        for parent in parents:
            set_committed_value(parent, name, found[parent.id])
        return [row for rows in found.values() for row in rows]

    bound = {"plan_ids": [p.id for p in plans]}
    for name, statement in _SUMMARY_PARTS:
        rows = collect(plans, name, statement, "plan_id", bound)
        if name == "meetings" and rows:
            meeting_ids = {"meeting_ids": [m.id for m in rows]}
            collect(rows, "participants", _PARTICIPANTS_OF, "meeting_id", meeting_ids)
    return plans


def plans_of(individual_id: int, options: tuple = WHOLE_PLAN) -> list[Plan]:
    """Every plan of the individual, current first, with what the pages show."""
    bound = {"individual_id": individual_id}
    if options is SUMMARY:
        plans = _with_summaries(list(db.session().scalars(_PLANS_OF(_SUMMARY_ROW), bound)))
    else:
        plans = list(db.session().scalars(_PLANS_OF(options), bound))
    return sorted(plans, key=lambda p: (not is_active(p.state), -p.created_at.timestamp()))


def overview(plan: Plan) -> PlanOverview:
    current = now()
    upcoming = [
        m for m in plan.meetings if m.status is MeetingStatus.PLANNED and m.starts_at >= current
    ]
    follow_up = current_follow_up(plan.follow_ups)
    if follow_up is not None and not follow_ups_of_their_own(  # its meeting stands for it
        [FollowUpDay(follow_up.id, follow_up.due_on, follow_up.meeting_id)],
        [
            MeetingDay(m.id, to_stockholm(m.starts_at).date(), m.kind is MeetingKind.FOLLOW_UP)
            for m in upcoming
        ],
    ):
        follow_up = None
    active = active_assignment(plan.coordinator_assignments)
    signed = signed_versions(plan.versions)
    next_meeting = min(upcoming, key=lambda m: m.starts_at) if upcoming else None
    current_version = version_shown(plan.versions)
    by_number = {v.number: v for v in signed}
    earlier = version_followed_up(by_number, current_version.number) if current_version else None
    followed_up = by_number[earlier] if earlier is not None else None
    sip = [m for m in upcoming if is_sip_meeting(m.kind)]
    next_sip_meeting = min(sip, key=lambda m: m.starts_at) if sip else None
    return PlanOverview(
        plan=plan,
        situation=situation(
            plan.state,
            next_sip_meeting.kind if next_sip_meeting else None,
            bool(signed),
            bool(plan.versions) and plan.versions[-1].status is VersionStatus.DRAFT,
        ),
        next_meeting=next_meeting,
        next_sip_meeting=next_sip_meeting,
        next_follow_up=follow_up.due_on if follow_up else None,
        follow_up_id=follow_up.id if follow_up else None,
        coordinator=active.staff if active else None,
        current_version=current_version,
        followed_up=followed_up,
    )


def _facts(version: PlanVersion) -> VersionFacts:
    return VersionFacts(
        goals=tuple(goal.text for goal in version.goals),
        interventions=tuple(
            InterventionFacts(
                unit=item.unit.name,
                what=item.what,
                responsible=item.responsible.name if item.responsible else "",
                frequency=item.frequency,
            )
            for goal in version.goals
            for item in goal.interventions
        ),
        own=tuple(own.text for own in version.own_responsibilities),
        follow_up_on=version.follow_up_on,
    )


@dataclass(frozen=True)
class VersionStory:
    version: PlanVersion
    changes: list[Change]  # against the version before; empty for the first


def version_changes(plan: Plan) -> list[VersionStory]:
    """Every version, newest first, with what changed since the one before, in plain words."""
    stories, previous = [], None
    for version in plan.versions:
        changes = changes_between(_facts(previous), _facts(version)) if previous else []
        stories.append(VersionStory(version, changes))
        previous = version
    return stories[::-1]
