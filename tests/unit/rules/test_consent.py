"""Consent in force per unit; withdrawing all ends the SIP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from portal.rules.consent import (
    SHAREABLE_WITHOUT_CONSENT,
    ConsentRecord,
    all_withdrawn,
    consent_may_change,
    current_consent,
    in_force_per_unit,
    may_share_with,
)
from portal.rules.vocabulary import ConsentStatus as S
from portal.rules.vocabulary import PlanState

T0 = datetime(2026, 11, 20, 9, tzinfo=UTC)


def test_current_consent_latest_event_per_unit_wins() -> None:
    events = [
        ConsentRecord(1, S.GIVEN, T0),
        ConsentRecord(2, S.GIVEN, T0),
        ConsentRecord(1, S.WITHDRAWN, T0 + timedelta(days=1)),
        ConsentRecord(1, S.GIVEN, T0 + timedelta(days=2)),
        ConsentRecord(2, S.WITHDRAWN, T0 + timedelta(days=3)),
    ]
    assert current_consent(events) == {1: S.GIVEN, 2: S.WITHDRAWN}


def test_current_consent_equal_times_keep_their_order() -> None:
    events = [ConsentRecord(1, S.GIVEN, T0), ConsentRecord(1, S.WITHDRAWN, T0)]
    assert current_consent(events) == {1: S.WITHDRAWN}


def test_current_consent_a_late_recorded_earlier_event_does_not_win() -> None:
    events = [ConsentRecord(1, S.WITHDRAWN, T0 + timedelta(days=1)), ConsentRecord(1, S.GIVEN, T0)]
    assert current_consent(events) == {1: S.WITHDRAWN}


def test_may_share_only_with_given_consent() -> None:
    current = {1: S.GIVEN, 2: S.WITHDRAWN, 3: S.REFUSED}
    assert [u for u in (1, 2, 3, 4) if may_share_with(u, current)] == [1]


def test_all_withdrawn_ends_the_sip_only_when_nothing_remains() -> None:
    assert all_withdrawn({1: S.WITHDRAWN, 2: S.WITHDRAWN})
    assert not all_withdrawn({1: S.WITHDRAWN, 2: S.GIVEN})
    assert not all_withdrawn({})
    assert not all_withdrawn({1: S.REFUSED})


def test_only_four_facts_may_pass_without_consent() -> None:
    assert SHAREABLE_WITHOUT_CONSENT == {
        "name", "personal_identity_number", "registered_address", "preliminary_discharge_date",
    }  # fmt: skip


def test_in_force_per_unit_keeps_the_latest_event_itself() -> None:
    first, later = ConsentRecord(1, S.GIVEN, T0), ConsentRecord(1, S.REFUSED, T0 + timedelta(1))
    other = ConsentRecord(2, S.GIVEN, T0)
    assert in_force_per_unit([later, other, first], lambda r: r.at) == {1: later, 2: other}


def test_consent_changes_only_while_the_plan_is_open() -> None:
    assert not consent_may_change(PlanState.CLOSED)
    assert all(consent_may_change(s) for s in PlanState if s is not PlanState.CLOSED)
