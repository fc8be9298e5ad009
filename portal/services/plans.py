"""Starting a SIP, consent per unit, and the short-term-stay routine [002][003][004].

Every function here is one use case: keyword-only arguments, the actor as `by=`, its audit
event in the same transaction, and a commit at the end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from portal import db
from portal.models import (
    Account,
    ConsentEvent,
    Individual,
    Meeting,
    Plan,
    PlanRequest,
    Staff,
    Unit,
)
from portal.models.audit_types import EventType
from portal.rules.closing import ReassessOutcome, may_call_after_stay
from portal.rules.consent import ConsentRecord, all_withdrawn, consent_may_change, current_consent
from portal.rules.follow_up import open_follow_ups
from portal.rules.identity import parse_pin
from portal.rules.lifecycle import transition
from portal.rules.start_dates import (
    DateProblem,
    consent_moment_problem,
    needs_reassess_day,
    ready_problem,
    reassess_day_problem,
)
from portal.rules.vocabulary import (
    AccountKind,
    CloseReason,
    ConsentMethod,
    ConsentStatus,
    MeetingStatus,
    PlanContext,
    PlanState,
)
from portal.services import audit
from portal.services.notifications import notify_individual_side
from portal.timeutil import now, today_stockholm


class PlanInputError(ValueError):
    """Input a service refuses: `field` names the form field, `message` is for the person."""

    def __init__(self, field: str, message: object) -> None:
        super().__init__(field)  # the message is lazy: it needs a request to become words
        self.field = field
        self.message = message


class PersonExistsError(PlanInputError):
    def __init__(self, individual: Individual) -> None:
        super().__init__(
            "personal_identity_number", _l("Det finns redan en person med det personnumret.")
        )
        self.individual = individual


@dataclass(frozen=True)
class NewPerson:
    personal_identity_number: str  # as typed; validated here
    given_name: str
    family_name: str
    registered_address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class ConsentChoice:
    unit_id: int
    status: ConsentStatus
    effective_at: datetime
    note: str = ""


def find_individual(pin12: str) -> Individual | None:
    return db.session().scalar(
        sa.select(Individual).where(Individual.personal_identity_number == pin12)
    )


def active_plans_of(individual_id: int) -> list[Plan]:
    return list(
        db.session().scalars(
            sa.select(Plan).where(
                Plan.individual_id == individual_id, Plan.state != PlanState.CLOSED
            )
        )
    )


def _next_number(year: int) -> str:
    prefix = f"SIP-{year}-"
    numbers = db.session().scalars(sa.select(Plan.number).where(Plan.number.like(f"{prefix}%")))
    tails = (n.removeprefix(prefix) for n in numbers)
    used = [int(tail) for tail in tails if re.fullmatch(r"[0-9]{1,9}", tail)]
    return f"{prefix}{max(used, default=0) + 1:04d}"


def _register(person: NewPerson, by: Account) -> Individual:
    try:
        pin = parse_pin(person.personal_identity_number, today_stockholm())
    except ValueError as error:
        raise PlanInputError(
            "personal_identity_number", _l("Personnumret stämmer inte.")
        ) from error
    existing = find_individual(pin)
    if existing is not None:
        raise PersonExistsError(existing)
    for field_name in ("given_name", "family_name"):
        if not getattr(person, field_name).strip():
            raise PlanInputError(field_name, _l("Skriv namnet."))
    individual = Individual(
        personal_identity_number=pin,
        given_name=person.given_name.strip(),
        family_name=person.family_name.strip(),
        registered_address=person.registered_address.strip(),
        phone=person.phone.strip(),
    )
    session = db.session()
    session.add(individual)
    session.flush()
    audit.record(
        session,
        type=EventType.INDIVIDUAL_REGISTER,
        by=by,
        subject_individual_id=individual.id,
        object_type="individual",
        object_id=individual.id,
    )
    return individual


def _check_start(
    context: PlanContext,
    ready_for_discharge_at: datetime | None,
    reassess_before_home_on: date | None,
) -> None:
    """The start's dates as `portal.rules.start_dates` wants them (the form asked first)."""
    ready = ready_problem(context, ready_for_discharge_at, now())
    if ready is DateProblem.MISSING and context is PlanContext.AFTER_DISCHARGE:
        raise PlanInputError(
            "ready_for_discharge_at",
            _l("Skriv när personen blev utskrivningsklar. Det startar tre-dagarsfristen."),
        )
    if ready is DateProblem.MISSING:
        raise PlanInputError(
            "ready_for_discharge_at",
            _l("Skriv när personen väntas bli utskrivningsklar. Då ska SIP-mötet hållas."),
        )
    if ready is DateProblem.AHEAD:
        raise PlanInputError(
            "ready_for_discharge_at", _l("Tiden för utskrivningsklar kan inte vara i framtiden.")
        )
    if needs_reassess_day(context) and reassess_before_home_on is None:
        raise PlanInputError(
            "reassess_before_home_on", _l("Skriv senaste dag för omprövning före hemgång.")
        )


