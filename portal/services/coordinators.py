"""Choosing the coordinator and handing the role over [000][003].

The suggestion comes from `portal.rules.coordinator` (the table of [000], with the
individual's wish winning where it can be met). The first appointment is made at the meeting
(`portal.services.meeting_records`); here: the handover after the first meeting, which waits
until the receiving staff member accepts it, and the full history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from portal import db
from portal.models import (
    Account,
    CoordinatorAssignment,
    CoordinatorWish,
    Meeting,
    MeetingParticipant,
    Plan,
    PlanVersion,
    Staff,
    Unit,
)
from portal.models.audit_types import EventType
from portal.rules.access import (
    may_accept_handover,
    may_decline_handover,
)
from portal.rules.access import may_hand_over as rules_may_hand_over
from portal.rules.closing import first_meeting_held as rules_first_meeting_held
from portal.rules.closing import held_first_meeting
from portal.rules.coordinator import (
    LICENSED,
    Candidate,
    CareSituation,
    HomeHealth,
    InterventionFact,
    Suggestion,
    Wish,
    situation_from,
    suggest,
)
from portal.rules.coordinator_wish import wish_met
from portal.rules.participation import active_assignment, waiting_assignment, who_leads
from portal.rules.plan_content import ContentInput
from portal.rules.vocabulary import (
    MeetingStatus,
    PlanState,
    VersionStatus,
)
from portal.services import audit, offered
from portal.services.errors import NotAllowedError
from portal.services.meeting_records import content_units
from portal.services.notifications import notify_individual_side
from portal.services.plans import PlanInputError
from portal.services.requests import current_wish
from portal.services.viewers import (
    plan_facts,
    viewer_for,
)
from portal.timeutil import now, today_stockholm


class HandoverNotAllowedError(NotAllowedError):
    """The person may see the plan but not do this (the view answers 403)."""


@dataclass(frozen=True)
class CoordinatorChoice:
    plan: Plan
    candidates: list[Staff]
    interventions: dict[int, int]  # staff id -> interventions they are responsible for
    situation: CareSituation
    suggestion: Suggestion
    wish: CoordinatorWish | None
    current: CoordinatorAssignment | None
    pending: CoordinatorAssignment | None
    history: list[CoordinatorAssignment]  # newest first
    by_called_units: bool = False  # no interventions yet: the situation is the called units'

    def _staff(self, staff_id: int | None) -> Staff | None:
        return next((s for s in self.candidates if s.id == staff_id), None)

    @property
    def suggested(self) -> Staff | None:
        return self._staff(self.suggestion.staff_id)

    @property
    def by_table(self) -> Staff | None:
        return self._staff(self.suggestion.by_table)


def current_assignment(plan: Plan) -> CoordinatorAssignment | None:
    return active_assignment(plan.coordinator_assignments)


def pending_assignment(plan: Plan) -> CoordinatorAssignment | None:
    return waiting_assignment(plan.coordinator_assignments)


def first_meeting_held(plan: Plan) -> bool:
    return rules_first_meeting_held(plan.state, held_first_meeting(plan.meetings))


def _newest_version(plan: Plan) -> PlanVersion | None:
    versions = [v for v in plan.versions if v.status is not VersionStatus.SUPERSEDED]
    return versions[-1] if versions else None


def candidates_for(plan: Plan) -> list[Staff]:
    """Who may be appointed or handed the role (`portal.rules.offered.coordinators`)."""
    return offered.coordinators(plan)


def situation_of(
    plan: Plan,
    home_health: HomeHealth | None = None,
    typed: list[InterventionFact] | None = None,
) -> CareSituation:
    """From the interventions typed so far on the record form (`typed`), else the newest
    version's; before there are any, from the called units."""
    version = _newest_version(plan)
    interventions = [i for g in version.goals for i in g.interventions] if version else []
    facts = (
        typed
        if typed is not None
        else [
            InterventionFact(
                i.unit.kind,
                i.legal_basis,
                i.responsible is not None and i.responsible.profession in LICENSED,
            )
            for i in interventions
        ]
    )
    units = []
    if not facts:
        units = list(
            db.session().scalars(
                sa.select(Unit.kind)
                .join(MeetingParticipant, MeetingParticipant.unit_id == Unit.id)
                .join(Meeting)
                .where(Meeting.plan_id == plan.id, Meeting.status != MeetingStatus.CANCELLED)
            )
        )
    in_stay = plan.state is PlanState.DEFERRED
    return situation_from(units, facts, in_short_term_stay=in_stay, home_health=home_health)


