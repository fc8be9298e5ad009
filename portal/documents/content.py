"""What the signed plan says, as plain data read from one plan version, and its content hash.

The data holds enum values, not words, so the hash does not depend on the language the PDF
is printed in.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import date, datetime

from portal.models import Meeting, Plan, PlanVersion, Staff
from portal.rules.consent import ConsentRecord, current_consent
from portal.rules.vocabulary import (
    ConsentStatus,
    LegalBasis,
    MeetingForm,
    MeetingStatus,
    PlanContext,
    Profession,
)


@dataclass(frozen=True)
class Person:
    name: str
    profession: Profession | None
    title: str
    unit: str
    phone: str
    email: str


@dataclass(frozen=True)
class Intervention:
    what: str
    goal_number: int
    responsible: Person | None
    frequency: str
    legal_basis: LegalBasis


@dataclass(frozen=True)
class UnitInterventions:
    unit: str
    organisation: str
    phone: str
    interventions: tuple[Intervention, ...]


@dataclass(frozen=True)
class Consent:
    unit: str
    status: ConsentStatus


@dataclass(frozen=True)
class PlanContent:
    individual_name: str
    masked_pin: str
    plan_number: str
    version_number: int
    context: PlanContext
    goals: tuple[str, ...]
    units: tuple[UnitInterventions, ...]
    own_responsibilities: tuple[str, ...]
    follow_up_on: date | None
    follow_up_form: MeetingForm | None
    follow_up_how: str
    coordinator: Person | None
    meeting_on: date | None
    participants: tuple[Person, ...]
    consents: tuple[Consent, ...]


def content_hash(content: PlanContent) -> str:
    """SHA-256 of the content in a canonical form: the same plan always gives the same hash."""
    text = json.dumps(asdict(content), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def person(staff: Staff) -> Person:
    return Person(
        name=staff.name,
        profession=staff.profession,
        title=staff.title,
        unit=staff.unit.name,
        phone=staff.phone or staff.unit.phone,
        email=staff.email or staff.unit.email,
    )


def coordinator_at(plan: Plan, moment: datetime | None) -> Staff | None:
    """The coordinator in office at `moment` (now, when None).

    A handover not yet accepted gives nobody the office: until then the previous one holds it.
    """
    for assignment in reversed(plan.coordinator_assignments):
        if assignment.accepted_at is None:
            continue
        started = assignment.accepted_at
        ended = assignment.ended_at
        if moment is None and ended is None:
            return assignment.staff
        if moment is not None and started <= moment and (ended is None or ended > moment):
            return assignment.staff
    return None


def _meeting_behind(version: PlanVersion) -> Meeting | None:
    """The latest meeting held before the version was written: the one that agreed it."""
    held = [
        m
        for m in version.plan.meetings
        if m.status is MeetingStatus.HELD and m.starts_at <= version.created_at
    ]
    return held[-1] if held else None


def _units(version: PlanVersion) -> tuple[UnitInterventions, ...]:
    grouped: dict[int, list[Intervention]] = {}
    units = {}
    for number, goal in enumerate(version.goals, start=1):
        for item in goal.interventions:
            units[item.unit_id] = item.unit
            grouped.setdefault(item.unit_id, []).append(
                Intervention(
                    what=item.what,
                    goal_number=number,
                    responsible=person(item.responsible) if item.responsible else None,
                    frequency=item.frequency,
                    legal_basis=item.legal_basis,
                )
            )
    return tuple(
        UnitInterventions(
            unit=units[unit_id].name,
            organisation=units[unit_id].organisation.name,
            phone=units[unit_id].phone,
            interventions=tuple(items),
        )
        for unit_id, items in sorted(grouped.items(), key=lambda pair: units[pair[0]].name)
    )


def _consents(plan: Plan) -> tuple[Consent, ...]:
    names = {event.unit_id: event.unit.name for event in plan.consent_events}
    current = current_consent(
        ConsentRecord(e.unit_id, e.status, e.effective_at) for e in plan.consent_events
    )
    return tuple(
        Consent(unit=names[unit_id], status=status)
        for unit_id, status in sorted(current.items(), key=lambda pair: names[pair[0]])
    )


def plan_content(version: PlanVersion, *, coordinator: Staff | None) -> PlanContent:
    plan = version.plan
    meeting = _meeting_behind(version)
    participants = (
        tuple(
            person(p.staff)
            for p in meeting.participants
            if p.staff is not None and p.attended is not False
        )
        if meeting
        else ()
    )
    return PlanContent(
        individual_name=plan.individual.name,
        masked_pin=plan.individual.masked_pin,
        plan_number=plan.number,
        version_number=version.number,
        context=plan.context,
        goals=tuple(goal.text for goal in version.goals),
        units=_units(version),
        own_responsibilities=tuple(own.text for own in version.own_responsibilities),
        follow_up_on=version.follow_up_on,
        follow_up_form=version.follow_up_form,
        follow_up_how=version.follow_up_how,
        coordinator=person(coordinator) if coordinator else None,
        meeting_on=meeting.starts_at.date() if meeting else None,
        participants=participants,
        consents=_consents(plan),
    )