def start_plan(
    *,
    individual: Individual | None = None,
    new_person: NewPerson | None = None,
    context: PlanContext,
    ready_for_discharge_at: datetime | None = None,
    preliminary_discharge_on: date | None = None,
    convener: Staff,
    by: Account,
    consents: list[ConsentChoice] | None = None,
    reassess_before_home_on: date | None = None,
    previous_plan: Plan | None = None,
) -> Plan:
    """Start a SIP for a known individual or a newly registered one, with consent per unit.

    After a short-term stay the plan starts deferred: the wish stays recorded [002]. A plan for
    a new hospital episode is linked to the earlier one (`previous_plan`) [000].
    """
    if (individual is None) == (new_person is None):
        raise ValueError("give either an individual or a new person")
    _check_start(context, ready_for_discharge_at, reassess_before_home_on)
    session = db.session()
    try:
        plan = _start(
            individual or _register(new_person, by),  # type: ignore[arg-type]
            context=context,
            ready_for_discharge_at=ready_for_discharge_at,
            preliminary_discharge_on=preliminary_discharge_on,
            convener=convener,
            by=by,
            consents=consents or [],
            reassess_before_home_on=reassess_before_home_on,
            previous_plan=previous_plan,
        )
    except Exception:
        session.rollback()  # all or nothing: no person, plan or consent half made
        raise
    session.commit()
    return plan


def _start(
    person: Individual,
    *,
    context: PlanContext,
    ready_for_discharge_at: datetime | None,
    preliminary_discharge_on: date | None,
    convener: Staff,
    by: Account,
    consents: list[ConsentChoice],
    reassess_before_home_on: date | None,
    previous_plan: Plan | None,
) -> Plan:
    session = db.session()
    plan = Plan(
        number=_next_number(today_stockholm().year),
        individual=person,
        context=context,
        state=PlanState.INITIATED,
        ready_for_discharge_at=ready_for_discharge_at,
        preliminary_discharge_on=preliminary_discharge_on,
        convener=convener,
        sip_wished=True,
        previous_plan=previous_plan,
    )
    session.add(plan)
    session.flush()
    audit.record(
        session,
        type=EventType.PLAN_START,
        by=by,
        subject_individual_id=person.id,
        object_type="plan",
        object_id=plan.id,
        detail=context.value
        if previous_plan is None
        else f"{context.value} after={previous_plan.id}",
    )
    for choice in consents:
        _add_consent(plan, choice, ConsentMethod.RECORDED_BY_STAFF, by)
    if context is PlanContext.AFTER_SHORT_TERM_STAY:
        _defer(plan, reassess_before_home_on, by)  # type: ignore[arg-type]
    return plan


def _add_consent(
    plan: Plan, choice: ConsentChoice, method: ConsentMethod, by: Account
) -> ConsentEvent:
    if not consent_may_change(plan.state):
        raise PlanInputError("status", _l("Planen är avslutad."))
    if consent_moment_problem(choice.effective_at, now()) is DateProblem.AHEAD:
        raise PlanInputError("effective_at", _l("Datumet kan inte vara i framtiden."))
    staff_records = by.kind is AccountKind.STAFF
    if staff_records and method is not ConsentMethod.RECORDED_BY_STAFF:
        raise PlanInputError(
            "method", _l("Personal antecknar samtycke som personen lämnat muntligt.")
        )
    if choice.status is ConsentStatus.CANNOT_CONSENT and not choice.note.strip():
        raise PlanInputError(
            "note", _l("Skriv varför personen inte kan lämna samtycke (OSL 25 kap. 13 §).")
        )
    session = db.session()
    if session.get(Unit, choice.unit_id) is None:
        raise PlanInputError("unit", _l("Välj en enhet."))
    event = ConsentEvent(
        plan=plan,
        unit_id=choice.unit_id,
        status=choice.status,
        method=method,
        effective_at=choice.effective_at,
        recorded_by=by,
        on_behalf_of_individual=not staff_records and by.individual_id != plan.individual_id,
        note=choice.note.strip(),
    )
    session.add(event)
    if choice.status is ConsentStatus.CANNOT_CONSENT and not plan.cannot_consent_note:
        plan.cannot_consent_note = choice.note.strip()
    session.flush()
    audit.record(
        session,
        type=EventType.CONSENT_RECORD,
        by=by,
        subject_individual_id=plan.individual_id,
        object_type="consent_event",
        object_id=event.id,
        detail=f"unit={choice.unit_id} status={choice.status.value}",
    )
    return event


