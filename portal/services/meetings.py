"""Meeting invitations (kallelse): send, change with a version check, acknowledge.

The invitation states what [004] requires: whom the plan is for, purpose and questions, the
convener, who is called (staff, obliged to attend) and who is invited (relatives), time, place
and form. Called staff acknowledge it by the weekday deadline of [003].
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from portal import db
from portal.models import (
    Account,
    AuditEvent,
    Delegation,
    Meeting,
    MeetingParticipant,
    Plan,
    Relative,
    Staff,
)
from portal.rules.access import PlanFacts, Viewer, leads_plan, staff_may_view
from portal.rules.deadlines import acknowledgement_due
from portal.rules.lifecycle import transition
from portal.rules.vocabulary import (
    MeetingForm,
    MeetingKind,
    MeetingStatus,
    ParticipantRole,
    PlanState,
)
from portal.services import audit
from portal.services.plans import PlanInputError
from portal.services.viewers import consent_by_unit
from portal.timeutil import now

IN_PERSON = frozenset({MeetingForm.HOME, MeetingForm.HEALTH_CENTRE, MeetingForm.OTHER_PLACE})
SIP_MEETINGS = frozenset({MeetingKind.FIRST, MeetingKind.FOLLOW_UP})
# What the called must hear about again when it changes.
WHAT_MATTERS = ("starts_at", "ends_at", "form", "place", "join_info")


class VersionConflictError(Exception):
    """Someone else saved the meeting since this edit began."""

    def __init__(self, meeting: Meeting) -> None:
        super().__init__(f"meeting {meeting.id} is at version {meeting.row_version}")
        self.meeting = meeting


@dataclass(frozen=True)
class Invitation:
    """What an invitation says; the same for a new meeting and a changed one."""

    purpose: str
    questions: str
    convener: Staff
    called_staff_ids: Sequence[int]
    invited_relative_ids: Sequence[int]
    starts_at: datetime
    ends_at: datetime | None
    form: MeetingForm
    place: str = ""
    join_info: str = ""
    other_invited: Sequence[str] = ()


def may_call(viewer: Viewer, facts: PlanFacts, kind: MeetingKind) -> bool:
    """A SIP meeting is called by whoever leads the plan [003]; a handover meeting about
    home-health responsibility is the units' own planning, called by any of them [002]."""
    if facts.state is PlanState.CLOSED or not staff_may_view(viewer, facts):
        return False
    return kind is MeetingKind.HOME_HEALTH_HANDOVER or leads_plan(viewer, facts)


def may_change(viewer: Viewer, facts: PlanFacts, meeting: Meeting) -> bool:
    return viewer.staff_id == meeting.convener_id or may_call(viewer, facts, meeting.kind)


def relatives_of(individual_id: int) -> list[Relative]:
    """Relatives and representatives the individual has (for the invited list)."""
    statement = (
        sa.select(Relative)
        .join(Delegation, Delegation.relative_id == Relative.id)
        .where(Delegation.individual_id == individual_id, Delegation.revoked_at.is_(None))
        .distinct()
        .order_by(Relative.given_name, Relative.family_name)
    )
    return list(db.session().scalars(statement))


def callable_staff(plan: Plan) -> list[Staff]:
    """Staff at units the individual consented to share with [003]."""
    consented = [u for u, s in consent_by_unit(plan.id).items() if s.value == "given"]
    statement = (
        sa.select(Staff)
        .where(Staff.unit_id.in_(consented))
        .order_by(Staff.unit_id, Staff.given_name, Staff.family_name)
    )
    return list(db.session().scalars(statement))


