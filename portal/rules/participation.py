"""Who takes part in a plan: its units, the coordinator, and the facts the access rules read.
Pure: the services read the rows and pass their values (or the rows, read by attribute).

- A unit takes part once it has been called to one of the plan's meetings, has an
  intervention in one of its versions, has been asked for consent (whatever the answer), or
  has been added to the plan as a step of its own.
- Consent in force: the units whose latest consent event is "given" (`portal.rules.consent`).
- A unit taking part with consent in force is what staff of other units need to see the plan
  (`portal.rules.access.taking_part_with_consent`, beside the facts it reads).
- A plan's content (and the record form) may name the units with consent in force and those
  called to the meeting being recorded.
- The coordinator is the accepted assignment not yet ended; a handover waits while an
  assignment is neither accepted nor ended (at most one of each at a time).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Protocol, TypeVar

from portal.rules.access import PlanFacts
from portal.rules.consent import ConsentRecord, current_consent
from portal.rules.vocabulary import ConsentStatus, PlanState


class AssignmentRow(Protocol):
    @property
    def staff_id(self) -> int: ...
    @property
    def accepted_at(self) -> datetime | None: ...
    @property
    def ended_at(self) -> datetime | None: ...


A = TypeVar("A", bound=AssignmentRow)


def active_assignment(assignments: Iterable[A]) -> A | None:
    """The coordinator's assignment in force: accepted and not ended (the newest)."""
    active = [a for a in assignments if a.accepted_at is not None and a.ended_at is None]
    return active[-1] if active else None


def assignment_in_office(assignments: Iterable[A], moment: datetime | None) -> A | None:
    """The coordinator's assignment in office at `moment` (now, when None): accepted by then
    and not yet ended. A handover not yet accepted gives nobody the office: until then the
    previous coordinator holds it."""
    if moment is None:
        return active_assignment(assignments)
    held = [
        a
        for a in assignments
        if a.accepted_at is not None
        and a.accepted_at <= moment
        and (a.ended_at is None or a.ended_at > moment)
    ]
    return held[-1] if held else None


def waiting_assignment(assignments: Iterable[A]) -> A | None:
    """A handover waiting to be accepted: neither accepted nor ended (the newest)."""
    waiting = [a for a in assignments if a.accepted_at is None and a.ended_at is None]
    return waiting[-1] if waiting else None


S = TypeVar("S")


def who_leads(assignments: Iterable[AssignmentRow], convener: S) -> S:
    """The person who leads: the coordinator in office (the assignment's `staff`), or the
    convener until one is appointed [003] (`portal.rules.access.leader_id`, from the facts)."""
    active = active_assignment(assignments)
    return getattr(active, "staff") if active is not None else convener  # noqa: B009


def units_taking_part(
    *,
    called: Iterable[int],
    intervening: Iterable[int],
    asked: Iterable[int],
    added: Iterable[int] = (),
) -> frozenset[int]:
    """The units taking part: called to a meeting, with an intervention, asked for consent, or
    added to the plan as a step of its own (`plan_units`, ADR 0045)."""
    return frozenset(called) | frozenset(intervening) | frozenset(asked) | frozenset(added)


def units_with_consent(current: Mapping[int, ConsentStatus]) -> frozenset[int]:
    """The units with consent in force (from `portal.rules.consent.current_consent`)."""
    return frozenset(u for u, status in current.items() if status is ConsentStatus.GIVEN)


def units_in_content(
    current: Mapping[int, ConsentStatus], called_to_meeting: Iterable[int] = ()
) -> frozenset[int]:
    """The units a plan's content may name: consent in force, or called to this meeting."""
    return units_with_consent(current) | frozenset(called_to_meeting)


def make_plan_facts(
    *,
    individual_id: int,
    state: PlanState,
    convener_id: int,
    assignments: Iterable[AssignmentRow],
    called_units: Iterable[int],
    intervening_units: Iterable[int],
    consent: Iterable[ConsentRecord],
    added_units: Iterable[int] = (),
) -> PlanFacts:
    """The one way the access facts of a plan are put together (one plan or many)."""
    current = [a for a in assignments if a.ended_at is None]
    records = list(consent)
    in_force = current_consent(records)
    coordinator = active_assignment(current)
    incoming = waiting_assignment(current)
    return PlanFacts(
        individual_id=individual_id,
        state=state,
        convener_id=convener_id,
        coordinator_id=coordinator.staff_id if coordinator else None,
        incoming_coordinator_id=incoming.staff_id if incoming else None,
        participating_unit_ids=units_taking_part(
            called=called_units,
            intervening=intervening_units,
            asked=(r.unit_id for r in records),
            added=added_units,
        ),
        consented_unit_ids=units_with_consent(in_force),
    )