def _close_if_all_withdrawn(plan: Plan, by: Account) -> None:
    """Withdrawing all consent ends the SIP [004]."""
    events = db.session().scalars(sa.select(ConsentEvent).where(ConsentEvent.plan_id == plan.id))
    current = current_consent(ConsentRecord(e.unit_id, e.status, e.effective_at) for e in events)
    if plan.state is not PlanState.CLOSED and all_withdrawn(current):
        _close(plan, CloseReason.CONSENT_WITHDRAWN, by, "")


def close_plan_now(plan: Plan, reason: CloseReason, by: Account, note: str = "") -> None:
    """Close inside the caller's transaction (the caller commits)."""
    _close(plan, reason, by, note)


def _close(plan: Plan, reason: CloseReason, by: Account, note: str) -> None:
    """Close: planned meetings are cancelled, follow-ups not yet held are dropped (the signed
    versions keep their dates), and the individual's side is told — nobody after a death."""
    plan.state = transition(plan.state, PlanState.CLOSED)
    plan.closed_at = now()
    plan.close_reason = reason
    plan.close_note = note
    plan.reassess_before_home_on = None
    session = db.session()
    cancelled = 0
    for meeting in session.scalars(
        sa.select(Meeting).where(
            Meeting.plan_id == plan.id, Meeting.status == MeetingStatus.PLANNED
        )
    ):
        meeting.status = MeetingStatus.CANCELLED
        cancelled += 1
    dropped = [f for f in open_follow_ups(plan.follow_ups) if f.meeting_id is None]
    for follow_up in dropped:
        session.delete(follow_up)
    audit.record(
        session,
        type=EventType.PLAN_CLOSE,
        by=by,
        subject_individual_id=plan.individual_id,
        object_type="plan",
        object_id=plan.id,
        detail=f"{reason.value} meetings_cancelled={cancelled} follow_ups_dropped={len(dropped)}",
    )
    notify_individual_side(plan, "plan.closed")


def record_consent(
    *,
    plan: Plan,
    unit: Unit,
    status: ConsentStatus,
    method: ConsentMethod,
    effective_at: datetime,
    by: Account,
    note: str = "",
) -> ConsentEvent:
    """Consent for one unit, given digitally by the individual or recorded by staff with a date.

    Without consent only name, identity number, registered address and preliminary discharge
    date may be passed on [003]. If no consent remains after a withdrawal, the plan closes.
    """
    if by.kind is AccountKind.STAFF:
        from portal.rules.access import staff_may_record_consent
        from portal.services.viewers import plan_facts, viewer_for

        if not staff_may_record_consent(viewer_for(by), plan_facts(plan), unit.id):
            raise PlanInputError(
                "unit", _l("Bara den som leder planen antecknar samtycke, för enheter som deltar.")
            )
    choice = ConsentChoice(unit.id, status, effective_at, note)
    event = _add_consent(plan, choice, method, by)
    if by.kind is AccountKind.STAFF:
        notify_individual_side(plan, "consent.recorded_by_staff")  # the individual is told
    if status is ConsentStatus.WITHDRAWN:
        _close_if_all_withdrawn(plan, by)
    db.session().commit()
    return event


def mark_withdrawal_handled(*, event: ConsentEvent, by: Account) -> None:
    """Someone who leads the plan, or works at the unit, has acted on a withdrawal."""
    if event.status is not ConsentStatus.WITHDRAWN:
        raise ValueError("only a withdrawal is handled")
    if event.handled_at is None:
        event.handled_at = now()
        audit.record(
            db.session(),
            type=EventType.CONSENT_WITHDRAWAL_HANDLED,
            by=by,
            subject_individual_id=event.plan.individual_id,
            object_type="consent_event",
            object_id=event.id,
        )
    db.session().commit()