def typed_interventions(
    plan: Plan, meeting: Meeting | None, content: ContentInput
) -> tuple[list[InterventionFact], dict[int, int]]:
    """The interventions typed so far on a form (not yet saved), as the suggestion needs them,
    and how many each person is responsible for. Only units the content may name count."""
    units = content_units(plan, meeting)
    items = [
        i
        for g in content.goals
        for i in g.interventions
        if i.unit_id is not None and i.unit_id in units.principal_of
    ]
    session = db.session()
    kinds = dict(
        session.execute(
            sa.select(Unit.id, Unit.kind).where(Unit.id.in_({i.unit_id for i in items}))
        ).all()
    )
    people = {i.responsible_id for i in items if i.responsible_id in units.unit_of_staff}
    professions = dict(
        session.execute(sa.select(Staff.id, Staff.profession).where(Staff.id.in_(people))).all()
    )
    counts: dict[int, int] = {}
    for item in items:
        if item.responsible_id in professions:
            counts[item.responsible_id] = counts.get(item.responsible_id, 0) + 1
    facts = [
        InterventionFact(
            kinds[i.unit_id], i.legal_basis, professions.get(i.responsible_id) in LICENSED
        )
        for i in items
    ]
    return facts, counts


def coordinator_choice(
    plan: Plan,
    home_health: HomeHealth | None = None,
    typed: tuple[list[InterventionFact], dict[int, int]] | None = None,
) -> CoordinatorChoice:
    """Candidates, the table's suggestion with the wish beside it, and who leads now.

    `typed` (from `typed_interventions`): the record form's interventions as entered so far,
    so the suggestion follows them rather than what was saved before."""
    candidates = candidates_for(plan)
    version = _newest_version(plan)
    counts: dict[int, int] = {}
    for goal in version.goals if version else []:
        for item in goal.interventions:
            if item.responsible_id is not None:
                counts[item.responsible_id] = counts.get(item.responsible_id, 0) + 1
    if typed is not None:
        counts = typed[1]
    situation = situation_of(plan, home_health, typed[0] if typed is not None else None)
    saved = any(goal.interventions for goal in version.goals) if version else False
    by_called_units = not typed[0] if typed is not None else not saved
    wish = current_wish(plan)
    suggestion = suggest(
        situation,
        [
            Candidate(
                s.id,
                s.profession,
                s.unit.kind,
                s.unit.principal,
                counts.get(s.id, 0),
                s.is_care_contact,
            )
            for s in candidates
        ],
        Wish(wish.staff_id, wish.description) if wish else None,
    )
    return CoordinatorChoice(
        plan=plan,
        candidates=candidates,
        interventions=counts,
        situation=situation,
        suggestion=suggestion,
        wish=wish,
        current=current_assignment(plan),
        pending=pending_assignment(plan),
        history=list(reversed(plan.coordinator_assignments)),
        by_called_units=by_called_units,
    )


def leader_of(plan: Plan) -> Staff:
    """Who leads the plan: the coordinator, or the convener until one is appointed [003]."""
    return who_leads(plan.coordinator_assignments, plan.convener)


def may_hand_over(plan: Plan, by: Account) -> bool:
    return rules_may_hand_over(viewer_for(by), plan_facts(plan))


def _check_handover(plan: Plan, to: Staff | None, reason: str, effective_on: date | None) -> Staff:
    if not first_meeting_held(plan):
        raise PlanInputError(
            "coordinator_id",
            _l("Samordningsansvaret kan lämnas över först efter det första SIP-mötet."),
        )
    current = current_assignment(plan)
    if to is None or to.id not in {s.id for s in candidates_for(plan)}:
        raise PlanInputError(
            "coordinator_id",
            _l("Välj en namngiven person i kommun eller region som deltar i planen."),
        )
    if current is not None and current.staff_id == to.id:
        raise PlanInputError("coordinator_id", _l("Personen är redan samordningsansvarig."))
    if not reason.strip():
        raise PlanInputError("reason", _l("Skriv varför samordningsansvaret lämnas över."))
    if effective_on is None:
        raise PlanInputError("effective_on", _l("Skriv från vilket datum, som ÅÅÅÅ-MM-DD."))
    if effective_on < today_stockholm():
        raise PlanInputError("effective_on", _l("Datumet kan inte ha passerat."))
    return to


