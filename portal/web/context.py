"""What every template knows: locale, direction, labels, the person signed in, acting for."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask, current_app, has_request_context, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from portal import labels
from portal.i18n import text_direction
from portal.rules.audience import Audience, audience_of
from portal.web.dates import show_date, show_datetime, show_time
from portal.web.isolated import IsolatedRows


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
        "audience": page_audience(),
    }


def page_audience() -> Audience:
    """Whom this request's page speaks to (portal.rules.audience)."""
    kind = current_user.kind if current_user.is_authenticated else None
    return audience_of(kind, request.path)


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


def unbroken(value: object) -> Markup:
    """A plan number as one token: no line break at its hyphens (U+2011), so it breaks only
    when it is longer than the line."""
    text = str(value or "").replace(" ", "\u00a0").replace("-", "\u2011")
    return Markup('<span class="unbroken">%s</span>') % text


def nowrap(value: object) -> Markup:
    """A plan number in running text: on one line (it is always shorter than a line there)."""
    return Markup('<span class="nowrap">%s</span>') % str(value or "")


PHONE_ON_ONE_LINE = 20  # characters: '+46 (0)601-12 35 00' is 19


def phone(value: object) -> Markup:
    """A phone number kept on one line (a real one is shorter than a line at 360 px, 200 %).
    A stored value too long to be a phone number wraps like any text instead of pushing the
    page sideways (issue 12: no stored value breaks a page)."""
    text = str(value or "")
    if len(text) > PHONE_ON_ONE_LINE:
        return Markup("<span>%s</span>") % text
    return Markup('<span class="phone">%s</span>') % text


def fixed_url(endpoint: str, **values: str) -> str:
    """url_for for the page shell's links whose arguments are constants in the template
    (the stylesheet, the scripts, the footer's pages): the same for every request under one
    script root, so built once per app (ADR 0096). Never for a link with a request's values."""
    cache: dict[tuple[Any, ...], str] = current_app.extensions.setdefault("fixed_urls", {})
    root = request.script_root if has_request_context() else None
    key = (root, endpoint, *sorted(values.items()))
    url = cache.get(key)
    if url is None:
        url = url_for(endpoint, **values)
        if len(cache) < 64:  # the shell's few links
            cache[key] = url
    return url


def init_app(app: Flask) -> None:
    from portal.web import nav, template_gettext

    nav.init_app(app)
    template_gettext.init_app(app)
    app.jinja_env.globals["fixed_url"] = fixed_url
    app.context_processor(_template_context)
    app.jinja_env.filters["date"] = show_date
    app.jinja_env.filters["datetime"] = show_datetime
    app.jinja_env.filters["time"] = show_time
    app.jinja_env.filters["when"] = when
    app.jinja_env.filters["possessive"] = possessive
    app.jinja_env.filters["unbroken"] = unbroken
    app.jinja_env.filters["phone"] = phone
    app.jinja_env.filters["nowrap"] = nowrap
    app.jinja_env.filters["sentence"] = lambda text: str(text)[:1].upper() + str(text)[1:]
    app.jinja_env.filters["lowerfirst"] = lambda text: str(text)[:1].lower() + str(text)[1:]
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.add_extension(IsolatedRows)
