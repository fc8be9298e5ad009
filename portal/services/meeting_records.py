"""Recording a SIP meeting: attendance, notes, the plan as a draft, follow-up, coordinator.

Until a coordinator is appointed, the convener leads and documents the first meeting [003];
the coordinator is appointed at it together with the individual and must be a named staff
member of a region or municipality. The draft then goes to the coordinator for signing
(portal.services.signing). An unsigned draft can be edited later with `save_draft`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from portal import db
from portal.models import (
    Account,
    CoordinatorAssignment,
    FollowUp,
    Goal,
    Intervention,
    Meeting,
    OwnResponsibility,
    Plan,
    PlanVersion,
    Preparation,
    Staff,
    Unit,
)
from portal.models.audit_types import EventType
from portal.rules.access import may_read_preparation
from portal.rules.access import may_record as rules_may_record
from portal.rules.coordinator_wish import wish_met
from portal.rules.follow_up import current_follow_up
from portal.rules.lifecycle import transition
from portal.rules.participation import units_in_content
from portal.rules.plan_content import (
    ContentInput,
    ContentProblem,
    Units,
    content_problems,
    meeting_problems,
)
from portal.rules.vocabulary import (
    MeetingKind,
    MeetingStatus,
    PlanState,
    VersionStatus,
)
from portal.services import audit, offered
from portal.services.errors import NotAllowedError
from portal.services.notifications import notify_individual_side
from portal.services.requests import current_wish
from portal.services.viewers import consent_by_unit, plan_facts, viewer_for
from portal.timeutil import now, today_stockholm


class RecordRefusedError(Exception):
    """The input cannot be saved: `problems` by form field (see portal.rules.plan_content)."""

    def __init__(self, problems: Mapping[str, ContentProblem]) -> None:
        super().__init__(", ".join(f"{k}={v}" for k, v in problems.items()))
        self.problems = dict(problems)


class StaleEditError(Exception):
    """Someone else saved since this edit began; `current` is what they saved."""

    def __init__(self, current: Meeting | PlanVersion | Plan) -> None:
        super().__init__(f"{type(current).__name__} {current.id} changed")
        self.current = current


@dataclass(frozen=True)
class MeetingRecord:
    """What was agreed and who was there, as typed on the record form."""

    content: ContentInput
    notes: str = ""
    attended: Mapping[int, bool] = field(default_factory=dict)  # participant id -> attended
    individual_present: bool | None = None
    coordinator_id: int | None = None
    coordinator_reason: str = ""
    wish_met: bool | None = None


def content_units(plan: Plan, meeting: Meeting | None = None) -> Units:
    """The units the content may name (portal.rules.participation.units_in_content: consent in
    force, or called to this meeting) and their staff."""
    session = db.session()
    called = [p.unit_id for p in meeting.participants if p.unit_id] if meeting else []
    unit_ids = units_in_content(consent_by_unit(plan.id), called)
    units = session.scalars(sa.select(Unit).where(Unit.id.in_(unit_ids))).all()
    staff = session.execute(sa.select(Staff.id, Staff.unit_id).where(Staff.unit_id.in_(unit_ids)))
    return Units(
        principal_of={u.id: u.principal.value for u in units},
        unit_of_staff={staff_id: unit_id for staff_id, unit_id in staff},
    )


def staff_of_content_units(units: Units) -> list[Staff]:
    """The people to choose among (responsible, follow-up, coordinator), by unit and name."""
    found = db.session().scalars(sa.select(Staff).where(Staff.id.in_(list(units.unit_of_staff))))
    return sorted(found, key=lambda s: (s.unit.name, s.given_name, s.family_name))


def may_record(account: Account, plan: Plan) -> bool:
    """The coordinator, or the convener until one is appointed [003]."""
    return rules_may_record(viewer_for(account), plan_facts(plan))


def shared_preparation(account: Account, meeting: Meeting) -> Preparation | None:
    """The individual's preparation for this meeting, if shared and this unit is consented."""
    preparation = db.session().scalar(
        sa.select(Preparation)
        .where(Preparation.meeting_id == meeting.id, Preparation.shared_at.is_not(None))
        .order_by(Preparation.id.desc())
        .limit(1)
    )
    unit_id = account.staff.unit_id if account.staff else None
    viewer, facts = viewer_for(account), plan_facts(meeting.plan)
    if preparation is None or not may_read_preparation(viewer, facts, True, unit_id):
        return None
    return preparation


