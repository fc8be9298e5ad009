"""The staff plan page's body, kept rendered (ADR 0120).

Rendering the page's body was about 40 % of the CPU a request for it cost. The body is a pure
function of:
- the plan's rows: `plan`, `individual` and `parts`, covered by the plan's content counter
  and the names' generation, read with the plan's row on every request (ADR 0084);
- the locale;
- the `answers` the view decides for this viewer from those rows, the facts and the clock
  (may they lead, sign, call, close …): covered by their digest (portal.web.fingerprint).

The three parts that come from elsewhere (unread news, the individual's requests and wish with
a shared preparation, open invitations) are slots, filled per request. The CSRF token is a
marker replaced per request. `current_user`, `request`, `session`, `g` and what the page
shell reads of them refuse to be read inside the body, so a body that came to depend on the
viewer or the request without a key for it fails loudly instead of serving one viewer's page
to another.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NoReturn

from flask import current_app, render_template
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from portal.models import Individual, Plan
from portal.services.shown import PlanParts
from portal.web import fingerprint
from portal.web.fingerprint import PerRequestReadError
from portal.web.person.content_cache import ContentCache

SLOTS = ("news", "asked", "invitations")
# Per process, unguessable: nobody can type a marker into a field in advance (and what
# anyone typed is escaped: '<!--' can only come from a template).
_TOKEN = secrets.token_hex(12)
_CSRF = f"sip-csrf-{_TOKEN}"
# What the page shell and the other pages read per request; inside the body, each refuses.
PER_REQUEST = (
    "current_user",
    "request",
    "session",
    "g",
    "get_flashed_messages",
    "acting_for",
    "request_path",
    "audience",
    "nav_items",
)


class _PerRequest:
    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def _refuse(self, *_args: Any, **_kwargs: Any) -> NoReturn:
        raise PerRequestReadError(
            f"{self._name} read in the staff plan page's kept body (ADR 0120)"
        )

    __getattr__ = __call__ = __getitem__ = __iter__ = __len__ = __contains__ = _refuse
    __bool__ = __str__ = __html__ = __eq__ = _refuse
    __hash__ = None  # type: ignore[assignment]


_REFUSING = {name: _PerRequest(name) for name in PER_REQUEST}


@dataclass(frozen=True, slots=True)
class ReminderSent:
    """A reminder that went out, as the meetings section lists it."""

    sent_at: datetime | None
    channel: str


def _marker(name: str) -> str:
    return f"<!--sip-slot-{_TOKEN}-{name}-->"


def _slot(name: str) -> Markup:
    if name not in SLOTS:
        raise ValueError(f"no slot {name!r}")
    return Markup(_marker(name))  # noqa: S704 - a constant of ours


def cache() -> ContentCache:
    found = current_app.extensions.get("staff_plan_cache")
    if found is None:
        found = current_app.extensions.setdefault("staff_plan_cache", ContentCache())
    return found


def key(plan: Plan, generation: int, locale: str, answers: dict[str, Any]) -> str:
    """Ids, counters, a locale and a digest: nothing personal (safe in a log)."""
    created = f"{plan.created_at.timestamp():.6f}"
    return (
        f"staff-plan:{plan.id}:{created}:{plan.content_counter}:{generation}:{locale}:"
        f"{fingerprint.digest(**answers)}"
    )


def body(
    *,
    plan: Plan,
    individual: Individual,
    parts: PlanParts,
    generation: int,
    locale: str,
    answers: dict[str, Any],
    constants: dict[str, Any],
) -> Markup:
    """The body, from the cache or rendered; `constants` are the same for every request
    (functions of the locale alone), so outside the key."""

    def render() -> str:
        return render_template(
            "staff/_plan_body.html",
            plan=plan,
            individual=individual,
            parts=parts,
            **answers,
            **constants,
            slot=_slot,
            csrf_token=lambda: _CSRF,
            **_REFUSING,
        )

    return cache().get_or_render(key(plan, generation, locale, answers), render)


def filled(kept: Markup, slots: dict[str, str]) -> Markup:
    """The kept body with this request's slots and CSRF token."""
    html = str(kept)
    for name in SLOTS:
        html = html.replace(_marker(name), slots.get(name, ""), 1)
    if _CSRF in html:
        html = html.replace(_CSRF, generate_csrf())
    return Markup(html)  # noqa: S704 - our templates' output, autoescaped
