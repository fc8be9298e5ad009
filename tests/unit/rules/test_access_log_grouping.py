"""Grouping the access log by day and person, and the keyset cursor, without a database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from portal.rules.access_log import Actor, Cursor, LogEntry, group
from portal.rules.row_ids import MAX_ID

PETER = Actor(8, "Peter Strand", "staff", "Hemtjänst Centrum", False)
KARIN = Actor(11, "Karin Lindqvist", "relative", "", True)


def _entry(n: int, at: datetime, actor: Actor, type_: str = "plan.read") -> LogEntry:
    return LogEntry(n, at, at.date(), actor, type_, "", False)


def test_events_are_grouped_by_day_then_person_then_what() -> None:
    day = datetime(2026, 3, 4, 15, tzinfo=UTC)
    entries = [
        _entry(6, day, PETER),
        _entry(5, day - timedelta(hours=1), KARIN, "consent.read"),
        _entry(4, day - timedelta(hours=2), PETER),
        _entry(3, day - timedelta(hours=3), PETER, "consent.read"),
        _entry(2, day - timedelta(days=2), PETER),
    ]
    days = group(entries)
    assert [d.day for d in days] == [date(2026, 3, 4), date(2026, 3, 2)]
    assert [p.actor for p in days[0].people] == [PETER, KARIN]
    reads = days[0].people[0].lines[0]
    assert (reads.type, reads.count) == ("plan.read", 2)
    assert reads.earliest == day - timedelta(hours=2) and reads.latest == day
    assert [line.type for line in days[0].people[0].lines] == ["plan.read", "consent.read"]


def test_nothing_gives_no_days() -> None:
    assert group([]) == []


@given(st.datetimes(timezones=st.just(UTC)), st.integers(min_value=1, max_value=MAX_ID))
def test_a_cursor_survives_its_own_token(at: datetime, number: int) -> None:
    assert Cursor.parse(Cursor(at, number).token()) == Cursor(at, number)
    assert Cursor.parse(Cursor(at, MAX_ID + number).token()) is None  # no id column holds it


@given(st.text(max_size=40))
def test_a_spoiled_cursor_is_no_cursor_rather_than_an_error(token: str) -> None:
    parsed = Cursor.parse(token)
    assert parsed is None or (parsed.at.tzinfo is not None and parsed.id >= 1)


def test_a_cursor_with_another_offset_names_the_same_moment_in_utc() -> None:
    """Times are stored in UTC (as text, on SQLite): a hand-made token's offset is applied,
    not compared as written; one that is past the calendar in UTC is no cursor."""
    parsed = Cursor.parse("2026-12-08T06:00:00+05:00_7")
    assert parsed == Cursor(datetime(2026, 12, 8, 1, 0, tzinfo=UTC), 7)
    assert parsed is not None and parsed.at.utcoffset() == timedelta(0)
    assert Cursor.parse("9999-12-31T23:59:59-23:59_1") is None
    assert Cursor.parse("0001-01-01T00:00:00+23:59_1") is None
