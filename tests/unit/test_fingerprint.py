"""The digest a kept block is keyed by (ADR 0120): equal values, equal digests; any change,
another; and a value of no known kind is refused rather than left out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from portal.models import Staff, Unit
from portal.rules.vocabulary import MeetingKind
from portal.web.fingerprint import canonical, digest


@dataclass(frozen=True)
class Row:
    id: int
    when: datetime | None
    kinds: tuple[MeetingKind, ...]


def test_equal_values_have_one_digest_and_any_change_another() -> None:
    at = datetime(2026, 12, 8, 9, 30, tzinfo=UTC)
    one = digest(row=Row(1, at, (MeetingKind.FIRST,)), ids={3, 1, 2}, by={2: [1], 1: [2]})
    same = digest(by={1: [2], 2: [1]}, ids={2, 3, 1}, row=Row(1, at, (MeetingKind.FIRST,)))
    assert one == same and len(one) == 32
    changes = [
        digest(row=Row(2, at, (MeetingKind.FIRST,)), ids={3, 1, 2}, by={2: [1], 1: [2]}),
        digest(row=Row(1, None, (MeetingKind.FIRST,)), ids={3, 1, 2}, by={2: [1], 1: [2]}),
        digest(row=Row(1, at, (MeetingKind.FOLLOW_UP,)), ids={3, 1, 2}, by={2: [1], 1: [2]}),
        digest(row=Row(1, at, (MeetingKind.FIRST,)), ids={3, 1}, by={2: [1], 1: [2]}),
        digest(row=Row(1, at, (MeetingKind.FIRST,)), ids={3, 1, 2}, by={2: [1], 1: [3]}),
        digest(rows=Row(1, at, (MeetingKind.FIRST,)), ids={3, 1, 2}, by={2: [1], 1: [2]}),
    ]
    assert len({one, *changes}) == 7


def test_an_enum_is_not_its_value_and_a_day_is_not_a_moment() -> None:
    assert digest(kind=MeetingKind.FIRST) != digest(kind="first")
    assert digest(on=date(2026, 12, 8)) != digest(on=datetime(2026, 12, 8, tzinfo=UTC))


def test_an_orm_row_by_its_table_and_loaded_columns() -> None:
    unit = Unit(id=4, name="Hemtjänsten")
    assert canonical(unit)[0] == "units" and ("name", "Hemtjänsten") in canonical(unit)
    renamed = Unit(id=4, name="Hemtjänst Norr")
    assert digest(unit=unit) != digest(unit=renamed)
    assert digest(units=[unit]) == digest(units=[Unit(id=4, name="Hemtjänsten")])


@pytest.mark.parametrize("value", [lambda: 1, object(), b"bytes", iter([1])])
def test_a_value_of_no_known_kind_is_refused(value: object) -> None:
    with pytest.raises(TypeError, match="no fingerprint"):
        digest(value=value)


def test_an_orm_row_with_the_rows_its_loaded_many_to_one_relationships_name() -> None:
    """A staff member shown with their unit's name: a renamed unit is another digest, though
    the staff member's own columns are the same (the closing section names plans so)."""
    unit = Unit(id=2, name="Hälsocentralen")
    staff = Staff(id=7, given_name="Eva", family_name="Berg", unit=unit)  # back-populates
    before = digest(leader=staff)
    unit.name = "Hälsocentralen Norr"
    assert digest(leader=staff) != before
    assert digest(unit=unit)  # the unit's staff (a collection) is not followed
