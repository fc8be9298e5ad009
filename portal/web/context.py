"""What every template knows: locale, direction, labels, the person signed in, acting for."""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal import labels
from portal.i18n import text_direction


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


def when(value: object) -> str:
    """A meeting time as people say it: "tisdag 1 december kl. 10.00"."""
    if not value:
        return ""
    return format_datetime(value, _("EEEE d MMMM 'kl.' HH.mm"))


def init_app(app: Flask) -> None:
    from portal.web import nav

    nav.init_app(app)
    app.context_processor(_template_context)
    app.jinja_env.filters["date"] = lambda value, fmt="long": (
        format_date(value, fmt) if value else ""
    )
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": (
        format_datetime(value, fmt) if value else ""
    )
    app.jinja_env.filters["when"] = when
    app.jinja_env.add_extension("jinja2.ext.do")
