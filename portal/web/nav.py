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


ENTRIES: list[NavEntry] = []


def register(endpoint: str, label: Any, order: int, *roles: Role) -> None:
    """Add a menu entry (call at import time of a view module)."""
    if not any(e.endpoint == endpoint for e in ENTRIES):
        ENTRIES.append(NavEntry(endpoint, label, order, frozenset(roles)))


def items() -> list[dict[str, Any]]:
    if not current_user.is_authenticated:
        return []
    from portal.auth.permissions import current_roles

    roles = current_roles()
    shown = sorted((e for e in ENTRIES if e.roles & roles), key=lambda e: e.order)
    return [
        {
            "url": url_for(e.endpoint),
            "label": str(e.label),
            "current": request.endpoint == e.endpoint,
        }
        for e in shown
    ]


def init_app(app: Flask) -> None:
    app.context_processor(lambda: {"nav_items": items()})