def _check(plan: Plan, kind: MeetingKind, invitation: Invitation) -> None:
    if plan.state is PlanState.CLOSED:
        raise PlanInputError("kind", _l("Planen är avslutad."))
    if not invitation.purpose.strip():
        raise PlanInputError("purpose", _l("Skriv syftet med mötet."))
    if invitation.starts_at <= now():
        raise PlanInputError("starts_on", _l("Mötet måste ligga framåt i tiden."))
    if invitation.ends_at is not None and invitation.ends_at <= invitation.starts_at:
        raise PlanInputError("ends_at", _l("Sluttiden måste vara efter starttiden."))
    if invitation.form in IN_PERSON and not invitation.place.strip():
        raise PlanInputError("place", _l("Skriv var mötet hålls."))
    if invitation.form is MeetingForm.VIDEO and not invitation.join_info.strip():
        raise PlanInputError("join_info", _l("Skriv hur man ansluter till videomötet."))
    called = set(invitation.called_staff_ids) - {invitation.convener.id}
    if not called:
        raise PlanInputError("called", _l("Välj minst en person att kalla."))
    allowed = {s.id for s in callable_staff(plan)}
    if not called <= allowed:
        raise PlanInputError(
            "called", _l("Du kan bara kalla personal från enheter som personen samtyckt till.")
        )
    relatives = {r.id for r in relatives_of(plan.individual_id)}
    if not set(invitation.invited_relative_ids) <= relatives:
        raise PlanInputError("invited", _l("Välj bland personens närstående."))


def _next_state(plan: Plan, kind: MeetingKind) -> PlanState:
    """First meeting: initiated/deferred → invited. Follow-up: → following up. A meeting
    about handing over home health is not a SIP meeting and changes nothing [002]."""
    if kind is MeetingKind.FIRST:
        planned = [
            m
            for m in plan.meetings
            if m.kind is MeetingKind.FIRST and m.status is MeetingStatus.PLANNED
        ]
        if planned or plan.state not in (
            PlanState.INITIATED,
            PlanState.DEFERRED,
            PlanState.INVITED,
        ):
            raise PlanInputError(
                "kind", _l("Det första mötet är redan kallat. Ändra det i stället.")
            )
        return transition(plan.state, PlanState.INVITED)
    if kind is MeetingKind.FOLLOW_UP:
        if plan.state not in (PlanState.ESTABLISHED, PlanState.FOLLOWING_UP):
            raise PlanInputError("kind", _l("Ett uppföljningsmöte kräver en upprättad plan."))
        return transition(plan.state, PlanState.FOLLOWING_UP)
    return plan.state


def _called(staff: Staff, sent_at: datetime, convener_id: int) -> MeetingParticipant:
    own = staff.id == convener_id  # the convener sent it: nothing to acknowledge
    return MeetingParticipant(
        role=ParticipantRole.CALLED,
        staff_id=staff.id,
        unit_id=staff.unit_id,
        acknowledgement_due_at=None if own else acknowledgement_due(sent_at),
        acknowledged_at=sent_at if own else None,
    )


def _participants(invitation: Invitation, sent_at: datetime) -> list[MeetingParticipant]:
    ids = [invitation.convener.id, *[i for i in invitation.called_staff_ids]]
    unique_ids = list(dict.fromkeys(ids))
    staff = {
        s.id: s for s in db.session().scalars(sa.select(Staff).where(Staff.id.in_(unique_ids)))
    }
    made = [_called(staff[i], sent_at, invitation.convener.id) for i in unique_ids if i in staff]
    made += [
        MeetingParticipant(role=ParticipantRole.INVITED, relative_id=r)
        for r in dict.fromkeys(invitation.invited_relative_ids)
    ]
    made += [
        MeetingParticipant(role=ParticipantRole.INVITED, other_name=name.strip())
        for name in invitation.other_invited
        if name.strip()
    ]
    return made


def invite(*, plan: Plan, kind: MeetingKind, invitation: Invitation, by: Account) -> Meeting:
    """Send an invitation. The individual sees it on their home page at once."""
    _check(plan, kind, invitation)
    new_state = _next_state(plan, kind)
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
    plan.state = new_state
    session.flush()
    audit.record(
        session,
        type="meeting.invite",
        by=by,
        subject_individual_id=plan.individual_id,
        object_type="meeting",
        object_id=meeting.id,
        detail=kind.value,
    )
    session.commit()
    return meeting


