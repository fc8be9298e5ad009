"""Dates and times as the pages, the PDFs, the calendar and the log show them.

One long and one short style per locale, all through Babel (ADR 0070). Times of day are
shown with the date in these styles, or alone with `time` (a meeting's end).
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any, Literal

from flask_babel import format_date, format_datetime, get_locale, get_timezone

logger = logging.getLogger(__name__)

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


# What each value was shown as, by (type, value, pattern, locale, time zone): the same meeting
# times and dates are shown on every request, and Babel takes 20-60 µs a value. Bounded:
# emptied when full.
_SHOWN: dict[tuple[type, Any, str, bool, str, str], str] = {}
_SHOWN_MOST = 4096


def _safe(value: Any, pattern: str, *, as_date: bool) -> str:
    """A stored value that cannot be formatted (year 9999 in another time zone, a naive
    value) is shown as it is stored rather than breaking the page (issue 12)."""
    try:
        key = (type(value), value, pattern, as_date, str(get_locale()), str(get_timezone()))
        found = _SHOWN.get(key)
    except TypeError:  # a value that cannot be a key (unhashable): formatted, not kept
        key, found = None, None
    if found is not None:
        return found
    try:
        shown = format_date(value, pattern) if as_date else format_datetime(value, pattern)
    except (ValueError, OverflowError, TypeError, AttributeError, KeyError):
        logger.warning("could not format a stored %s", type(value).__name__)
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    if key is not None:
        if len(_SHOWN) >= _SHOWN_MOST:
            _SHOWN.clear()
        _SHOWN[key] = shown
    return shown


def show_date(value: date | datetime | None, style: str = "long") -> str:
    if not value:
        return ""
    patterns = _patterns()
    pattern = patterns[0] if _style(style) == "long" else patterns[2]
    return _safe(value, pattern, as_date=not isinstance(value, datetime))


def show_datetime(value: datetime | None, style: str = "long") -> str:
    if not value:
        return ""
    patterns = _patterns()
    return _safe(value, patterns[1] if _style(style) == "long" else patterns[3], as_date=False)


def show_time(value: datetime | None) -> str:
    return _safe(value, _patterns()[4], as_date=False) if value else ""
