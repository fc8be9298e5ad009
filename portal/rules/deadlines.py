"""Legal clocks of the SIP process. Pure; Swedish holidays from the maintained `holidays` package.

- Invitation to a SIP after discharge: at the latest 3 calendar days after the
  ready-for-discharge notice ([003], [004]).
- Acknowledging a message ([003]): sent on a weekday before 15:00 → the same day (17:00);
  otherwise → the next weekday morning (10:00). A weekday is Monday–Friday that is neither a
  Swedish public holiday nor Midsummer Eve, Christmas Eve or New Year's Eve.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

STOCKHOLM = ZoneInfo("Europe/Stockholm")
INVITATION_DAYS = 3
SAME_DAY_BEFORE = time(15, 0)
SAME_DAY_DUE = time(17, 0)
NEXT_DAY_DUE = time(10, 0)


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise ValueError("a naive datetime has no place in time: pass an aware datetime")
    return value


@lru_cache(maxsize=64)
def _days_off(year: int) -> frozenset[date]:
    """Public holidays and the three eves (the package's 'de_facto' category) of a year."""
    found = holidays.country_holidays("SE", years=year, categories=("public", "de_facto"))
    return frozenset(found.keys())


def is_weekday(day: date) -> bool:
    return day.weekday() < 5 and day not in _days_off(day.year)


def next_weekday(day: date) -> date:
    """The first weekday strictly after `day`."""
    following = day + timedelta(days=1)
    while not is_weekday(following):
        following += timedelta(days=1)
    return following


def invitation_due_date(ready_for_discharge_at: datetime) -> date:
    """The last day the invitation to the SIP may be sent after discharge."""
    local = _aware(ready_for_discharge_at).astimezone(STOCKHOLM)
    return local.date() + timedelta(days=INVITATION_DAYS)


def invitation_overdue(ready_for_discharge_at: datetime, now: datetime) -> bool:
    return _aware(now).astimezone(STOCKHOLM).date() > invitation_due_date(ready_for_discharge_at)


def days_until(due: date, now: datetime) -> int:
    """Calendar days from today (Stockholm) to `due`; negative when it has passed."""
    return (due - _aware(now).astimezone(STOCKHOLM).date()).days


def acknowledgement_due(sent_at: datetime) -> datetime:
    """When a message sent at `sent_at` must be acknowledged, in Europe/Stockholm."""
    local = _aware(sent_at).astimezone(STOCKHOLM)
    if is_weekday(local.date()) and local.time() < SAME_DAY_BEFORE:
        return datetime.combine(local.date(), SAME_DAY_DUE, tzinfo=STOCKHOLM)
    return datetime.combine(next_weekday(local.date()), NEXT_DAY_DUE, tzinfo=STOCKHOLM)
