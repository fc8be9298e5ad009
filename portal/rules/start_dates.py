"""The dates a SIP starts with, and the day a verbal consent was given. Pure.

- Ready for discharge: needed after discharge (it starts the three days [003][004]) and before
  discharge (the SIP is held when the individual is ready [003]). After discharge the moment
  has passed; before discharge it is expected and may lie ahead.
- The last day to re-assess before going home [002]: needed when the SIP starts after a
  short-term stay (the plan waits until then), and whenever a plan is deferred; it cannot have
  passed.
- Consent given verbally is recorded with the day it was given, which cannot lie ahead.

A moment typed as "now" on another clock is not in the future (`CLOCK_SKEW`). The start form
and `services.plans` ask these same functions; each shows the answer in its own words.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from portal.rules.vocabulary import PlanContext

CLOCK_SKEW = timedelta(minutes=5)
NEEDS_READY: frozenset[PlanContext] = frozenset(
    {PlanContext.AFTER_DISCHARGE, PlanContext.BEFORE_DISCHARGE}
)


class DateProblem(StrEnum):
    MISSING = "missing"  # the context needs this date and none was given
    AHEAD = "ahead"  # it lies ahead, but must have happened
    PASSED = "passed"  # it has passed, but must still come


def ready_problem(
    context: PlanContext, ready_at: datetime | None, now: datetime
) -> DateProblem | None:
    """What is wrong with the ready-for-discharge moment for a SIP starting in `context`."""
    if ready_at is None:
        return DateProblem.MISSING if context in NEEDS_READY else None
    if context is PlanContext.AFTER_DISCHARGE and ready_at > now + CLOCK_SKEW:
        return DateProblem.AHEAD
    return None


def needs_reassess_day(context: PlanContext) -> bool:
    """A SIP that starts after a short-term stay waits for the re-assessment before home [002]."""
    return context is PlanContext.AFTER_SHORT_TERM_STAY


def reassess_day_problem(day: date | None, today: date) -> DateProblem | None:
    """What is wrong with the last day to re-assess before going home [002]."""
    if day is None:
        return DateProblem.MISSING
    if day < today:
        return DateProblem.PASSED
    return None


def consent_day_problem(day: date | None, today: date) -> DateProblem | None:
    """What is wrong with the day a verbal consent was given."""
    if day is None:
        return DateProblem.MISSING
    if day > today:
        return DateProblem.AHEAD
    return None


def consent_moment_problem(effective_at: datetime, now: datetime) -> DateProblem | None:
    """A consent recorded for a moment ahead (beyond a clock's skew) has not been given yet."""
    return DateProblem.AHEAD if effective_at > now + CLOCK_SKEW else None
