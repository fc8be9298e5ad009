"""A change to a signed plan is made in a new draft version, which needs a new signature.

Signed versions never change (portal/models/guards.py) and stay downloadable. The draft
starts as a copy of the newest version; an unsigned draft is itself the place for changes.
"""

from __future__ import annotations

from portal import db
from portal.models import Account, Goal, Intervention, OwnResponsibility, Plan, PlanVersion
from portal.models.audit_types import EventType
from portal.rules.vocabulary import VersionStatus
from portal.services import audit


def _copy_goal(goal: Goal) -> Goal:
    return Goal(
        text=goal.text,
        position=goal.position,
        interventions=[
            Intervention(
                what=item.what,
                position=item.position,
                unit_id=item.unit_id,
                responsible_id=item.responsible_id,
                follow_up_by_id=item.follow_up_by_id,
                legal_basis=item.legal_basis,
                frequency=item.frequency,
            )
            for item in goal.interventions
        ],
    )


def draft_for_changes(*, plan: Plan, by: Account, change_summary: str = "") -> PlanVersion:
    """The draft to change: the newest version if unsigned, else a new copy of it."""
    newest = plan.versions[-1] if plan.versions else None
    if newest is not None and newest.status is VersionStatus.DRAFT:
        return newest
    draft = PlanVersion(
        plan=plan,
        number=(newest.number + 1) if newest else 1,
        status=VersionStatus.DRAFT,
        change_summary=change_summary,
        created_by_id=by.staff_id,
    )
    if newest is not None:
        draft.follow_up_on = newest.follow_up_on
        draft.follow_up_form = newest.follow_up_form
        draft.follow_up_how = newest.follow_up_how
        draft.goals = [_copy_goal(goal) for goal in newest.goals]
        draft.own_responsibilities = [
            OwnResponsibility(text=own.text, position=own.position)
            for own in newest.own_responsibilities
        ]
    session = db.session()
    session.add(draft)
    session.flush()
    audit.record(
        session,
        type=EventType.PLAN_DRAFT,
        by=by,
        subject_individual_id=plan.individual_id,
        object_type="plan_version",
        object_id=draft.id,
        detail=f"version={draft.number}",
    )
    session.commit()
    return draft
