"""The staff plan page's body, kept rendered (ADR 0120).

Rendering the page's body was about 40 % of the CPU a request for it cost. The body is a pure
function of:
- the plan's rows: `plan`, `individual` and `parts`, covered by the plan's content counter
  and the names' generation, read with the plan's row on every request (ADR 0084);
- the locale;
- the `answers` the view decides for this viewer from those rows, the facts and the clock
  (may they lead, sign, call, close …): covered by their digest (portal.web.fingerprint).

The three parts that come from elsewhere (unread news, the individual's requests and wish with
a shared preparation, open invitations) are slots, filled per request; the CSRF token and the
values that refuse to be read are portal.web.kept's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from markupsafe import Markup

from portal.models import Individual, Plan
from portal.services.shown import PlanParts
from portal.web import fingerprint, kept

SLOTS = ("news", "asked", "invitations")
CACHE = "staff_plan_cache"


@dataclass(frozen=True, slots=True)
class ReminderSent:
    """A reminder that went out, as the meetings section lists it."""

    sent_at: datetime | None
    channel: str


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
    return kept.kept(
        CACHE,
        key(plan, generation, locale, answers),
        "staff/_plan_body.html",
        slots=SLOTS,
        plan=plan,
        individual=individual,
        parts=parts,
        **answers,
        **constants,
    )


def filled(body: Markup, slots: dict[str, str]) -> Markup:
    """The kept body with this request's slots and CSRF token."""
    return kept.filled(body, slots, SLOTS)
