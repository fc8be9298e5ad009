"""The hour the clock skips in Stockholm is no time at all (timeutil.stockholm_moment)."""

from __future__ import annotations

from datetime import date, time

import pytest

from portal.timeutil import (
    stockholm_clock_exists,
    stockholm_moment,
    stockholm_to_utc,
    to_stockholm,
)
from tests.support.summer_time import summer_time_night

SUMMER_TIME_2027 = date(2027, 3, 28)  # the last Sunday of March: 02:00 becomes 03:00
WINTER_TIME_2026 = date(2026, 10, 25)  # the last Sunday of October: 02:00-02:59 twice


@pytest.mark.parametrize("clock", [time(2, 0), time(2, 30), time(2, 59)])
def test_the_skipped_hour_does_not_exist(clock: time) -> None:
    assert not stockholm_clock_exists(SUMMER_TIME_2027, clock)
    assert stockholm_moment(SUMMER_TIME_2027, clock) is None
    shown = to_stockholm(stockholm_to_utc(SUMMER_TIME_2027, clock)).time()
    assert shown != clock  # what would have been stored and shown instead


@pytest.mark.parametrize(
    ("day", "clock"),
    [
        (SUMMER_TIME_2027, time(1, 59)),
        (SUMMER_TIME_2027, time(3, 0)),
        (WINTER_TIME_2026, time(2, 30)),  # twice that night: the earlier is taken
        (date(2027, 3, 27), time(2, 30)),
        (date(2027, 6, 1), time(10, 0)),
    ],
)
def test_every_other_time_exists(day: date, clock: time) -> None:
    assert stockholm_clock_exists(day, clock)
    assert stockholm_moment(day, clock) == stockholm_to_utc(day, clock)


def test_the_night_is_the_last_sunday_of_march() -> None:
    assert [summer_time_night(y) for y in (2026, 2027, 2028)] == [
        date(2026, 3, 29),
        date(2027, 3, 28),
        date(2028, 3, 26),
    ]
