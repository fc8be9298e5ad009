"""Which items a plan gives the worklist, from plain facts (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from portal.rules.deadlines import acknowledgement_due
from portal.rules.vocabulary import (
    ConsentStatus,
    MeetingKind,
    PlanContext,
    PlanState,
    RequestKind,
)
from portal.rules.worklist import ItemKind, ItemRole, at_time
from portal.rules.worklist_items import (
    AssignmentFact,
    CallFact,
    ConsentFact,
    FollowUpFact,
    PlanWork,
    RequestFact,
    WishFact,
    call_items,
    handover_items,
    leader_items,
    three_days_from,
    unit_items,
    withdrawals_in_force,
)

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
BEFORE = NOW - timedelta(days=2)


def _work(**changes: object) -> PlanWork:
    base = {
        "plan_id": 1,
        "state": PlanState.ESTABLISHED,
        "context": PlanContext.AFTER_DISCHARGE,
        "created_at": BEFORE,
    }
    return PlanWork(**{**base, **changes})  # type: ignore[arg-type]


def _kinds(found: list) -> list[ItemKind]:
    return [item.kind for item, _detail in found]


def test_an_initiated_plan_asks_its_leader_to_call_the_first_meeting() -> None:
    found = leader_items(_work(state=PlanState.INITIATED, ready_for_discharge_at=BEFORE), 7, NOW)
    assert _kinds(found) == [ItemKind.INVITATION_DUE]
    assert found[0][0].staff_id == 7 and found[0][0].deadline is not None


def test_a_follow_up_shows_from_fourteen_days_before_only_once_established() -> None:
    soon = FollowUpFact(5, NOW.date() + timedelta(days=10))
    later = FollowUpFact(6, NOW.date() + timedelta(days=30))
    found = leader_items(_work(open_follow_ups=(soon, later), follow_up_booked=True), 7, NOW)
    assert [(i.kind, i.object_id) for i, _d in found] == [(ItemKind.FOLLOW_UP_DUE, 5)]
    assert found[0][1] == {"follow_up_on": soon.due_on, "follow_up_booked": True}
    assert leader_items(_work(state=PlanState.INVITED, open_follow_ups=(soon,)), 7, NOW) == []


def test_requests_wishes_and_withdrawals_go_to_whoever_leads() -> None:
    request = RequestFact(3, RequestKind.SOONER_FOLLOW_UP, BEFORE, NOW + timedelta(days=1))
    wish = WishFact(4, BEFORE, None)
    withdrawn = ConsentFact(9, 2, "Hemtjänsten", ConsentStatus.WITHDRAWN, BEFORE, BEFORE, None)
    found = leader_items(
        _work(open_requests=(request,), wishes=(wish,), consent=(withdrawn,)), 7, NOW
    )
    assert _kinds(found) == [
        ItemKind.REQUEST,
        ItemKind.COORDINATOR_WISH,
        ItemKind.CONSENT_WITHDRAWN,
    ]


def test_a_wish_answered_by_an_appointment_is_not_an_item() -> None:
    wish = WishFact(4, BEFORE, None)
    appointed = AssignmentFact(8, 7, NOW - timedelta(hours=1), NOW, None)
    assert leader_items(_work(wishes=(wish,), assignments=(appointed,)), 7, NOW) == []


def test_a_closed_plan_gives_only_the_withdrawal() -> None:
    withdrawn = ConsentFact(9, 2, "Hemtjänsten", ConsentStatus.WITHDRAWN, BEFORE, BEFORE, None)
    wish = WishFact(4, BEFORE, None)
    work = _work(state=PlanState.CLOSED, consent=(withdrawn,), wishes=(wish,))
    assert _kinds(leader_items(work, 7, NOW)) == [ItemKind.CONSENT_WITHDRAWN]


def test_a_later_consent_replaces_a_withdrawal() -> None:
    withdrawn = ConsentFact(9, 2, "H", ConsentStatus.WITHDRAWN, BEFORE, BEFORE, None)
    given = ConsentFact(10, 2, "H", ConsentStatus.GIVEN, NOW, NOW, None)
    assert withdrawals_in_force([withdrawn, given]) == []
    assert withdrawals_in_force([withdrawn]) == [withdrawn]


def test_the_unit_sees_its_withdrawal_and_the_needs_assessor_the_reassessment() -> None:
    withdrawn = ConsentFact(9, 2, "H", ConsentStatus.WITHDRAWN, BEFORE, BEFORE, None)
    work = _work(
        state=PlanState.DEFERRED, reassess_before_home_on=date(2026, 3, 20), consent=(withdrawn,)
    )
    assert _kinds(unit_items(work, 2, False, NOW)) == [ItemKind.CONSENT_WITHDRAWN]
    assert _kinds(unit_items(work, 3, True, NOW)) == [ItemKind.SHORT_TERM_REASSESSMENT]
    assert all(
        i.role is ItemRole.UNIT and i.staff_id is None for i, _d in unit_items(work, 2, True, NOW)
    )


def test_a_handover_waits_for_its_receiver_only() -> None:
    waiting = AssignmentFact(8, 7, BEFORE, None, None)
    ended = AssignmentFact(9, 7, BEFORE, None, NOW)
    work = _work(assignments=(waiting, ended))
    assert [i.object_id for i, _d in handover_items(work, {7}, NOW)] == [8]
    assert handover_items(work, {6}, NOW) == []


def test_a_handover_and_a_call_are_items_to_acknowledge_of_the_same_shape() -> None:
    """One builder: whose it is, since when, the deadline, overdue — and the call's detail."""
    work = _work(assignments=(AssignmentFact(8, 7, BEFORE, None, None),))
    [(handover, detail)] = handover_items(work, {7}, NOW)
    assert (handover.kind, handover.role, handover.plan_id, handover.staff_id) == (
        ItemKind.HANDOVER,
        ItemRole.INCOMING,
        1,
        7,
    )
    assert handover.deadline == at_time(acknowledgement_due(BEFORE)) and handover.overdue
    assert handover.since == BEFORE and detail == {}
    starts = NOW + timedelta(days=3)
    due, undated = (
        CallFact(20 + n, 1, 7, "Hemtjänsten", MeetingKind.FIRST, starts, BEFORE, deadline)
        for n, deadline in enumerate((NOW + timedelta(hours=1), None))
    )
    [(call, call_detail), (no_deadline, _d)] = call_items([due, undated], NOW)
    assert (call.kind, call.role, call.object_id, call.staff_id) == (
        ItemKind.MEETING_ACKNOWLEDGEMENT,
        ItemRole.CALLED,
        20,
        7,
    )
    assert call.deadline == at_time(NOW + timedelta(hours=1)) and not call.overdue
    assert call_detail == {
        "unit_name": "Hemtjänsten",
        "meeting_kind": MeetingKind.FIRST,
        "meeting_starts_at": starts,
    }
    assert no_deadline.deadline is None and not no_deadline.overdue


def test_three_days_count_from_ready_for_discharge_only_after_discharge_before_a_call() -> None:
    """The worklist's deadline and the scheduler's last-day notice read this one rule."""
    ready = BEFORE
    assert three_days_from(PlanState.INITIATED, PlanContext.AFTER_DISCHARGE, ready) == ready
    assert three_days_from(PlanState.INITIATED, PlanContext.AFTER_DISCHARGE, None) is None
    for context in (PlanContext.BEFORE_DISCHARGE, PlanContext.AT_HOME):
        assert three_days_from(PlanState.INITIATED, context, ready) is None
    for state in (PlanState.INVITED, PlanState.DEFERRED, PlanState.CLOSED):
        assert three_days_from(state, PlanContext.AFTER_DISCHARGE, ready) is None
