"""The menu: view modules register their entries; the header shows those the person may use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, request, url_for
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


def items() -> list[dict[str, Any]]:
    if not current_user.is_authenticated:
        return []
    from portal.auth.permissions import current_roles

    roles = current_roles()
    shown = sorted((e for e in ENTRIES if e.roles & roles), key=lambda e: e.order)
    return [
        {
            "url": url_for(e.endpoint),
            "label": _label(e),
            "current": request.endpoint == e.endpoint,
        }
        for e in shown
    ]


def init_app(app: Flask) -> None:
    app.context_processor(lambda: {"nav_items": items()})
