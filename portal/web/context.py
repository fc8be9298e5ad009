"""What every template knows: locale, direction, labels, the person signed in, acting for."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask, request
from flask_babel import get_locale
from flask_login import current_user

from portal import labels
from portal.i18n import text_direction
from portal.web.dates import show_date, show_datetime, show_time


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


def when(value: datetime | None) -> str:
    """A meeting time as people say it: "tisdag 1 december 2026 kl. 10.00" (the long style)."""
    return show_datetime(value, "long")


def possessive(name: str) -> str:
    """A name as owner: "Astrids", "Lars" (Swedish); "Astrid's", "Lars's" (English)."""
    if not name:
        return ""
    if str(get_locale() or "sv").startswith("en"):
        return f"{name}'s"
    return name if name[-1].lower() in "sxz" else f"{name}s"


def init_app(app: Flask) -> None:
    from portal.web import nav

    nav.init_app(app)
    app.context_processor(_template_context)
    app.jinja_env.filters["date"] = show_date
    app.jinja_env.filters["datetime"] = show_datetime
    app.jinja_env.filters["time"] = show_time
    app.jinja_env.filters["when"] = when
    app.jinja_env.filters["possessive"] = possessive
    app.jinja_env.filters["sentence"] = lambda text: str(text)[:1].upper() + str(text)[1:]
    app.jinja_env.add_extension("jinja2.ext.do")
