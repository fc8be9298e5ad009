"""Meeting invitations (kallelse): send, change with a version check, cancel, acknowledge.

The invitation states what [004] requires: whom the plan is for, purpose and questions, the
convener, who is called (staff, obliged to attend) and who is invited (relatives), time, place
and form. Called staff acknowledge it by the weekday deadline of [003]. The individual's side
is told in the portal at once (portal.services.notifications).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from portal import db
from portal.models import (
    Account,
    Meeting,
    MeetingParticipant,
    Plan,
    Preparation,
    Staff,
)
from portal.models.audit_types import EventType
from portal.rules.access import may_acknowledge_call
from portal.rules.deadlines import acknowledgement_due
from portal.rules.invitation import (
    CallProblem,
    call_problem,
    is_sip_meeting,
    must_acknowledge,
    planned_kinds,
    state_after_cancelling,
    state_after_invitation,
)
from portal.rules.lifecycle import transition
from portal.rules.vocabulary import (
    MeetingKind,
    MeetingStatus,
    ParticipantRole,
    PlanState,
)
from portal.services import audit
from portal.services.errors import NotAllowedError
from portal.services.invitation_check import (
    Invitation,
    InvitationRefusedError,
    callable_staff,
    possible_conveners,
    problems,
    relatives_of,
)
from portal.services.notifications import notify_individual_side
from portal.services.plans import PlanInputError
from portal.services.viewers import viewer_for
from portal.timeutil import now

__all__ = [
    "Invitation",
    "InvitationRefusedError",
    "VersionConflictError",
    "callable_staff",
    "possible_conveners",
    "problems",
    "relatives_of",
]

# What the called must hear about again when it changes (and the individual is told).
WHAT_MATTERS = ("starts_at", "ends_at", "form", "place", "join_info")


class VersionConflictError(Exception):
    """Someone else saved the meeting since this edit began."""

    def __init__(self, meeting: Meeting) -> None:
        super().__init__(f"meeting {meeting.id} is at version {meeting.row_version}")
        self.meeting = meeting


def _refuse_if_wrong(plan: Plan, invitation: Invitation, by: Account) -> None:
    if plan.state is PlanState.CLOSED:
        raise PlanInputError("kind", _l("Planen är avslutad."))
    found = problems(plan, invitation, by)
    if found:
        raise InvitationRefusedError(found)


def _called(staff: Staff, sent_at: datetime, convener_id: int) -> MeetingParticipant:
    own = staff.id == convener_id  # the convener sent it: nothing to acknowledge
    return MeetingParticipant(
        role=ParticipantRole.CALLED,
        staff_id=staff.id,
        unit_id=staff.unit_id,
        acknowledgement_due_at=None if own else acknowledgement_due(sent_at),
        acknowledged_at=sent_at if own else None,
    )


def _others(invitation: Invitation) -> list[str]:
    return list(dict.fromkeys(n.strip() for n in invitation.other_invited if n.strip()))


def _participants(invitation: Invitation, sent_at: datetime) -> list[MeetingParticipant]:
    ids = list(dict.fromkeys([invitation.convener.id, *invitation.called_staff_ids]))
    staff = {s.id: s for s in db.session().scalars(sa.select(Staff).where(Staff.id.in_(ids)))}
    made = [_called(staff[i], sent_at, invitation.convener.id) for i in ids if i in staff]
    made += [
        MeetingParticipant(role=ParticipantRole.INVITED, relative_id=r)
        for r in dict.fromkeys(invitation.invited_relative_ids)
    ]
    made += [
        MeetingParticipant(role=ParticipantRole.INVITED, other_name=name)
        for name in _others(invitation)
    ]
    return made


def _attach_preparation(plan: Plan, meeting: Meeting) -> None:
    """What the individual prepared before the SIP meeting was called belongs to it [001]."""
    waiting = db.session().scalar(
        sa.select(Preparation)
        .where(Preparation.plan_id == plan.id, Preparation.meeting_id.is_(None))
        .order_by(Preparation.id.desc())
        .limit(1)
    )
    if waiting is not None:
        waiting.meeting = meeting


def _move(plan: Plan, wanted: PlanState) -> None:
    """Change the plan's state only when the meeting changes it (a handover never does)."""
    if wanted is not plan.state:
        plan.state = transition(plan.state, wanted)