def write_content(version: PlanVersion, content: ContentInput) -> None:
    """Put the typed content into an unsigned version (empty rows are left out)."""
    version.goals = [
        Goal(
            text=goal.text.strip(),
            position=position,
            interventions=[
                Intervention(
                    what=item.what.strip(),
                    position=number,
                    unit_id=item.unit_id,
                    responsible_id=item.responsible_id,
                    follow_up_by_id=item.follow_up_by_id,
                    legal_basis=item.legal_basis,
                    frequency=item.frequency.strip(),
                )
                for number, item in enumerate(i for i in goal.interventions if not i.is_empty)
            ],
        )
        for position, (_, goal) in enumerate(content.filled_goals())
    ]
    own = [text.strip() for text in content.own_responsibilities if text.strip()]
    version.own_responsibilities = [
        OwnResponsibility(text=text, position=n) for n, text in enumerate(own)
    ]
    version.follow_up_on = content.follow_up_on
    version.follow_up_form = content.follow_up_form
    version.follow_up_how = content.follow_up_how.strip()
    version.change_summary = content.change_summary.strip()


def new_draft(plan: Plan, content: ContentInput, by: Account) -> PlanVersion:
    """The next version as a draft; an older unsigned draft is superseded, never deleted."""
    for version in plan.versions:
        if version.status is VersionStatus.DRAFT:
            version.status = VersionStatus.SUPERSEDED
    number = max((v.number for v in plan.versions), default=0) + 1
    draft = PlanVersion(plan=plan, number=number, created_by_id=by.staff_id)
    write_content(draft, content)
    db.session().add(draft)
    return draft


def plan_follow_up(plan: Plan, due_on: date, content: ContentInput) -> None:
    """The next follow-up as a row of its own (the worklist and calendars read it)."""
    assert content.follow_up_form is not None
    row = current_follow_up(plan.follow_ups) or FollowUp(plan=plan, due_on=due_on)
    row.due_on, row.form, row.how = due_on, content.follow_up_form, content.follow_up_how.strip()
    db.session().add(row)


def _wish_met(plan: Plan, staff: Staff, answered: bool | None) -> bool | None:
    """Whether the appointment meets the individual's one wish: decided by the wish itself
    when it names a person (`rules.coordinator_wish.wish_met`); otherwise (no wish in the
    portal, or someone described in words) as staff answered after asking at the meeting."""
    wish = current_wish(plan)
    decided = wish_met(wish.staff_id if wish is not None else None, staff.id)
    return decided if decided is not None else answered


def _appoint(plan: Plan, staff: Staff, reason: str, by: Account, answered: bool | None) -> None:
    moment = now()
    met = _wish_met(plan, staff, answered)
    for earlier in plan.coordinator_assignments:
        if earlier.ended_at is None:
            earlier.ended_at = moment
    assignment = CoordinatorAssignment(
        plan=plan,
        staff=staff,
        reason=reason.strip(),
        appointed_by_id=by.staff_id,
        appointed_at=moment,
        accepted_at=moment,
        wish_met=met,
    )
    session = db.session()
    session.add(assignment)
    session.flush()
    audit.record(
        session,
        type=EventType.COORDINATOR_APPOINT,
        by=by,
        subject_individual_id=plan.individual_id,
        object_type="coordinator_assignment",
        object_id=assignment.id,
        detail=f"staff={staff.id}",
    )
    notify_individual_side(plan, "coordinator.appointed")


def offered_coordinator_problem(
    plan: Plan, staff_id: int | None, *, required: bool
) -> ContentProblem | None:
    """The coordinator comes from the list the form offers (`portal.rules.offered`)."""
    if staff_id is None:
        return ContentProblem.COORDINATOR_MISSING if required else None
    if staff_id not in {s.id for s in offered.coordinators(plan)}:
        return ContentProblem.COORDINATOR_NOT_TAKING_PART
    return None


