"""Consent per unit, from its history of events. Pure.

The latest event per unit is in force. Without consent only name, identity number,
registered address and preliminary discharge date may be passed on [003]. Withdrawing
all consent ends the SIP [004].
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from portal.rules.vocabulary import ConsentStatus, PlanState

SHAREABLE_WITHOUT_CONSENT: frozenset[str] = frozenset(
    {"name", "personal_identity_number", "registered_address", "preliminary_discharge_date"}
)


@dataclass(frozen=True)
class ConsentRecord:
    unit_id: int
    status: ConsentStatus
    at: datetime


class UnitEvent(Protocol):
    @property
    def unit_id(self) -> int: ...


E = TypeVar("E", bound=UnitEvent)


def in_force_per_unit(events: Iterable[E], at: Callable[[E], datetime]) -> dict[int, E]:
    """The event in force per unit: the latest (by `at`) wins; equal times keep their order."""
    ordered = sorted(enumerate(events), key=lambda pair: (at(pair[1]), pair[0]))
    return {event.unit_id: event for _, event in ordered}


def current_consent(events: Iterable[ConsentRecord]) -> dict[int, ConsentStatus]:
    """The status in force per unit (`in_force_per_unit`)."""
    return {unit: r.status for unit, r in in_force_per_unit(events, lambda r: r.at).items()}


def consent_may_change(state: PlanState) -> bool:
    """Consent is given, withdrawn or written down only while the plan is open: a closed
    plan's consent stays as it stood when it closed."""
    return state is not PlanState.CLOSED


def may_share_with(unit_id: int, current: dict[int, ConsentStatus]) -> bool:
    return current.get(unit_id) is ConsentStatus.GIVEN


def all_withdrawn(current: dict[int, ConsentStatus]) -> bool:
    """True when consent had been given and none remains: this ends the SIP [004]."""
    statuses = set(current.values())
    return (
        bool(statuses)
        and ConsentStatus.GIVEN not in statuses
        and ConsentStatus.WITHDRAWN in statuses
    )
