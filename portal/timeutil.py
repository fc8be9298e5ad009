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
    return value.astimezone(STOCKHOLM)


def stockholm_to_utc(day: date, clock: time) -> datetime:
    """A wall-clock time in Stockholm as UTC (the earlier one when the clock goes back)."""
    return datetime.combine(day, clock, tzinfo=STOCKHOLM).astimezone(UTC)