def appoint_coordinator(
    *, plan: Plan, staff: Staff, reason: str, by: Account, wish_met: bool | None
) -> None:
    """Appoint at the meeting, together with the individual; any earlier one ends now."""
    problem = offered_coordinator_problem(plan, staff.id, required=True)
    if problem is not None:
        raise RecordRefusedError({"coordinator": problem})
    _appoint(plan, staff, reason, by, wish_met)
    db.session().commit()


def _check_record(meeting: Meeting, record: MeetingRecord, units: Units) -> None:
    plan = meeting.plan
    problems: dict[str, ContentProblem] = dict(meeting_problems(meeting.starts_at, now()))
    problems |= content_problems(
        record.content, after=today_stockholm(meeting.starts_at), units=units
    )
    has_coordinator = plan_facts(plan).coordinator_id is not None
    problem = offered_coordinator_problem(plan, record.coordinator_id, required=not has_coordinator)
    if problem is not None:
        problems["coordinator"] = problem
    if problems:
        raise RecordRefusedError(problems)


def save_or_stale(session: sa.orm.Session, stale: Meeting | PlanVersion | Plan) -> None:
    try:
        session.flush()
    except StaleDataError as error:
        session.rollback()
        fresh = session.get(type(stale), stale.id, populate_existing=True)
        assert fresh is not None
        raise StaleEditError(fresh) from error


def record_meeting(
    *, meeting: Meeting, record: MeetingRecord, by: Account, expected_version: int
) -> PlanVersion:
    """Record the first meeting in one transaction: the plan is established as a draft."""
    plan = meeting.plan
    if not may_record(by, plan) or meeting.kind is not MeetingKind.FIRST:
        raise NotAllowedError("the convener (or the coordinator) records the first meeting")
    if meeting.row_version != expected_version or meeting.status is not MeetingStatus.PLANNED:
        raise StaleEditError(meeting)
    units = content_units(plan, meeting)
    _check_record(meeting, record, units)
    session = db.session()
    for participant in meeting.participants:
        participant.attended = record.attended.get(participant.id, False)
    meeting.individual_present = record.individual_present
    meeting.record_notes = record.notes.strip()
    meeting.status = MeetingStatus.HELD
    plan.state = transition(plan.state, PlanState.ESTABLISHED)
    draft = new_draft(plan, record.content, by)
    assert record.content.follow_up_on is not None
    plan_follow_up(plan, record.content.follow_up_on, record.content)
    save_or_stale(session, meeting)
    audit.record(
        session,
        type=EventType.MEETING_RECORD,
        by=by,
        subject_individual_id=plan.individual_id,
        object_type="meeting",
        object_id=meeting.id,
        detail=f"version={draft.number}",
    )
    if record.coordinator_id is not None:
        staff = session.get(Staff, record.coordinator_id)
        assert staff is not None
        _appoint(plan, staff, record.coordinator_reason, by, record.wish_met)
    notify_individual_side(plan, "plan.new_version")
    session.commit()
    return draft


def save_draft(
    *, version: PlanVersion, content: ContentInput, by: Account, expected_version: int
) -> PlanVersion:
    """Change an unsigned draft's content; a stale version raises StaleEditError."""
    plan = version.plan
    if not may_record(by, plan):
        raise NotAllowedError("whoever leads the plan edits its draft")
    if version.row_version != expected_version or version.status is not VersionStatus.DRAFT:
        raise StaleEditError(version)
    problems = content_problems(content, after=today_stockholm(), units=content_units(plan))
    if problems:
        raise RecordRefusedError(problems)
    session = db.session()
    # Nothing flushed before the version's row: its UPDATE checks `row_version` first, so a
    # save that lost the race stops there (StaleEditError), before it deletes goals the
    # winner already replaced.
    with session.no_autoflush:
        write_content(version, content)
        assert content.follow_up_on is not None
        plan_follow_up(plan, content.follow_up_on, content)
        flag_modified(version, "change_summary")  # the row itself is saved: its version moves on
    save_or_stale(session, version)
    audit.record(
        session,
        type=EventType.PLAN_DRAFT_EDIT,
        by=by,
        subject_individual_id=plan.individual_id,
        object_type="plan_version",
        object_id=version.id,
        detail=f"version={version.number}",
    )
    session.commit()
    return version
