"""What the staff plan page shows of a plan, read with statements built once (ADR 0098).

The page shows the plan's row (with the individual and the convener), its meetings and who
each calls, its coordinators, its follow-ups and its versions with how many goals each has
and the goals each evaluated; never an intervention or an own responsibility (those are on
the version's own pages). The plan's row is the ORM's, read with yes-or-no answers that
spare the page a statement each (`PLAN_ROW`); what it shows below the row is one statement of
Core rows (services.bundle), made into the records of services.shown (`PlanParts`, ADR 0112):
building ORM objects for a few rows costs the worker more CPU than reading them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload

from portal import db
from portal.models import (
    AccountInvitation,
    AuditEvent,
    ConsentEvent,
    CoordinatorAssignment,
    CoordinatorWish,
    Delegation,
    EvaluatedGoal,
    FollowUp,
    Goal,
    Meeting,
    MeetingParticipant,
    Notification,
    OutboxMessage,
    Plan,
    PlanRequest,
    PlanVersion,
    Preparation,
    Staff,
    Unit,
)
from portal.models.audit_types import EventType
from portal.models.content_counter import GENERATION
from portal.rules.access import PlanFacts
from portal.rules.vocabulary import ConsentStatus
from portal.services.bundle import Bundle
from portal.services.shown import (
    STAFF_CONTACT,
    AssignmentListed,
    CallListed,
    EvaluationListed,
    FollowUpListed,
    GoalText,
    MeetingListed,
    NameShown,
    PlanParts,
    VersionListed,
    staff_contact,
)
from portal.services.viewers import fact_parts, facts_from

_PLAN_ID = sa.bindparam("plan_id")


def _consent(status: ConsentStatus) -> sa.Exists:
    return sa.exists().where(ConsentEvent.plan_id == Plan.id, ConsentEvent.status == status)


_LATER = aliased(Plan)
_ACCOUNT_ID = sa.bindparam("account_id")


# What may be there, each looser than (implied by) the statement that reads it, so that a
# no here is a no there and spares the page that statement (most plans have none of them):
# open invitations (services.letters, expiry aside), wishes not withdrawn, requests, unread
# messages to the staff member, reminders sent, a shared preparation (services.preparations).
_MAY_HAVE = (
    sa.exists().where(
        sa.or_(
            AccountInvitation.individual_id == Plan.individual_id,
            AccountInvitation.delegation_id.in_(
                sa.select(Delegation.id).where(Delegation.individual_id == Plan.individual_id)
            ),
        ),
        AccountInvitation.used_at.is_(None),
        AccountInvitation.revoked_at.is_(None),
    ),
    sa.exists().where(CoordinatorWish.plan_id == Plan.id, CoordinatorWish.withdrawn_at.is_(None)),
    sa.exists().where(PlanRequest.plan_id == Plan.id),
    sa.exists().where(
        Notification.plan_id == Plan.id,
        Notification.account_id == _ACCOUNT_ID,
        Notification.read_at.is_(None),
    ),
    sa.exists().where(
        OutboxMessage.plan_id == Plan.id,
        OutboxMessage.kind == "meeting.reminder",
        OutboxMessage.status == "sent",
    ),
    sa.exists().where(Preparation.plan_id == Plan.id, Preparation.shared_at.is_not(None)),
)
# The plan's row and yes-or-no answers that spare the page a statement each when, as for
# most plans, the answer is no: was a later plan started from this one, did a re-assessment
# end a deferral (services.deferrals), was consent refused and never given; and _MAY_HAVE.
PLAN_ROW = (
    sa.select(
        Plan,
        GENERATION,  # of the names the kept body shows (ADR 0120)
        sa.exists().where(_LATER.previous_plan_id == Plan.id),
        sa.exists().where(
            AuditEvent.type == EventType.PLAN_REASSESS.value,
            AuditEvent.object_type == "plan",
            AuditEvent.object_id == Plan.id,
        ),
        _consent(ConsentStatus.REFUSED) & ~_consent(ConsentStatus.GIVEN),
        *_MAY_HAVE,
    )
    .where(Plan.id == _PLAN_ID)
    .options(joinedload(Plan.individual), joinedload(Plan.convener).joinedload(Staff.unit))
)


@dataclass(frozen=True)
class PlanFlags:
    generation: int  # of the names shown (staff, units), for the kept body (ADR 0120)
    has_later_plans: bool
    reassessed: bool
    consent_not_given: bool  # the page's notice: consent refused and never given
    # False: the page's statement for it would find nothing (True: it may find something).
    may_have_invitations: bool = True
    may_have_wish: bool = True
    may_have_requests: bool = True
    may_have_news: bool = True
    may_have_reminders: bool = True
    may_have_preparation: bool = True


# What the page shows below the plan's row, in one statement (services.bundle, ADR 0112):
# only the columns it shows, as Core rows made into records (services.shown).
_SIGNER = aliased(Staff, name="signer")
_RECORDER = aliased(Staff, name="recorder")
_MEETINGS = sa.select(
    Meeting.id,
    Meeting.kind,
    Meeting.status,
    Meeting.starts_at,
    Meeting.form,
    Meeting.place,
    Meeting.convener_id,
).where(Meeting.plan_id == _PLAN_ID)
_CALLS = (
    sa.select(
        MeetingParticipant.meeting_id,
        MeetingParticipant.id,
        MeetingParticipant.role,
        MeetingParticipant.staff_id,
        MeetingParticipant.acknowledged_at,
    )
    .join(Meeting, Meeting.id == MeetingParticipant.meeting_id)
    .where(Meeting.plan_id == _PLAN_ID)
)
_ASSIGNMENTS = (
    sa.select(
        CoordinatorAssignment.id,
        CoordinatorAssignment.staff_id,
        CoordinatorAssignment.accepted_at,
        CoordinatorAssignment.ended_at,
        CoordinatorAssignment.effective_on,
        *STAFF_CONTACT,
    )
    .join(Staff, Staff.id == CoordinatorAssignment.staff_id)
    .join(Unit, Unit.id == Staff.unit_id)
    .where(CoordinatorAssignment.plan_id == _PLAN_ID)
)
_FOLLOW_UPS = sa.select(
    FollowUp.id, FollowUp.due_on, FollowUp.form, FollowUp.meeting_id, FollowUp.done_at
).where(FollowUp.plan_id == _PLAN_ID)
_VERSIONS = (
    sa.select(
        PlanVersion.id,
        PlanVersion.number,
        PlanVersion.status,
        PlanVersion.change_summary,
        PlanVersion.follow_up_on,
        PlanVersion.approval,
        PlanVersion.approval_note,
        PlanVersion.signed_at,
        PlanVersion.verification_code,
        sa.select(sa.func.count(Goal.id))
        .where(Goal.version_id == PlanVersion.id)
        .scalar_subquery()
        .label("goal_count"),
        PlanVersion.signed_by_id,
        _SIGNER.given_name.label("signer_given_name"),
        _SIGNER.family_name.label("signer_family_name"),
        PlanVersion.approval_recorded_by_id,
        _RECORDER.given_name.label("recorder_given_name"),
        _RECORDER.family_name.label("recorder_family_name"),
    )
    .outerjoin(_SIGNER, _SIGNER.id == PlanVersion.signed_by_id)
    .outerjoin(_RECORDER, _RECORDER.id == PlanVersion.approval_recorded_by_id)
    .where(PlanVersion.plan_id == _PLAN_ID)
)
_EVALUATED = (
    sa.select(
        EvaluatedGoal.version_id,
        EvaluatedGoal.id,
        EvaluatedGoal.position,
        EvaluatedGoal.evaluation,
        EvaluatedGoal.comment,
        Goal.text,
    )
    .join(Goal, Goal.id == EvaluatedGoal.goal_id)
    .join(PlanVersion, PlanVersion.id == EvaluatedGoal.version_id)
    .where(PlanVersion.plan_id == _PLAN_ID)
)
# In the orders of `Plan`'s and `Meeting`'s and `PlanVersion`'s relationships; and the access
# rules' facts of the plan (services.viewers), in the same round trip.
_PARTS = Bundle(
    {
        "meetings": (_MEETINGS, ("starts_at", "id")),
        "calls": (_CALLS, ("id",)),
        "assignments": (_ASSIGNMENTS, ("id",)),
        "follow_ups": (_FOLLOW_UPS, ("due_on", "id")),
        "versions": (_VERSIONS, ("number",)),
        "evaluated": (_EVALUATED, ("position", "id")),
        **fact_parts(lambda column: column == _PLAN_ID),
    }
)


def _by(rows: list[Any], key: str) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(row)
    return grouped


def _meeting(row: Any, calls: list[Any]) -> MeetingListed:
    participants = tuple(CallListed(c.id, c.role, c.staff_id, c.acknowledged_at) for c in calls)
    return MeetingListed(**row._asdict(), participants=participants)  # _MEETINGS's columns


def _assignment(row: Any) -> AssignmentListed:
    return AssignmentListed(
        row.id, row.staff_id, row.accepted_at, row.ended_at, row.effective_on, staff_contact(row)
    )


def _name(staff_id: int | None, given_name: str, family_name: str) -> NameShown | None:
    return NameShown(given_name, family_name) if staff_id is not None else None


def _version(row: Any, evaluated: list[Any]) -> VersionListed:
    return VersionListed(
        id=row.id,
        number=row.number,
        status=row.status,
        change_summary=row.change_summary,
        follow_up_on=row.follow_up_on,
        approval=row.approval,
        approval_note=row.approval_note,
        signed_at=row.signed_at,
        verification_code=row.verification_code,
        goal_count=row.goal_count,
        signed_by=_name(row.signed_by_id, row.signer_given_name, row.signer_family_name),
        approval_recorded_by=_name(
            row.approval_recorded_by_id, row.recorder_given_name, row.recorder_family_name
        ),
        evaluated_goals=tuple(
            EvaluationListed(GoalText(e.text), e.evaluation, e.comment) for e in evaluated
        ),
    )


def load_page_parts(plan: Plan) -> tuple[PlanParts, PlanFacts]:
    """What the staff plan page shows below an already loaded plan row, and the plan's facts
    for the access rules (`viewers.plan_facts`), in one statement however many meetings,
    versions and goals the plan has."""
    rows = _PARTS.read(db.session().connection(), {"plan_id": plan.id})
    calls, evaluated = _by(rows["calls"], "meeting_id"), _by(rows["evaluated"], "version_id")
    parts = PlanParts(
        id=plan.id,
        state=plan.state,
        meetings=tuple(_meeting(row, calls[row.id]) for row in rows["meetings"]),
        coordinator_assignments=tuple(_assignment(row) for row in rows["assignments"]),
        follow_ups=tuple(FollowUpListed(**row._asdict()) for row in rows["follow_ups"]),
        versions=tuple(_version(row, evaluated[row.id]) for row in rows["versions"]),
    )
    return parts, facts_from([plan], rows)[plan.id]


def plan_row(plan_id: int, account_id: int) -> tuple[Plan, PlanFlags] | None:
    """The plan's row and its flags; `account_id`: the staff member's, for unread messages."""
    row = db.session().execute(PLAN_ROW, {"plan_id": plan_id, "account_id": account_id}).first()
    if row is None:
        return None
    plan, generation, *answers = row
    return plan, PlanFlags(int(generation), *(bool(answer) for answer in answers))