def _call_problem_text(problem: CallProblem) -> object:
    return {
        CallProblem.DEFERRED: _l(
            "Planen vilar under korttidsvistelsen. Biståndshandläggaren frågar om behovet "
            "finns kvar innan hemgång och kallar sedan till SIP."
        ),
        CallProblem.FIRST_ALREADY: _l("Det första SIP-mötet är redan kallat eller hållet."),
        CallProblem.FOLLOW_UP_ALREADY: _l(
            "Ett uppföljningsmöte är redan kallat. Ändra det i stället."
        ),
        CallProblem.NOT_ESTABLISHED: _l("Ett uppföljningsmöte kräver en upprättad plan."),
    }[problem]


def _refuse_kind(plan: Plan, kind: MeetingKind) -> None:
    """portal.rules.invitation.call_problem, in words beside the field."""
    problem = call_problem(plan.state, kind, planned_kinds(plan.meetings))
    if problem is not None:
        raise PlanInputError("kind", _call_problem_text(problem))


def invite(*, plan: Plan, kind: MeetingKind, invitation: Invitation, by: Account) -> Meeting:
    """Send an invitation. The individual sees it on their home page at once."""
    if plan.state is not PlanState.CLOSED:
        _refuse_kind(plan, kind)
    _refuse_if_wrong(plan, invitation, by)
    sent_at = now()
    meeting = Meeting(
        plan=plan,
        kind=kind,
        purpose=invitation.purpose.strip(),
        questions=invitation.questions.strip(),
        convener_id=invitation.convener.id,
        starts_at=invitation.starts_at,
        ends_at=invitation.ends_at,
        form=invitation.form,
        place=invitation.place.strip(),
        join_info=invitation.join_info.strip(),
        invited_at=sent_at,
        participants=_participants(invitation, sent_at),
    )
    session = db.session()
    session.add(meeting)
    if kind is MeetingKind.FIRST:
        plan.convener = invitation.convener  # who calls the first meeting leads it [003]
    _move(plan, state_after_invitation(plan.state, kind))
    session.flush()
    if is_sip_meeting(kind):
        _attach_preparation(plan, meeting)
    audit.record(
        session,
        type=EventType.MEETING_INVITE,
        by=by,
        subject_individual_id=plan.individual_id,
        object_type="meeting",
        object_id=meeting.id,
        detail=kind.value,
    )
    notify_individual_side(plan, "meeting.invited", meeting=meeting)
    session.commit()
    return meeting


def _sync_participants(meeting: Meeting, invitation: Invitation, sent_at: datetime) -> None:
    wanted_staff = {p.staff_id: p for p in _participants(invitation, sent_at) if p.staff_id}
    wanted_relatives = set(invitation.invited_relative_ids)
    others = _others(invitation)
    for participant in list(meeting.participants):
        keep = (
            participant.staff_id in wanted_staff
            or participant.relative_id in wanted_relatives
            or (participant.other_name and participant.other_name in others)
        )
        if not keep:
            meeting.participants.remove(participant)
    have_staff = {p.staff_id for p in meeting.participants if p.staff_id}
    have_relatives = {p.relative_id for p in meeting.participants if p.relative_id}
    have_others = {p.other_name for p in meeting.participants if p.other_name}
    meeting.participants.extend(p for i, p in wanted_staff.items() if i not in have_staff)
    meeting.participants.extend(
        MeetingParticipant(role=ParticipantRole.INVITED, relative_id=r)
        for r in dict.fromkeys(invitation.invited_relative_ids)
        if r not in have_relatives
    )
    meeting.participants.extend(
        MeetingParticipant(role=ParticipantRole.INVITED, other_name=n)
        for n in others
        if n not in have_others
    )


