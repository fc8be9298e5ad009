"""The menu: view modules register their entries; the header shows those the person may use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from portal.rules.vocabulary import Role


@dataclass(frozen=True)
class NavEntry:
    endpoint: str
    label: Any  # a lazy_gettext string
    order: int
    roles: frozenset[Role]
    acting_label: Any = None  # the label for a relative acting for someone ("SIP för %(name)s")


ENTRIES: list[NavEntry] = []


def register(endpoint: str, label: Any, order: int, *roles: Role, acting_label: Any = None) -> None:
    """Add a menu entry (call at import time of a view module)."""
    if not any(e.endpoint == endpoint for e in ENTRIES):
        ENTRIES.append(NavEntry(endpoint, label, order, frozenset(roles), acting_label))


def _label(entry: NavEntry) -> str:
    if entry.acting_label is not None:
        from portal.web.acting import acting_for_individual

        individual = acting_for_individual()
        if individual is not None:
            return str(entry.acting_label) % {"name": individual.given_name}
    return str(entry.label)


# The entries a set of roles sees, with their URLs and plain labels, per locale: the same
# for everyone with those roles, so worked out once (ADR 0096). Nothing personal is kept:
# a label naming the person a relative acts for is filled in per request.
_Shown = tuple[tuple[str, str, NavEntry], ...]


def _shown(roles: frozenset[Role]) -> _Shown:
    cache: dict[tuple[Any, ...], _Shown] = current_app.extensions.setdefault("nav_shown", {})
    key = (request.script_root, str(get_locale() or "sv"), roles, len(ENTRIES))
    shown = cache.get(key)
    if shown is None:
        entries = sorted((e for e in ENTRIES if e.roles & roles), key=lambda e: e.order)
        shown = tuple((url_for(e.endpoint), str(e.label), e) for e in entries)
        if len(cache) < 64:  # a few role sets × locales; never grows past this
            cache[key] = shown
    return shown


def items() -> list[dict[str, Any]]:
    if not current_user.is_authenticated:
        return []
    from portal.auth.permissions import current_roles

    endpoint = request.endpoint
    return [
        {
            "url": url,
            "label": label if e.acting_label is None else _label(e),
            "current": endpoint == e.endpoint,
        }
        for url, label, e in _shown(current_roles())
    ]


def init_app(app: Flask) -> None:
    # A function the header calls, not a context processor: a fragment (an htmx partial, the
    # plan's cached content block) that shows no menu does not work one out.
    app.jinja_env.globals["nav_items"] = items