def acknowledge_request(*, request: PlanRequest, by: Account, response: str = "") -> None:
    """The person who leads the plan confirms a request from the individual has arrived."""
    if by.staff_id is None:
        raise ValueError("staff acknowledge requests")
    if request.acknowledged_at is None:
        request.acknowledged_at = now()
        request.acknowledged_by_id = by.staff_id
        request.response = response.strip()
        audit.record(
            db.session(),
            type=EventType.REQUEST_ACKNOWLEDGE,
            by=by,
            subject_individual_id=request.plan.individual_id,
            object_type="plan_request",
            object_id=request.id,
        )
        notify_individual_side(request.plan, "request.answered")
    db.session().commit()


def _defer(plan: Plan, reassess_before_home_on: date, by: Account) -> None:
    if reassess_day_problem(reassess_before_home_on, today_stockholm()) is DateProblem.PASSED:
        raise PlanInputError(
            "reassess_before_home_on", _l("Dagen för omprövning kan inte ha passerat.")
        )
    plan.state = transition(plan.state, PlanState.DEFERRED)
    plan.context = PlanContext.AFTER_SHORT_TERM_STAY
    plan.sip_wished = True  # the wish stays recorded [002]
    plan.reassess_before_home_on = reassess_before_home_on
    audit.record(
        db.session(),
        type=EventType.PLAN_DEFER,
        by=by,
        subject_individual_id=plan.individual_id,
        object_type="plan",
        object_id=plan.id,
    )


def defer_for_short_term_stay(*, plan: Plan, reassess_before_home_on: date, by: Account) -> Plan:
    """A short-term stay is granted: the SIP waits, the wish stays recorded [002]."""
    _defer(plan, reassess_before_home_on, by)
    db.session().commit()
    return plan


def _check_caller(plan: Plan, convener: Staff | None, outcome: ReassessOutcome) -> Staff:
    if convener is None:
        raise PlanInputError("convener", _l("Välj vem som kallar till SIP-mötet."))
    from portal.services.invitation_check import callable_staff

    if convener.id not in {s.id for s in callable_staff(plan)}:
        # Becoming convener gives access to the plan: only staff of a unit with consent [003].
        raise PlanInputError(
            "convener", _l("Välj någon vid en enhet som personen har gett samtycke till.")
        )
    if may_call_after_stay(outcome, convener.profession, convener.unit.kind):
        return convener
    messages = {
        ReassessOutcome.NEED_REMAINS: _l("Biståndshandläggaren kallar till SIP i hemmet."),
        ReassessOutcome.HEALTH_CARE_ONLY: _l(
            "När behovet bara gäller hälso- och sjukvård kallar hälso- och sjukvårdspersonal."
        ),
        ReassessOutcome.PLAN_CHANGED: _l(
            "Hälsocentralen bedömer tillsammans med personen om behovet finns kvar."
        ),
    }
    raise PlanInputError("convener", messages[outcome])


CLOSING_OUTCOMES = {
    ReassessOutcome.NO_NEED: CloseReason.NO_LONGER_NEEDED,
    ReassessOutcome.NOT_WANTED: CloseReason.NO_LONGER_WANTED,
}


def reassess_after_short_term_stay(
    *,
    plan: Plan,
    outcome: ReassessOutcome,
    by: Account,
    convener: Staff | None = None,
    note: str = "",
) -> Plan:
    """Before the return home: does the need and the wish remain? [002]

    Need remains: the plan is active again (initiated, "after short-term stay") with the needs
    assessor as convener — or, when the need is health care only, the health-care staff member
    who noticed it — who calls the SIP at home. Home or special housing instead of the stay:
    the health centre becomes convener and re-assesses with the individual. Need or wish gone:
    the plan closes and no invitation is sent.
    """
    if plan.state is not PlanState.DEFERRED:
        raise PlanInputError("outcome", _l("Planen väntar inte på omprövning."))
    session = db.session()
    caller = None if outcome in CLOSING_OUTCOMES else _check_caller(plan, convener, outcome)
    audit.record(
        session,
        type=EventType.PLAN_REASSESS,
        by=by,
        subject_individual_id=plan.individual_id,
        object_type="plan",
        object_id=plan.id,
        detail=outcome.value,
    )
    if outcome in CLOSING_OUTCOMES:
        plan.sip_wished = outcome is not ReassessOutcome.NOT_WANTED
        _close(plan, CLOSING_OUTCOMES[outcome], by, note.strip())
    else:
        assert caller is not None
        plan.convener = caller
        plan.state = transition(plan.state, PlanState.INITIATED)
        plan.reassess_before_home_on = None
        plan.context = (
            PlanContext.AFTER_DISCHARGE
            if outcome is ReassessOutcome.PLAN_CHANGED
            else PlanContext.AFTER_SHORT_TERM_STAY
        )
    session.commit()
    return plan