def _sync_participants(meeting: Meeting, invitation: Invitation, sent_at: datetime) -> None:
    wanted = {p.staff_id or 0: p for p in _participants(invitation, sent_at) if p.staff_id}
    wanted_relatives = set(invitation.invited_relative_ids)
    others = [n.strip() for n in invitation.other_invited if n.strip()]
    for participant in list(meeting.participants):
        keep = (
            participant.staff_id in wanted
            or participant.relative_id in wanted_relatives
            or (participant.other_name and participant.other_name in others)
        )
        if not keep:
            meeting.participants.remove(participant)
    have_staff = {p.staff_id for p in meeting.participants if p.staff_id}
    have_relatives = {p.relative_id for p in meeting.participants if p.relative_id}
    have_others = {p.other_name for p in meeting.participants if p.other_name}
    meeting.participants.extend(p for i, p in wanted.items() if i not in have_staff)
    meeting.participants.extend(
        MeetingParticipant(role=ParticipantRole.INVITED, relative_id=r)
        for r in dict.fromkeys(invitation.invited_relative_ids)
        if r not in have_relatives
    )
    meeting.participants.extend(
        MeetingParticipant(role=ParticipantRole.INVITED, other_name=n)
        for n in dict.fromkeys(others)
        if n not in have_others
    )


def _ask_again(meeting: Meeting, sent_at: datetime) -> None:
    """Time, place or form changed: the called acknowledge the new invitation."""
    for participant in meeting.participants:
        if participant.role is ParticipantRole.CALLED and participant.staff_id:
            own = participant.staff_id == meeting.convener_id
            participant.acknowledged_at = sent_at if own else None
            participant.acknowledgement_due_at = None if own else acknowledgement_due(sent_at)


def reschedule(
    *, meeting: Meeting, expected_version: int, invitation: Invitation, by: Account
) -> Meeting:
    """Change an invitation. Refused with VersionConflictError if someone saved in between."""
    if meeting.row_version != expected_version:
        raise VersionConflictError(meeting)
    if meeting.status is not MeetingStatus.PLANNED:
        raise PlanInputError("starts_on", _l("Mötet är redan genomfört eller inställt."))
    _check(meeting.plan, meeting.kind, invitation)
    sent_at = now()
    before = {name: getattr(meeting, name) for name in WHAT_MATTERS}
    meeting.purpose = invitation.purpose.strip()
    meeting.questions = invitation.questions.strip()
    meeting.convener_id = invitation.convener.id
    meeting.starts_at = invitation.starts_at
    meeting.ends_at = invitation.ends_at
    meeting.form = invitation.form
    meeting.place = invitation.place.strip()
    meeting.join_info = invitation.join_info.strip()
    _sync_participants(meeting, invitation, sent_at)
    if any(getattr(meeting, name) != value for name, value in before.items()):
        _ask_again(meeting, sent_at)
    return _save_change(meeting, by)


def _save_change(meeting: Meeting, by: Account) -> Meeting:
    session = db.session()
    try:
        session.flush()
    except StaleDataError as error:
        session.rollback()
        fresh = session.get(Meeting, meeting.id, populate_existing=True)
        assert fresh is not None
        raise VersionConflictError(fresh) from error
    audit.record(
        session,
        type="meeting.change",
        by=by,
        subject_individual_id=meeting.plan.individual_id,
        object_type="meeting",
        object_id=meeting.id,
    )
    session.commit()
    return meeting


def acknowledge(*, participant: MeetingParticipant, by: Account) -> None:
    """A called staff member confirms the invitation has arrived (their own only)."""
    if by.staff_id is None or participant.staff_id != by.staff_id:
        raise PermissionError("staff acknowledge their own invitations")
    if participant.acknowledged_at is None:
        participant.acknowledged_at = now()
        audit.record(
            db.session(),
            type="meeting.acknowledge",
            by=by,
            subject_individual_id=participant.meeting.plan.individual_id,
            object_type="meeting_participant",
            object_id=participant.id,
        )
    db.session().commit()


def last_change(meeting: Meeting) -> AuditEvent | None:
    """Who last sent or changed the invitation, and when (for a version conflict)."""
    return db.session().scalar(
        sa.select(AuditEvent)
        .where(
            AuditEvent.object_type == "meeting",
            AuditEvent.object_id == meeting.id,
            AuditEvent.type.in_(["meeting.invite", "meeting.change"]),
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )


def sip_meetings(meetings: Iterable[Meeting]) -> list[Meeting]:
    """SIP meetings only: a handover of home-health care never counts as one [002]."""
    return [m for m in meetings if m.kind in SIP_MEETINGS]
