"""What the signed plan says, as plain data read from one plan version, and its content hash.

The data holds enum values, not words, so the hash does not depend on the language the PDF
is printed in.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime

from portal.models import Meeting, MeetingParticipant, Plan, PlanVersion, Staff
from portal.rules.consent import ConsentRecord, current_consent
from portal.rules.participation import assignment_in_office
from portal.rules.plan_content import version_followed_up
from portal.rules.vocabulary import (
    Approval,
    AttendeeRole,
    ConsentStatus,
    GoalEvaluation,
    LegalBasis,
    MeetingForm,
    MeetingStatus,
    ParticipantRole,
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
    follow_up_by: Person | None
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
class Attendee:
    """Someone who was at the meeting that agreed the version, and in what role."""

    name: str
    role: AttendeeRole
    profession: Profession | None = None
    unit: str = ""


@dataclass(frozen=True)
class GoalReview:
    """A goal of the version followed up, as it was evaluated at the follow-up [004]."""

    goal: str
    evaluation: GoalEvaluation | None
    comment: str


@dataclass(frozen=True)
class IndividualApproval:
    """Whether the individual approved the changes at the follow-up, and who wrote it down."""

    answer: Approval
    note: str
    recorded_by: str


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
    participants: tuple[Attendee, ...]
    consents: tuple[Consent, ...]
    consent_at: datetime | None  # consent as it stood then (the signing, or now for a draft)
    follows_up_version: int | None  # the version whose goals were evaluated
    reviews: tuple[GoalReview, ...]
    approval: IndividualApproval | None


def content_hash(content: PlanContent) -> str:
    """SHA-256 of the content in a canonical form: the same plan always gives the same hash."""
    text = json.dumps(asdict(content), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def preview_digest(content: PlanContent) -> str:
    """What a signer confirms: the content as previewed, apart from the moment the consent
    table is read at (the preview's and the signing's moments differ; the table must not)."""
    return content_hash(replace(content, consent_at=None))


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

    Who holds the office is `portal.rules.participation.assignment_in_office`.
    """
    held = assignment_in_office(plan.coordinator_assignments, moment)
    return held.staff if held is not None else None


def _meeting_behind(version: PlanVersion) -> Meeting | None:
    """The latest meeting held before the version was written: the one that agreed it."""
    held = [
        m
        for m in version.plan.meetings
        if m.status is MeetingStatus.HELD and m.starts_at <= version.created_at
    ]
    return held[-1] if held else None


def _units(version: PlanVersion) -> tuple[UnitInterventions, ...]:
    """Each intervention under the unit that gives it, units in name order.

    Grouped by the unit row each intervention refers to (read from the database), so an
    intervention can never stand under another unit's heading.
    """
    grouped: dict[int, list[Intervention]] = {}
    units = {}
    for number, goal in enumerate(version.goals, start=1):
        for item in goal.interventions:
            unit = item.unit
            units[unit.id] = unit
            grouped.setdefault(unit.id, []).append(
                Intervention(
                    what=item.what,
                    goal_number=number,
                    responsible=person(item.responsible) if item.responsible else None,
                    follow_up_by=person(item.follow_up_by) if item.follow_up_by else None,
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
        for unit_id, items in sorted(
            grouped.items(), key=lambda pair: (units[pair[0]].name, pair[0])
        )
    )


def _consents(plan: Plan, moment: datetime) -> tuple[Consent, ...]:
    """Consent per unit as it stood at `moment`: later changes do not reach a signed plan."""
    events = [e for e in plan.consent_events if e.effective_at <= moment]
    names = {event.unit_id: event.unit.name for event in events}
    current = current_consent(ConsentRecord(e.unit_id, e.status, e.effective_at) for e in events)
    return tuple(
        Consent(unit=names[unit_id], status=status)
        for unit_id, status in sorted(current.items(), key=lambda pair: (names[pair[0]], pair[0]))
    )


def _attendee(meeting: Meeting, participant: MeetingParticipant) -> Attendee | None:
    if participant.attended is False:
        return None
    if participant.staff is not None:
        staff = participant.staff
        role = (
            AttendeeRole.CONVENER
            if staff.id == meeting.convener_id
            else AttendeeRole.CALLED
            if participant.role is ParticipantRole.CALLED
            else AttendeeRole.INVITED
        )
        return Attendee(staff.name, role, staff.profession, staff.unit.name)
    if participant.relative is not None:
        return Attendee(participant.relative.name, AttendeeRole.INVITED)
    if participant.other_name:
        return Attendee(participant.other_name, AttendeeRole.INVITED)
    return None


def _attendees(plan: Plan, meeting: Meeting | None) -> tuple[Attendee, ...]:
    """Who was at the meeting: the individual first (unless recorded absent), then the others."""
    if meeting is None:
        return ()
    present = (
        []
        if meeting.individual_present is False
        else [Attendee(plan.individual.name, AttendeeRole.INDIVIDUAL)]
    )
    others = [a for p in meeting.participants if (a := _attendee(meeting, p)) is not None]
    order = {AttendeeRole.CONVENER: 0, AttendeeRole.CALLED: 1, AttendeeRole.INVITED: 2}
    return (*present, *sorted(others, key=lambda a: order[a.role]))


def _followed_up(version: PlanVersion) -> PlanVersion | None:
    """The version this one revises at a follow-up: the newest signed one before it."""
    by_number = {v.number: v for v in version.plan.versions if v.signed_at is not None}
    number = version_followed_up(by_number, version.number)
    return by_number[number] if number is not None else None


def _reviews(version: PlanVersion) -> tuple[GoalReview, ...]:
    """The goals of the version followed up, as this version's follow-up evaluated them."""
    return tuple(GoalReview(e.goal.text, e.evaluation, e.comment) for e in version.evaluated_goals)


def _approval(version: PlanVersion) -> IndividualApproval | None:
    if version.approval is None:
        return None
    by = version.approval_recorded_by
    return IndividualApproval(version.approval, version.approval_note, by.name if by else "")


def plan_content(version: PlanVersion, *, coordinator: Staff | None, at: datetime) -> PlanContent:
    """The version's content from what the database holds, consent as it stood `at`."""
    plan = version.plan
    meeting = _meeting_behind(version)
    previous = _followed_up(version)
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
        participants=_attendees(plan, meeting),
        consents=_consents(plan, at),
        consent_at=at,
        follows_up_version=previous.number if previous else None,
        reviews=_reviews(version),
        approval=_approval(version),
    )
