"""Time: stored in UTC, shown in Europe/Stockholm."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def now() -> datetime:
    return datetime.now(UTC)


def today_stockholm(at: datetime | None = None) -> date:
    return (at or now()).astimezone(STOCKHOLM).date()


def to_stockholm(value: datetime) -> datetime:
    """A stored moment on the clock in Stockholm. One beyond the calendar there (the last hour
    of year 9999, the first of year 1) is held at the calendar's edge instead of raising:
    stored data never breaks a page (issue 12)."""
    try:
        return value.astimezone(STOCKHOLM)
    except OverflowError:
        edge = datetime.max if value.year > 1 else datetime.min
        return edge.replace(tzinfo=STOCKHOLM)


def stockholm_to_utc(day: date, clock: time) -> datetime:
    """A wall-clock time in Stockholm as UTC (the earlier one when the clock goes back)."""
    return datetime.combine(day, clock, tzinfo=STOCKHOLM).astimezone(UTC)


def stockholm_moment(day: date, clock: time) -> datetime | None:
    """A wall-clock time in Stockholm as UTC, as `stockholm_to_utc`; None in the hour skipped
    when the clock goes forward to summer time (02:00–02:59 on the last Sunday of March),
    which `stockholm_to_utc` would read as an hour later."""
    moment = stockholm_to_utc(day, clock)
    return moment if to_stockholm(moment).time() == clock else None


def stockholm_clock_exists(day: date, clock: time) -> bool:
    """Whether the clock in Stockholm shows this time on this day (`stockholm_moment`)."""
    return stockholm_moment(day, clock) is not None
