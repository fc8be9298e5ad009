"""The nights the clock in Stockholm goes forward (02.00 becomes 03.00): the last Sunday of
March. Tests take the one before or after today, so that they hold in any year."""

from __future__ import annotations

from datetime import date, timedelta


def summer_time_night(year: int) -> date:
    last_of_march = date(year, 3, 31)
    return last_of_march - timedelta(days=(last_of_march.weekday() - 6) % 7)


def last_summer_time_night(today: date) -> date:
    night = summer_time_night(today.year)
    return night if night < today else summer_time_night(today.year - 1)


def next_summer_time_night(today: date) -> date:
    night = summer_time_night(today.year)
    return night if night > today else summer_time_night(today.year + 1)