def _end_pending(plan: Plan, by: Account, type: EventType) -> None:
    pending = pending_assignment(plan)
    if pending is not None:
        pending.ended_at = now()
        audit.record(
            db.session(),
            type=type,
            by=by,
            subject_individual_id=plan.individual_id,
            object_type="coordinator_assignment",
            object_id=pending.id,
        )


def hand_over(
    *, plan: Plan, to: Staff | None, reason: str, effective_on: date | None, by: Account
) -> CoordinatorAssignment:
    """Hand the coordinator's role to another named staff member; it waits for acceptance.

    Only after the first meeting, only by whoever leads the plan; a handover still waiting
    is withdrawn by a new one.
    """
    if not may_hand_over(plan, by):
        raise HandoverNotAllowedError("only the coordinator (or the convener) hands over")
    receiver = _check_handover(plan, to, reason, effective_on)
    session = db.session()
    _end_pending(plan, by, EventType.COORDINATOR_HANDOVER_WITHDRAWN)
    assignment = CoordinatorAssignment(
        plan=plan,
        staff=receiver,
        reason=reason.strip(),
        appointed_by_id=by.staff_id,
        appointed_at=now(),
        effective_on=effective_on,
    )
    session.add(assignment)
    session.flush()
    audit.record(
        session,
        type=EventType.COORDINATOR_HAND_OVER,
        by=by,
        subject_individual_id=plan.individual_id,
        object_type="coordinator_assignment",
        object_id=assignment.id,
        detail=f"to_staff={receiver.id} effective_on={effective_on}",
    )
    session.commit()
    return assignment


def _wish_met(plan: Plan, staff_id: int) -> bool | None:
    wish = current_wish(plan)
    return wish_met(wish.staff_id if wish is not None else None, staff_id)


def _check_waiting(assignment: CoordinatorAssignment) -> None:
    if assignment.accepted_at is not None or assignment.ended_at is not None:
        raise PlanInputError("accept", _l("Överlämningen gäller inte längre."))
    if assignment.plan.state is PlanState.CLOSED:
        raise PlanInputError("accept", _l("Planen är avslutad."))


def accept_handover(*, assignment: CoordinatorAssignment, by: Account) -> CoordinatorAssignment:
    """The receiving staff member takes over: the previous coordinator's term ends, and the
    individual and relatives with access are told in the portal."""
    if not may_accept_handover(viewer_for(by), assignment.staff_id):
        raise HandoverNotAllowedError("only the receiving staff member accepts")
    _check_waiting(assignment)
    if assignment.effective_on and assignment.effective_on > today_stockholm():
        raise PlanInputError("accept", _l("Du kan ta över från och med det överenskomna datumet."))
    plan = assignment.plan
    moment = now()
    for earlier in plan.coordinator_assignments:
        if earlier is not assignment and earlier.accepted_at and earlier.ended_at is None:
            earlier.ended_at = moment
    assignment.accepted_at = moment
    assignment.wish_met = _wish_met(plan, assignment.staff_id)
    audit.record(
        db.session(),
        type=EventType.COORDINATOR_ACCEPT,
        by=by,
        subject_individual_id=plan.individual_id,
        object_type="coordinator_assignment",
        object_id=assignment.id,
        detail=f"wish_met={assignment.wish_met}",
    )
    notify_individual_side(plan, "coordinator.handed_over")
    db.session().commit()
    return assignment


def decline_handover(*, assignment: CoordinatorAssignment, by: Account) -> None:
    """The receiver declines, or whoever handed over withdraws it; the coordinator stays."""
    plan = assignment.plan
    if not may_decline_handover(viewer_for(by), plan_facts(plan), assignment.staff_id):
        raise HandoverNotAllowedError("only the receiver or the one who leads the plan")
    _check_waiting(assignment)
    assignment.ended_at = now()
    declined = by.staff_id == assignment.staff_id
    audit.record(
        db.session(),
        type=EventType.COORDINATOR_DECLINE
        if declined
        else EventType.COORDINATOR_HANDOVER_WITHDRAWN,
        by=by,
        subject_individual_id=plan.individual_id,
        object_type="coordinator_assignment",
        object_id=assignment.id,
    )
    db.session().commit()
