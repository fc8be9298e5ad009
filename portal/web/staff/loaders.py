"""Loaders for the staff pages: the object, or 404/403 (flaskr's `get_post(id, check_author)`).

A view asks for a plan (or a meeting, a request, a call, a withdrawal) with what it needs to
do with it; the loader reads the access facts once, asks `portal.rules`, and answers 404 when
the staff member may not see the plan (its existence is not told) and 403 when they may see
it but not do this. The `StaffPlan` it returns carries the facts and the rule results the
page shows, so no view or template works out a permission itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from sqlalchemy.orm.interfaces import ORMOption

from portal import db
from portal.models import (
    ConsentEvent,
    Delegation,
    Meeting,
    MeetingParticipant,
    Plan,
    PlanRequest,
    PlanVersion,
)
from portal.rules import access, closing, follow_up, invitation, letters, signing
from portal.rules.access import PlanFacts, Viewer
from portal.rules.consent import consent_may_change
from portal.rules.signing import SigningProblem
from portal.rules.vocabulary import (
    CloseReason,
    ConsentStatus,
    DelegationKind,
    MeetingKind,
    MeetingStatus,
    Profession,
)
from portal.services.shown import MeetingListed, PlanParts
from portal.services.signing import signing_facts
from portal.services.staff_plan_view import PlanFlags, load_page_parts, plan_row
from portal.services.viewers import plan_facts, plan_facts_many, viewer_for


class Need(StrEnum):
    """What the view will do with the plan."""

    VIEW = "view"  # see it
    LEAD = "lead"  # act as whoever leads it (answer requests, record consent)
    RECORD = "record"  # document a meeting, edit the draft
    FOLLOW_UP = "follow_up"  # follow it up
    HAND_OVER = "hand_over"  # hand the coordinator's role over
    DEFER = "defer"  # let it wait during a short-term stay


@dataclass(frozen=True)
class StaffPlan:
    """A plan as the signed-in staff member may use it; the facts are read once."""

    plan: Plan
    viewer: Viewer
    facts: PlanFacts
    # The plan's meetings, versions, coordinator assignments and follow-ups, as the rules
    # read them: the plan's own relationships, or the plan page's records (PlanParts).
    parts: Plan | PlanParts

    @property
    def profession(self) -> Profession | None:
        staff = current_user.staff
        return staff.profession if staff else None

    @property
    def leads(self) -> bool:
        return access.leads_plan(self.viewer, self.facts)

    @property
    def may_record(self) -> bool:
        return access.may_record(self.viewer, self.facts)

    @property
    def may_hand_over(self) -> bool:
        return access.may_hand_over(self.viewer, self.facts)

    @property
    def may_follow_up(self) -> bool:
        signed = follow_up.version_to_follow_up(self.parts.versions) is not None
        return follow_up.may_follow_up(self.viewer, self.facts, signed)

    @property
    def may_close(self) -> bool:
        return closing.may_close(self.viewer, self.facts)

    @property
    def close_reasons(self) -> frozenset[CloseReason]:
        """The reasons this staff member may choose to close the plan now (empty: may not)."""
        held = closing.held_first_meeting(self.parts.meetings)
        return closing.close_reasons_for(self.viewer, self.facts, held)

    @property
    def may_defer(self) -> bool:
        return closing.may_defer(self.viewer, self.facts, self.profession)

    @property
    def may_reassess(self) -> bool:
        return closing.may_reassess(self.plan.state, self.profession)

    @property
    def reassess_outcomes(self) -> tuple[closing.ReassessOutcome, ...]:
        """The answers before the return home this staff member may record (empty: none) [002]."""
        return closing.reassess_outcomes_for(self.profession)

    @property
    def may_start_episode(self) -> bool:
        """Start the plan of a new care episode after this one (primary care's care contact)."""
        staff = current_user.staff
        return staff is not None and closing.may_start_new_episode(staff.unit.kind)

    def may(self, need: Need) -> bool:
        return {
            Need.VIEW: True,
            Need.LEAD: self.leads,
            Need.RECORD: self.may_record,
            Need.FOLLOW_UP: self.may_follow_up,
            Need.HAND_OVER: self.may_hand_over,
            Need.DEFER: self.may_defer,
        }[need]

    def may_call(self, kind: MeetingKind) -> bool:
        return invitation.may_call(self.viewer, self.facts, kind)

    def callable_kinds(self) -> list[MeetingKind]:
        """The meetings the plan allows to be called now, whoever calls them."""
        return invitation.callable_kinds(
            self.plan.state, invitation.planned_kinds(self.parts.meetings)
        )

    def kinds_to_call(self) -> list[MeetingKind]:
        """The meetings this staff member may call on this plan now."""
        return [k for k in self.callable_kinds() if self.may_call(k)]

    def may_change(self, meeting: Meeting | MeetingListed) -> bool:
        """Change or cancel this meeting (only while it is planned)."""
        return meeting.status is MeetingStatus.PLANNED and invitation.may_change(
            self.viewer, self.facts, meeting.kind, meeting.convener_id
        )

    def may_accept_handover(self, receiver_id: int) -> bool:
        return access.may_accept_handover(self.viewer, receiver_id)

    def may_decline_handover(self, receiver_id: int) -> bool:
        return access.may_decline_handover(self.viewer, self.facts, receiver_id)

    @property
    def consent_may_change(self) -> bool:
        """Consent may be written down on this plan (not on a closed one)."""
        return consent_may_change(self.plan.state)

    def may_record_consent(self, unit_id: int) -> bool:
        return access.staff_may_record_consent(self.viewer, self.facts, unit_id)

    def sees(self, other: Plan) -> bool:
        """May this staff member open another plan (an earlier or later episode)?"""
        return access.staff_may_view(self.viewer, plan_facts(other))


def signed_in_viewer() -> Viewer:
    """The signed-in staff member as the access rules see them."""
    return viewer_for(current_user)


def plan_access(plan: Plan) -> StaffPlan:
    """The plan with the signed-in staff member's facts, without refusing anything."""
    return StaffPlan(plan, signed_in_viewer(), plan_facts(plan), plan)


def _refuse(found: StaffPlan, need: Need) -> StaffPlan:
    if not access.staff_may_view(found.viewer, found.facts):
        abort(404)
    if not found.may(need):
        abort(403)
    return found


def load_plan(plan_id: int, *loads: ORMOption, need: Need = Need.VIEW) -> StaffPlan:
    """The plan if this staff member may see it (else 404) and may do `need` (else 403);
    `loads` are loader options for what the page will show."""
    statement = sa.select(Plan).where(Plan.id == plan_id).options(*loads)
    plan = db.session().scalars(statement).first()
    if plan is None:
        abort(404)
    return _refuse(plan_access(plan), need)


def load_plan_page(plan_id: int) -> tuple[StaffPlan, PlanFlags]:
    """`load_plan` for the plan page: the plan's row and what the page shows (its `parts`),
    read with statements built once (portal.services.staff_plan_view); 404/403 as there."""
    found = plan_row(plan_id, current_user.id)
    if found is None:
        abort(404)
    plan, flags = found
    parts, facts = load_page_parts(plan)
    return _refuse(StaffPlan(plan, signed_in_viewer(), facts, parts), Need.VIEW), flags


def visible_plan(plan_id: int, *loads: ORMOption, need: Need = Need.VIEW) -> Plan:
    """`load_plan` when the view needs only the plan."""
    return load_plan(plan_id, *loads, need=need).plan


def visible_plans(*loads: ORMOption) -> list[Plan]:
    """Every plan this staff member may see, newest first (deny by default)."""
    statement = sa.select(Plan).options(*loads).order_by(Plan.created_at.desc())
    candidates = list(db.session().scalars(statement))
    viewer = signed_in_viewer()
    facts = plan_facts_many(candidates)
    return [p for p in candidates if access.staff_may_view(viewer, facts[p.id])]


def any_visible_plan_of(individual_id: int) -> Plan:
    """A plan of the individual that this staff member may see (else 404)."""
    viewer = viewer_for(current_user)
    plans = list(db.session().scalars(sa.select(Plan).where(Plan.individual_id == individual_id)))
    facts = plan_facts_many(plans)
    for plan in plans:
        if access.staff_may_view(viewer, facts[plan.id]):
            return plan
    abort(404)


def load_representatives(plan_id: int) -> tuple[Plan, bool]:
    """The plan (404 as `visible_plan`) and whether this staff member may record that a legal
    representative's decision has ended: whoever leads one of the individual's plans."""
    plan = visible_plan(plan_id)
    plans = list(
        db.session().scalars(sa.select(Plan).where(Plan.individual_id == plan.individual_id))
    )
    facts = plan_facts_many(plans)
    return plan, letters.may_end_representative(signed_in_viewer(), facts.values())


def load_representative_to_end(plan_id: int, delegation_id: int) -> tuple[Plan, Delegation]:
    """A legal representative of the plan's individual: 404 when the plan is not this staff
    member's to see, or the delegation is no representative of its individual (a relative's
    own, someone else's); 403 when they do not lead one of the individual's plans."""
    plan, may_end = load_representatives(plan_id)
    found = db.session().get(Delegation, delegation_id)
    if (
        found is None
        or found.individual_id != plan.individual_id
        or found.kind is not DelegationKind.REPRESENTATIVE
    ):
        abort(404)
    if not may_end:
        abort(403)
    return plan, found


def load_plan_to_follow_up(plan_id: int) -> tuple[Plan, PlanVersion]:
    """A plan this staff member may record (404/403 as `load_plan`) that may be followed up
    now, and the signed version the follow-up evaluates (404 when there is none to follow up)."""
    plan = load_plan(plan_id, need=Need.RECORD).plan
    evaluated = follow_up.version_to_follow_up(plan.versions)
    if not follow_up.may_be_followed_up(plan.state, evaluated is not None):
        abort(404)
    assert evaluated is not None
    return plan, evaluated


def load_meeting(meeting_id: int, need: Need = Need.VIEW) -> tuple[Meeting, StaffPlan]:
    """The meeting and its plan, as `load_plan` answers for the plan."""
    meeting = db.session().get(Meeting, meeting_id)
    if meeting is None:
        abort(404)
    return meeting, load_plan(meeting.plan_id, need=need)


def load_meeting_to_record(meeting_id: int, kind: MeetingKind) -> Meeting:
    """A meeting of this kind to document: 404 unseen (or another kind), 403 unless the staff
    member may record the plan."""
    meeting = db.session().get(Meeting, meeting_id)
    if meeting is None or meeting.kind is not kind:
        abort(404)
    found = load_plan(meeting.plan_id)
    if not found.may_record:
        abort(403)
    return meeting


def load_version(plan_id: int, version_id: int, need: Need = Need.VIEW) -> PlanVersion:
    """A version of a plan this staff member may see (404 otherwise, or if the version is
    another plan's), and may do `need` with (403)."""
    found = load_plan(plan_id)
    version = db.session().get(PlanVersion, version_id)
    if version is None or version.plan_id != found.plan.id:
        abort(404)
    if not found.may(need):
        abort(403)
    return version


def load_version_to_sign(plan_id: int, version_id: int) -> tuple[PlanVersion, list[SigningProblem]]:
    """A version to sign (404 as `load_version`), 403 unless this staff member is the
    coordinator who signs [003]; with what else stands in the way of signing it now."""
    version = load_version(plan_id, version_id)
    staff = current_user.staff
    facts = signing_facts(version, version.plan)
    problems = signing.signing_problems(staff.id if staff else None, facts)
    if SigningProblem.NOT_COORDINATOR in problems:
        abort(403)
    return version, problems


def load_changeable_meeting(meeting_id: int) -> tuple[Meeting, StaffPlan]:
    """A meeting this staff member may change or cancel (else 403)."""
    meeting, found = load_meeting(meeting_id)
    if not invitation.may_change(found.viewer, found.facts, meeting.kind, meeting.convener_id):
        abort(403)
    return meeting, found


def load_request(request_id: int) -> PlanRequest:
    """A request to answer: 404 unless the plan is visible, 403 unless they lead it."""
    found = db.session().get(PlanRequest, request_id)
    if found is None:
        abort(404)
    _refuse(plan_access(found.plan), Need.LEAD)
    return found


def load_withdrawal(event_id: int) -> ConsentEvent:
    """A withdrawal of consent to mark handled: the unit it concerns, or whoever leads the
    plan (404 when neither may see it, 403 when they may see but not act)."""
    event = db.session().get(ConsentEvent, event_id)
    if event is None or event.status is not ConsentStatus.WITHDRAWN:
        abort(404)
    found = plan_access(event.plan)
    if access.may_handle_withdrawal(found.viewer, found.facts, event.unit_id):
        return event
    if not access.staff_may_view(found.viewer, found.facts):
        abort(404)
    abort(403)


def load_call(participant_id: int) -> MeetingParticipant:
    """A call to a meeting to acknowledge: one's own only (404 if the plan is not visible)."""
    participant = db.session().get(MeetingParticipant, participant_id)
    if participant is None:
        abort(404)
    viewer = viewer_for(current_user)
    if access.may_acknowledge_call(viewer, participant.staff_id):
        return participant
    if not access.staff_may_view(viewer, plan_facts(participant.meeting.plan)):
        abort(404)
    abort(403)
