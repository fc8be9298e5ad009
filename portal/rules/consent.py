"""Consent per unit, from its history of events. Pure.

The latest event per unit is in force. Without consent only name, identity number,
registered address and preliminary discharge date may be passed on [003]. Withdrawing
all consent ends the SIP [004].
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from portal.rules.vocabulary import ConsentStatus

SHAREABLE_WITHOUT_CONSENT: frozenset[str] = frozenset(
    {"name", "personal_identity_number", "registered_address", "preliminary_discharge_date"}
)


@dataclass(frozen=True)
class ConsentRecord:
    unit_id: int
    status: ConsentStatus
    at: datetime


def current_consent(events: Iterable[ConsentRecord]) -> dict[int, ConsentStatus]:
    """The status in force per unit: the latest event wins; equal times keep their order."""
    ordered = sorted(enumerate(events), key=lambda pair: (pair[1].at, pair[0]))
    return {record.unit_id: record.status for _, record in ordered}


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
