"""The legal clocks: three calendar days to invite; the weekday acknowledgement rule."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.rules.deadlines import (
    acknowledgement_due,
    days_until,
    invitation_due_date,
    invitation_overdue,
    is_weekday,
)

SE = ZoneInfo("Europe/Stockholm")


def se(*args: int) -> datetime:
    return datetime(*args, tzinfo=SE)


@pytest.mark.parametrize(
    ("sent", "due"),
    [
        (se(2026, 11, 27, 14, 59), se(2026, 11, 27, 17, 0)),  # Friday before 15
        (se(2026, 11, 27, 15, 0), se(2026, 11, 30, 10, 0)),  # Friday at 15 → Monday
        (se(2026, 11, 28, 9, 0), se(2026, 11, 30, 10, 0)),  # Saturday
        (se(2026, 12, 23, 16, 0), se(2026, 12, 28, 10, 0)),  # eve, Christmas, weekend
        (se(2026, 12, 23, 9, 0), se(2026, 12, 23, 17, 0)),
        (se(2026, 12, 30, 16, 0), se(2027, 1, 4, 10, 0)),  # New Year's Eve and Day, weekend
        (se(2026, 6, 18, 15, 30), se(2026, 6, 22, 10, 0)),  # Midsummer Eve (Fri) → Monday
        (se(2026, 4, 2, 16, 0), se(2026, 4, 7, 10, 0)),  # Good Friday, Easter Monday
        (se(2026, 1, 5, 16, 0), se(2026, 1, 7, 10, 0)),  # Epiphany
        (se(2026, 11, 25, 0, 0), se(2026, 11, 25, 17, 0)),
    ],
)
def test_acknowledgement_due_examples(sent: datetime, due: datetime) -> None:
    assert acknowledgement_due(sent) == due


def test_acknowledgement_due_answers_in_stockholm_time() -> None:
    result = acknowledgement_due(datetime(2026, 11, 25, 8, 0, tzinfo=UTC))
    assert result.tzinfo is not None and result.utcoffset() == timedelta(hours=1)
    assert result == se(2026, 11, 25, 17, 0)


def test_every_hour_of_four_years_gets_a_lawful_deadline() -> None:
    moment = datetime(2025, 1, 1, tzinfo=UTC)
    end = datetime(2029, 1, 1, tzinfo=UTC)
    while moment < end:
        due = acknowledgement_due(moment)
        local = moment.astimezone(SE)
        assert due > moment
        assert is_weekday(due.date())
        assert (due.hour, due.minute) in ((17, 0), (10, 0))
        same_day = is_weekday(local.date()) and local.hour < 15
        assert (due.date() == local.date()) is same_day
        if not same_day:
            gap = [
                local.date() + timedelta(days=n) for n in range(1, (due.date() - local.date()).days)
            ]
            assert not any(is_weekday(d) for d in gap), "the next weekday, not a later one"
        moment += timedelta(hours=1)


@pytest.mark.parametrize(
    ("moment", "monday"),
    [
        (se(2026, 3, 29, 1, 30), date(2026, 3, 30)),  # clocks go forward that night
        (se(2026, 3, 29, 3, 30), date(2026, 3, 30)),
        (se(2026, 10, 25, 2, 30), date(2026, 10, 26)),  # clocks go back that night
        (se(2026, 10, 25, 3, 30), date(2026, 10, 26)),
    ],
)
def test_daylight_saving_sundays_give_monday_ten_oclock(moment: datetime, monday: date) -> None:
    due = acknowledgement_due(moment)
    assert due.date() == monday
    assert (due.hour, due.minute) == (10, 0)


@given(
    st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
    )
)
def test_invitation_due_is_three_days_after_the_stockholm_date(ready: datetime) -> None:
    due = invitation_due_date(ready)
    assert due == ready.astimezone(SE).date() + timedelta(days=3)
    assert not invitation_overdue(ready, ready)
    assert invitation_overdue(ready, ready + timedelta(days=4, hours=1))


def test_invitation_due_counts_from_the_day_in_stockholm() -> None:
    late_evening_utc = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)  # 00:30 on the 25th in Sweden
    assert invitation_due_date(late_evening_utc) == date(2026, 11, 28)
    assert days_until(date(2026, 11, 28), se(2026, 11, 25, 12, 0)) == 3


@pytest.mark.parametrize("call", [acknowledgement_due, invitation_due_date])
def test_naive_datetimes_are_refused(call) -> None:
    with pytest.raises(ValueError, match="naive"):
        call(datetime(2026, 11, 25, 12, 0))


def test_weekday_excludes_the_three_eves_and_sundays() -> None:
    assert not is_weekday(date(2026, 6, 19))  # Midsummer Eve
    assert not is_weekday(date(2026, 12, 24)) and not is_weekday(date(2026, 12, 31))
    assert not is_weekday(date(2026, 11, 29))
    assert is_weekday(date(2026, 11, 25))
