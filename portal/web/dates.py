"""Dates and times as the pages, the PDFs, the calendar and the log show them.

One long and one short style per locale, all through Babel (ADR 0070). Times of day are
shown with the date in these styles, or alone with `time` (a meeting's end).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from flask_babel import format_date, format_datetime, get_locale

Style = Literal["long", "short"]

# locale -> (long date, long date and time, short date, short date and time, time of day)
PATTERNS: dict[str, tuple[str, str, str, str, str]] = {
    "sv": ("EEEE d MMMM y", "EEEE d MMMM y 'kl.' HH.mm", "d MMM y", "d MMM y 'kl.' HH.mm", "HH.mm"),
    "en": ("EEEE d MMMM y", "EEEE d MMMM y 'at' HH:mm", "d MMM y", "d MMM y, HH:mm", "HH:mm"),
}


def _patterns() -> tuple[str, str, str, str, str]:
    locale = str(get_locale() or "sv")
    return PATTERNS.get(locale.split("_")[0], PATTERNS["sv"])


def _style(style: str) -> Style:
    if style not in ("long", "short"):
        raise ValueError(f"date style {style!r}: only 'long' and 'short' exist (ADR 0070)")
    return style  # type: ignore[return-value]


def show_date(value: date | datetime | None, style: str = "long") -> str:
    if not value:
        return ""
    patterns = _patterns()
    pattern = patterns[0] if _style(style) == "long" else patterns[2]
    if isinstance(value, datetime):
        return format_datetime(value, pattern)
    return format_date(value, pattern)


def show_datetime(value: datetime | None, style: str = "long") -> str:
    if not value:
        return ""
    patterns = _patterns()
    return format_datetime(value, patterns[1] if _style(style) == "long" else patterns[3])


def show_time(value: datetime | None) -> str:
    return format_datetime(value, _patterns()[4]) if value else ""