def _ask_again(meeting: Meeting, sent_at: datetime, everyone: bool, former: int) -> None:
    """The called acknowledge the changed invitation: everyone when time, place or form
    changed; otherwise only a former convener who is now simply called."""
    for participant in meeting.participants:
        if participant.role is not ParticipantRole.CALLED or not participant.staff_id:
            continue
        if not must_acknowledge(participant, meeting.convener_id):
            participant.acknowledged_at = participant.acknowledged_at or sent_at
            participant.acknowledgement_due_at = None
        elif everyone or participant.staff_id == former:
            participant.acknowledged_at = None
            participant.acknowledgement_due_at = acknowledgement_due(sent_at)


def reschedule(
    *, meeting: Meeting, expected_version: int, invitation: Invitation, by: Account
) -> Meeting:
    """Change an invitation. Refused with VersionConflictError if someone saved in between."""
    if meeting.row_version != expected_version:
        raise VersionConflictError(meeting)
    if meeting.status is not MeetingStatus.PLANNED:
        raise PlanInputError("day", _l("Mötet är redan genomfört eller inställt."))
    _refuse_if_wrong(meeting.plan, invitation, by)
    sent_at = now()
    before = {name: getattr(meeting, name) for name in WHAT_MATTERS}
    former = meeting.convener_id
    meeting.purpose = invitation.purpose.strip()
    meeting.questions = invitation.questions.strip()
    meeting.convener_id = invitation.convener.id
    meeting.starts_at = invitation.starts_at
    meeting.ends_at = invitation.ends_at
    meeting.form = invitation.form
    meeting.place = invitation.place.strip()
    meeting.join_info = invitation.join_info.strip()
    if meeting.kind is MeetingKind.FIRST:
        meeting.plan.convener_id = invitation.convener.id
    _sync_participants(meeting, invitation, sent_at)
    changed = [name for name, value in before.items() if getattr(meeting, name) != value]
    _ask_again(meeting, sent_at, everyone=bool(changed), former=former)
    if changed:
        notify_individual_side(meeting.plan, "meeting.changed", meeting=meeting)
    return _save_change(meeting, by, EventType.MEETING_CHANGE, ",".join(changed))


def cancel(*, meeting: Meeting, expected_version: int, reason: str, by: Account) -> Meeting:
    """Cancel a planned meeting with a reason; the individual's side is told."""
    if meeting.row_version != expected_version:
        raise VersionConflictError(meeting)
    if meeting.status is not MeetingStatus.PLANNED:
        raise PlanInputError("reason", _l("Mötet är redan genomfört eller inställt."))
    if not reason.strip():
        raise PlanInputError("reason", _l("Skriv varför mötet ställs in."))
    plan = meeting.plan
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_at = now()
    meeting.cancel_reason = reason.strip()[:2000]
    others = planned_kinds(plan.meetings, leaving_out=meeting.id)
    _move(plan, state_after_cancelling(plan.state, meeting.kind, others))
    notify_individual_side(plan, "meeting.cancelled", meeting=meeting)
    return _save_change(meeting, by, EventType.MEETING_CANCEL, meeting.kind.value)


def _save_change(meeting: Meeting, by: Account, kind: EventType, detail: str) -> Meeting:
    session = db.session()
    flag_modified(meeting, "purpose")  # a change of participants alone bumps the version too
    try:
        session.flush()
    except StaleDataError as error:
        session.rollback()
        fresh = session.get(Meeting, meeting.id, populate_existing=True)
        assert fresh is not None
        raise VersionConflictError(fresh) from error
    audit.record(
        session,
        type=kind,
        by=by,
        subject_individual_id=meeting.plan.individual_id,
        object_type="meeting",
        object_id=meeting.id,
        detail=detail,
    )
    session.commit()
    return meeting


def acknowledge(*, participant: MeetingParticipant, by: Account) -> None:
    """A called staff member confirms the invitation has arrived (their own only)."""
    if not may_acknowledge_call(viewer_for(by), participant.staff_id):
        raise NotAllowedError("staff acknowledge their own invitations")
    if participant.acknowledged_at is None:
        participant.acknowledged_at = now()
        audit.record(
            db.session(),
            type=EventType.MEETING_ACKNOWLEDGE,
            by=by,
            subject_individual_id=participant.meeting.plan.individual_id,
            object_type="meeting_participant",
            object_id=participant.id,
        )
    db.session().commit()
