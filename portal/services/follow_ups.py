"""Follow-up [001][004]: evaluate each goal, revise the plan into a new version, book the next.

The coordinator (or the convener, before one is appointed) evaluates the goals of the
current signed version — the evaluations are part of the new draft (`EvaluatedGoal`), the
signed version is never changed — writes the revised goals and interventions into it, sets
the next follow-up date and form, and records whether the individual approved the changes.
The draft is then signed by the coordinator (portal.services.signing).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy.orm.attributes import flag_modified

from portal import db
from portal.models import Account, EvaluatedGoal, Meeting, Plan, PlanVersion
from portal.models.audit_types import EventType
from portal.rules.follow_up import current_follow_up, follow_up_meeting, version_to_follow_up
from portal.rules.plan_content import (
    ContentInput,
    ContentProblem,
    approval_problems,
    content_problems,
    evaluation_problems,
    follow_up_after,
    meeting_problems,
    state_after_follow_up,
)
from portal.rules.vocabulary import (
    Approval,
    GoalEvaluation,
    MeetingStatus,
)
from portal.services import audit
from portal.services.errors import NotAllowedError
from portal.services.meeting_records import (
    RecordRefusedError,
    StaleEditError,
    content_units,
    may_record,
    new_draft,
    plan_follow_up,
    save_or_stale,
)
from portal.services.notifications import notify_individual_side
from portal.timeutil import now, today_stockholm


@dataclass(frozen=True)
class FollowUpRecord:
    content: ContentInput  # the revised plan
    evaluations: Mapping[int, GoalEvaluation | None] = field(default_factory=dict)  # by goal id
    comments: Mapping[int, str] = field(default_factory=dict)
    approval: Approval | None = None  # the individual's answer to the changes [004]
    approval_note: str = ""  # why they were not asked (or what they said)


def evaluated_version(plan: Plan) -> PlanVersion | None:
    """The version being followed up: the newest signed one."""
    return version_to_follow_up(plan.versions)


def meeting_to_hold(plan: Plan) -> Meeting | None:
    """The follow-up meeting this follow-up is held at, if one was called."""
    return follow_up_meeting(plan.meetings)


def _check(plan: Plan, evaluated: PlanVersion, record: FollowUpRecord) -> None:
    goal_ids = [goal.id for goal in evaluated.goals]
    problems: dict[str, ContentProblem] = dict(evaluation_problems(record.evaluations, goal_ids))
    meeting = meeting_to_hold(plan)
    if meeting is not None:
        problems |= meeting_problems(meeting.starts_at, now())
    after = follow_up_after(
        today_stockholm(), today_stockholm(meeting.starts_at) if meeting else None
    )
    problems |= content_problems(record.content, after=after, units=content_units(plan))
    problems |= approval_problems(record.approval, record.approval_note)
    if problems:
        raise RecordRefusedError(problems)


def record_follow_up(
    *, plan: Plan, record: FollowUpRecord, by: Account, expected_version: int
) -> PlanVersion:
    """Evaluate, revise into a new draft, book the next follow-up: one transaction."""
    if not may_record(by, plan):
        raise NotAllowedError("whoever leads the plan follows it up")
    evaluated = evaluated_version(plan)
    if evaluated is None:
        raise NotAllowedError("a plan is followed up once a version is signed")
    if plan.row_version != expected_version:
        raise StaleEditError(plan)
    _check(plan, evaluated, record)
    session = db.session()
    draft = new_draft(plan, record.content, by)
    draft.evaluated_goals = [
        EvaluatedGoal(
            goal=goal,
            position=position,
            evaluation=record.evaluations[goal.id],
            comment=record.comments.get(goal.id, "").strip(),
        )
        for position, goal in enumerate(evaluated.goals)
    ]
    draft.approval = record.approval
    draft.approval_note = record.approval_note.strip()
    draft.approval_recorded_by_id = by.staff_id
    if record.approval is Approval.APPROVED:
        draft.approved_by_individual_at = now()
    meeting = meeting_to_hold(plan)
    if meeting is not None:
        meeting.status = MeetingStatus.HELD
    done = current_follow_up(plan.follow_ups)
    if done is not None:
        done.done_at = now()
        done.meeting_id = meeting.id if meeting else None
    assert record.content.follow_up_on is not None
    plan_follow_up(plan, record.content.follow_up_on, record.content)
    plan.state = state_after_follow_up(plan.state)
    flag_modified(plan, "state")  # the plan row's version moves on even if the state stays
    save_or_stale(session, plan)
    audit.record(
        session,
        type=EventType.PLAN_FOLLOW_UP,
        by=by,
        subject_individual_id=plan.individual_id,
        object_type="plan_version",
        object_id=evaluated.id,
        detail=f"evaluated={evaluated.number} draft={draft.number} approval={record.approval}",
    )
    notify_individual_side(plan, "plan.new_version")
    session.commit()
    return draft
