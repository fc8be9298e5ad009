"""The individual's coordinator wish: the one in force, and whether an appointment meets it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from portal.rules.coordinator_wish import OTHER, WishProblem, current_wish, problem, wish_met

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


@dataclass(frozen=True)
class Wish:
    id: int
    created_at: datetime
    withdrawn_at: datetime | None = None


def test_the_wish_in_force_is_the_newest_not_withdrawn() -> None:
    old, new = Wish(1, T0, T0 + timedelta(days=1)), Wish(2, T0 + timedelta(days=1))
    assert current_wish([old, new]) is new
    assert current_wish([old]) is None


def test_an_appointment_meets_the_wish_only_when_it_names_that_person() -> None:
    assert wish_met(7, 7) is True
    assert wish_met(7, 8) is False
    assert wish_met(None, 7) is None  # no wish, or someone described in words


def test_a_wish_is_a_person_taking_part_or_someone_described() -> None:
    assert problem("7", "", [7, 8]) is None
    assert problem("9", "", [7, 8]) is WishProblem.CHOOSE
    assert problem(OTHER, "  ", [7]) is WishProblem.DESCRIBE
    assert problem(OTHER, "Min dotters sjuksköterska", [7]) is None
