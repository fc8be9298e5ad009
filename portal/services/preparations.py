"""The individual's preparation for the next meeting ([001]): drafts, sharing, and who reads it.

A draft is saved as the person types; nothing is shared until the individual (or a relative
allowed to help prepare) chooses to. Staff read it only once shared and only for units the
individual has consented to (portal.rules.access.may_read_preparation).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from portal import db
from portal.models import Account, Meeting, Plan, Preparation
from portal.models.audit_types import EventType
from portal.rules.access import PlanFacts, Viewer, may_read_preparation
from portal.rules.invitation import is_sip_meeting
from portal.rules.vocabulary import MeetingForm, MeetingStatus
from portal.services import audit
from portal.services.shown import MeetingListed, PlanParts
from portal.services.viewers import plan_facts
from portal.timeutil import now

TEXT_FIELDS = (
    "needs_wishes",
    "how_i_want_it",
    "what_matters",
    "topics",
    "wanted_attendees",
    "preferred_place",
)
MAX_LENGTH = {name: 4000 for name in TEXT_FIELDS} | {"preferred_place": 300}


@dataclass(frozen=True)
class PreparationInput:
    texts: dict[str, str]
    preferred_form: MeetingForm | None


def next_meeting(plan: Plan | PlanParts) -> Meeting | MeetingListed | None:
    """The next SIP meeting: a meeting about handing over home health is not prepared for
    as if it were the SIP meeting [002]."""
    planned = [
        m
        for m in plan.meetings
        if m.status is MeetingStatus.PLANNED and m.starts_at >= now() and is_sip_meeting(m.kind)
    ]
    return min(planned, key=lambda m: m.starts_at) if planned else None


# `current_preparations` for one plan, as two statements built once (ADR 0098): for the
# next meeting, or for the plan before a meeting is called.
_FOR_MEETING = (
    sa.select(Preparation)
    .where(
        Preparation.plan_id == sa.bindparam("plan_id"),
        Preparation.meeting_id == sa.bindparam("meeting_id"),
    )
    .order_by(Preparation.id)
)
_FOR_PLAN = (
    sa.select(Preparation)
    .where(Preparation.plan_id == sa.bindparam("plan_id"), Preparation.meeting_id.is_(None))
    .order_by(Preparation.id)
)


def current_preparation(plan: Plan | PlanParts) -> Preparation | None:
    """The preparation for the next meeting (or, before one is called, for the plan)."""
    meeting = next_meeting(plan)
    if meeting is None:
        found = db.session().scalars(_FOR_PLAN, {"plan_id": plan.id}).all()
    else:
        found = (
            db.session().scalars(_FOR_MEETING, {"plan_id": plan.id, "meeting_id": meeting.id}).all()
        )
    return found[-1] if found else None  # the newest comes last, as in current_preparations


def current_preparations(plans: list[Plan]) -> dict[int, Preparation | None]:
    """`current_preparation` of each plan, in one query (the home page, ADR 0081)."""
    meetings = {plan.id: next_meeting(plan) for plan in plans}
    found: dict[int, Preparation | None] = dict.fromkeys(meetings)
    if not meetings:
        return found

    each = [
        sa.and_(
            Preparation.plan_id == plan_id,
            Preparation.meeting_id.is_(None)
            if meeting is None
            else Preparation.meeting_id == meeting.id,
        )
        for plan_id, meeting in meetings.items()
    ]
    query = sa.select(Preparation).where(sa.or_(*each)).order_by(Preparation.id)
    for preparation in db.session().scalars(query):
        found[preparation.plan_id] = preparation  # the newest of each plan comes last
    return found


# The home's "to do" (ADR 0108): whether the newest preparation for each plan's next SIP
# meeting was shared. The home page bundles this select with its own condition (the
# preparations for its upcoming meetings), ordered by id, and `not_shared_from` says which.
SHARED = sa.select(
    Preparation.id, Preparation.plan_id, Preparation.meeting_id, Preparation.shared_at
)


def not_shared_from(rows: Iterable[Any], meetings: dict[int, int]) -> set[int]:
    """The plans (ids) whose next SIP meeting (`meetings`: its id by plan id) has no
    preparation yet, or whose newest preparation for it is not shared: the home page's "Att
    göra". `rows`: SHARED's, oldest first, perhaps also for other meetings (not counted)."""
    shared = dict.fromkeys(meetings)
    for row in rows:
        if meetings.get(row.plan_id) == row.meeting_id:
            shared[row.plan_id] = row.shared_at  # the newest of each plan comes last
    return {plan_id for plan_id, at in shared.items() if at is None}


def earlier_preparations(plan: Plan) -> list[Preparation]:
    """Preparations for meetings that have been held: history, readable, not editable."""
    return list(
        db.session().scalars(
            sa.select(Preparation)
            .join(Meeting, Meeting.id == Preparation.meeting_id)
            .where(Preparation.plan_id == plan.id, Meeting.status == MeetingStatus.HELD)
            .order_by(Meeting.starts_at.desc())
        )
    )


def problems(data: PreparationInput) -> dict[str, int]:
    """Fields that are too long, with their limit."""
    return {
        name: MAX_LENGTH[name] for name, text in data.texts.items() if len(text) > MAX_LENGTH[name]
    }


def save(
    *,
    plan: Plan,
    data: PreparationInput,
    by: Account,
    on_behalf_of: int | None,
    share: bool | None = None,
) -> Preparation:
    """Save the draft (and share or stop sharing it when asked). Commits.

    Autosave and Spara from the same page can arrive together, each with the whole form: the
    later one wins (it is retried once on the row it lost to) rather than failing.
    """
    try:
        return _save(plan=plan, data=data, by=by, on_behalf_of=on_behalf_of, share=share)
    except StaleDataError:
        db.session().rollback()
        return _save(plan=plan, data=data, by=by, on_behalf_of=on_behalf_of, share=share)


def _save(
    *,
    plan: Plan,
    data: PreparationInput,
    by: Account,
    on_behalf_of: int | None,
    share: bool | None,
) -> Preparation:
    session = db.session()
    preparation = current_preparation(plan)
    if preparation is None:
        meeting = next_meeting(plan)
        preparation = Preparation(plan=plan, meeting_id=meeting.id if meeting else None)
        session.add(preparation)
    for name, text in data.texts.items():
        setattr(preparation, name, text)
    preparation.preferred_form = data.preferred_form
    preparation.updated_at = now()
    preparation.updated_by_account_id = by.id
    preparation.updated_on_behalf = on_behalf_of is not None
    if share is not None:
        preparation.shared_at = now() if share else None
    session.flush()
    audit.record(
        session,
        type=EventType.PREPARATION_SHARE if share else EventType.PREPARATION_SAVE,
        by=by,
        subject_individual_id=plan.individual_id,
        on_behalf_of=on_behalf_of,
        object_type="preparation",
        object_id=preparation.id,
    )
    session.commit()
    return preparation


def shared_preparation_for(
    viewer: Viewer, plan: Plan | PlanParts, unit_id: int | None, facts: PlanFacts | None = None
) -> Preparation | None:
    """What a staff member may read: the shared preparation, if their unit is consented to
    (`facts`: the plan's, when the caller has read them already, as with `PlanParts`)."""
    preparation = current_preparation(plan)
    if preparation is None or preparation.shared_at is None:
        return None
    if facts is None:
        assert isinstance(plan, Plan), "the plan page's parts come with the plan's facts"
        facts = plan_facts(plan)
    if not may_read_preparation(viewer, facts, shared=True, unit_id=unit_id):
        return None
    return preparation
