"""Who may sign which version: the appointed coordinator, the newest draft, a finished plan."""

from __future__ import annotations

from dataclasses import replace

import pytest

from portal.rules.signing import SigningFacts, SigningProblem, may_sign, signing_problems
from portal.rules.vocabulary import PlanState, VersionStatus

READY = SigningFacts(
    status=VersionStatus.DRAFT,
    is_newest=True,
    plan_state=PlanState.FOLLOWING_UP,
    coordinator_id=7,
    goal_count=2,
    has_follow_up=True,
)


def test_the_coordinator_may_sign_a_finished_newest_draft() -> None:
    assert may_sign(7, READY) and signing_problems(7, READY) == []


@pytest.mark.parametrize(
    ("staff_id", "change", "problem"),
    [
        (8, {}, SigningProblem.NOT_COORDINATOR),
        (None, {}, SigningProblem.NOT_COORDINATOR),
        (7, {"coordinator_id": None}, SigningProblem.NOT_COORDINATOR),
        (7, {"status": VersionStatus.SIGNED}, SigningProblem.ALREADY_SIGNED),
        (7, {"status": VersionStatus.SUPERSEDED}, SigningProblem.NOT_NEWEST),
        (7, {"is_newest": False}, SigningProblem.NOT_NEWEST),
        (7, {"plan_state": PlanState.CLOSED}, SigningProblem.PLAN_CLOSED),
        (7, {"goal_count": 0}, SigningProblem.NO_GOALS),
        (7, {"has_follow_up": False}, SigningProblem.NO_FOLLOW_UP),
    ],
)
def test_each_obstacle_is_named(
    staff_id: int | None, change: dict[str, object], problem: SigningProblem
) -> None:
    facts = replace(READY, **change)
    assert signing_problems(staff_id, facts) == [problem]
    assert not may_sign(staff_id, facts)


def test_all_obstacles_are_listed_in_the_order_they_are_fixed() -> None:
    facts = replace(READY, coordinator_id=None, goal_count=0, has_follow_up=False)
    assert signing_problems(1, facts) == [
        SigningProblem.NOT_COORDINATOR,
        SigningProblem.NO_GOALS,
        SigningProblem.NO_FOLLOW_UP,
    ]
