"""What the staff plan page shows of a plan, loaded with statements built once (ADR 0098).

The page shows the plan's row (with the individual and the convener), its meetings and who
each calls, its coordinators, its follow-ups and its versions with how many goals each has
and the goals each evaluated; never an intervention or an own responsibility (those are on
the version's own pages). Each collection is one statement with the plan's id bound, built
once at import (building a statement and its loader options' cache key costs more CPU than
running it on a plan of a few rows), and set on the objects as `selectinload` would.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from portal import db
from portal.models import (
    AccountInvitation,
    AuditEvent,
    ConsentEvent,
    CoordinatorAssignment,
    CoordinatorWish,
    Delegation,
    FollowUp,
    Goal,
    Meeting,
    Notification,
    OutboxMessage,
    Plan,
    PlanRequest,
    PlanVersion,
    Preparation,
    Staff,
)
from portal.models.audit_types import EventType
from portal.rules.vocabulary import ConsentStatus

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


_MEETINGS = (  # with whom each calls, joined: one statement
    sa.select(Meeting)
    .where(Meeting.plan_id == _PLAN_ID)
    .order_by(Meeting.starts_at)
    .options(joinedload(Meeting.participants))
)
_ASSIGNMENTS = (
    sa.select(CoordinatorAssignment)
    .where(CoordinatorAssignment.plan_id == _PLAN_ID)
    .order_by(CoordinatorAssignment.id)
    .options(joinedload(CoordinatorAssignment.staff).joinedload(Staff.unit))
)
_FOLLOW_UPS = sa.select(FollowUp).where(FollowUp.plan_id == _PLAN_ID).order_by(FollowUp.due_on)
_VERSIONS = (
    sa.select(PlanVersion)
    .where(PlanVersion.plan_id == _PLAN_ID)
    .order_by(PlanVersion.number)
    .options(joinedload(PlanVersion.signed_by), joinedload(PlanVersion.evaluated_goals))
)
_GOALS = (
    sa.select(Goal)
    .join(PlanVersion, PlanVersion.id == Goal.version_id)
    .where(PlanVersion.plan_id == _PLAN_ID)
    .order_by(Goal.position, Goal.id)
)


def _by(rows: list, key: str) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(row)
    return grouped


def load_page_parts(plan: Plan) -> Plan:
    """Load what the staff plan page shows below an already loaded plan row: 5 statements
    however many meetings, versions and goals the plan has (4 before its first version)."""
    session = db.session()
    bound = {"plan_id": plan.id}

    def rows(statement: sa.Select) -> list:
        return list(session.scalars(statement, bound).unique())

    set_committed_value(plan, "meetings", rows(_MEETINGS))
    set_committed_value(plan, "coordinator_assignments", rows(_ASSIGNMENTS))
    set_committed_value(plan, "follow_ups", rows(_FOLLOW_UPS))
    versions = rows(_VERSIONS)
    goals = _by(rows(_GOALS), "version_id") if versions else {}  # no version, no goal
    for version in versions:
        set_committed_value(version, "goals", goals.get(version.id, []))
    set_committed_value(plan, "versions", versions)
    return plan


def plan_row(plan_id: int, account_id: int) -> tuple[Plan, PlanFlags] | None:
    """The plan's row and its flags; `account_id`: the staff member's, for unread messages."""
    row = db.session().execute(PLAN_ROW, {"plan_id": plan_id, "account_id": account_id}).first()
    if row is None:
        return None
    plan, *answers = row
    return plan, PlanFlags(*(bool(answer) for answer in answers))
