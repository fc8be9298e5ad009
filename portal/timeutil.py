"""Time: stored in UTC, shown in Europe/Stockholm."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def now() -> datetime:
    return datetime.now(UTC)


def today_stockholm(at: datetime | None = None) -> date:
    return (at or now()).astimezone(STOCKHOLM).date()


def to_stockholm(value: datetime) -> datetime:
    return value.astimezone(STOCKHOLM)
