"""What every template knows: locale, direction, labels, the person signed in, acting for."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, request
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal import labels
from portal.i18n import text_direction

logger = logging.getLogger(__name__)


def _template_context() -> dict[str, Any]:
    locale = str(get_locale() or "sv")
    from portal.web.acting import acting_for_individual

    return {
        "current_locale": locale,
        "text_direction": text_direction(locale),
        "labels": labels,
        "acting_for": acting_for_individual() if current_user.is_authenticated else None,
        "acting_for_switch_url": "/me/acting-for",
        "other_locale": "en" if locale == "sv" else "sv",
        "request_path": request.path,
    }


def _never_raises(format_: Callable[[Any, str], str]) -> Callable[[Any, str], str]:
    """A stored value that cannot be formatted (year 9999 in another time zone, a naive
    value) is shown as it is stored rather than breaking the page (issue 12)."""

    def safe(value: Any, fmt: str) -> str:
        if not value:
            return ""
        try:
            return format_(value, fmt)
        except (ValueError, OverflowError, TypeError, AttributeError, KeyError):
            logger.warning("could not format a stored %s", type(value).__name__)
            return value.isoformat() if hasattr(value, "isoformat") else str(value)

    return safe


safe_date = _never_raises(format_date)
safe_datetime = _never_raises(format_datetime)


def when(value: object) -> str:
    """A meeting time as people say it: "tisdag 1 december kl. 10.00"."""
    return safe_datetime(value, _("EEEE d MMMM 'kl.' HH.mm"))


def init_app(app: Flask) -> None:
    from portal.web import nav

    nav.init_app(app)
    app.context_processor(_template_context)
    app.jinja_env.filters["date"] = lambda value, fmt="long": safe_date(value, fmt)
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": safe_datetime(value, fmt)
    app.jinja_env.filters["when"] = when
    app.jinja_env.add_extension("jinja2.ext.do")
