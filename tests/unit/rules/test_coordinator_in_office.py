"""Who holds the coordinator's office at a moment (the signed document names them [003])."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from portal.rules.participation import active_assignment, assignment_in_office

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


@dataclass(frozen=True)
class Assignment:
    staff_id: int
    accepted_at: datetime | None
    ended_at: datetime | None = None


FIRST = Assignment(1, T0, T0 + timedelta(days=10))
SECOND = Assignment(2, T0 + timedelta(days=10))
WAITING = Assignment(3, None)


def test_the_coordinator_in_office_now_is_the_active_assignment() -> None:
    assert assignment_in_office([FIRST, SECOND], None) is SECOND
    assert assignment_in_office([FIRST, SECOND], None) is active_assignment([FIRST, SECOND])


def test_the_coordinator_in_office_at_a_moment_before_and_after_a_handover() -> None:
    rows = [FIRST, SECOND]
    assert assignment_in_office(rows, T0 - timedelta(hours=1)) is None
    assert assignment_in_office(rows, T0 + timedelta(days=9)) is FIRST
    assert assignment_in_office(rows, T0 + timedelta(days=10)) is SECOND


def test_a_handover_not_yet_accepted_gives_nobody_the_office() -> None:
    held = Assignment(1, T0)
    assert assignment_in_office([held, WAITING], None) is held
    assert assignment_in_office([held, WAITING], T0 + timedelta(days=1)) is held
    assert assignment_in_office([WAITING], T0 + timedelta(days=1)) is None
