"""The dates a SIP starts with (ready for discharge, re-assessment before home) and the day
of a verbal consent: the rules the start form and services.plans both ask."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.rules.start_dates import (
    CLOCK_SKEW,
    DateProblem,
    consent_day_problem,
    consent_moment_problem,
    needs_reassess_day,
    ready_problem,
    reassess_day_problem,
)
from portal.rules.vocabulary import PlanContext as C

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
TODAY = date(2026, 3, 10)


@pytest.mark.parametrize("context", [C.AFTER_DISCHARGE, C.BEFORE_DISCHARGE])
def test_ready_for_discharge_is_needed_around_a_hospital_stay(context: C) -> None:
    assert ready_problem(context, None, NOW) is DateProblem.MISSING


@pytest.mark.parametrize("context", [C.AT_HOME, C.AFTER_SHORT_TERM_STAY])
def test_ready_for_discharge_is_not_needed_otherwise(context: C) -> None:
    assert ready_problem(context, None, NOW) is None


def test_after_discharge_the_ready_moment_has_passed_within_a_clocks_skew() -> None:
    assert ready_problem(C.AFTER_DISCHARGE, NOW - timedelta(days=1), NOW) is None
    assert ready_problem(C.AFTER_DISCHARGE, NOW + CLOCK_SKEW, NOW) is None
    later = NOW + CLOCK_SKEW + timedelta(minutes=1)
    assert ready_problem(C.AFTER_DISCHARGE, later, NOW) is DateProblem.AHEAD


@given(st.timedeltas(min_value=timedelta(days=-30), max_value=timedelta(days=30)))
def test_before_discharge_the_ready_moment_may_lie_ahead_or_behind(offset: timedelta) -> None:
    assert ready_problem(C.BEFORE_DISCHARGE, NOW + offset, NOW) is None


def test_a_reassess_day_is_needed_after_a_short_term_stay_only() -> None:
    assert needs_reassess_day(C.AFTER_SHORT_TERM_STAY)
    assert not any(needs_reassess_day(c) for c in C if c is not C.AFTER_SHORT_TERM_STAY)


def test_the_reassess_day_cannot_have_passed() -> None:
    assert reassess_day_problem(None, TODAY) is DateProblem.MISSING
    assert reassess_day_problem(TODAY, TODAY) is None
    assert reassess_day_problem(TODAY + timedelta(days=5), TODAY) is None
    assert reassess_day_problem(TODAY - timedelta(days=1), TODAY) is DateProblem.PASSED


def test_a_verbal_consent_day_is_needed_and_cannot_lie_ahead() -> None:
    assert consent_day_problem(None, TODAY) is DateProblem.MISSING
    assert consent_day_problem(TODAY, TODAY) is None
    assert consent_day_problem(TODAY - timedelta(days=300), TODAY) is None
    assert consent_day_problem(TODAY + timedelta(days=1), TODAY) is DateProblem.AHEAD


def test_a_consent_moment_ahead_beyond_the_skew_is_refused() -> None:
    assert consent_moment_problem(NOW + CLOCK_SKEW, NOW) is None
    assert consent_moment_problem(NOW + timedelta(hours=1), NOW) is DateProblem.AHEAD
