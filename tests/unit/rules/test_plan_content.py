"""What a plan must say before it is established or revised (portal.rules.plan_content)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from portal.rules.lifecycle import ForbiddenTransitionError
from portal.rules.plan_content import (
    ContentInput,
    ContentProblem,
    GoalInput,
    InterventionInput,
    Units,
    approval_problems,
    content_problems,
    coordinator_problem,
    evaluation_problems,
    follow_up_after,
    meeting_problems,
    state_after_follow_up,
    version_followed_up,
)
from portal.rules.vocabulary import Approval, GoalEvaluation, LegalBasis, MeetingForm, PlanState

MEETING_DAY = date(2026, 3, 2)
UNITS = Units(
    principal_of={1: "region", 2: "municipality", 3: "private"},
    unit_of_staff={10: 1, 20: 2, 30: 3},
)
SHOWER = InterventionInput(
    what="Träning i badrummet",
    unit_id=2,
    responsible_id=20,
    legal_basis=LegalBasis.HSL,
    follow_up_by_id=20,
)


def _content(*goals: GoalInput, **changes: object) -> ContentInput:
    fields: dict[str, object] = {
        "goals": goals or (GoalInput("Jag vill duscha själv.", (SHOWER,)),),
        "follow_up_on": date(2026, 4, 1),
        "follow_up_form": MeetingForm.HOME,
    }
    return ContentInput(**(fields | changes))  # type: ignore[arg-type]


def _problems(content: ContentInput) -> dict[str, ContentProblem]:
    return content_problems(content, after=MEETING_DAY, units=UNITS)


def test_complete_content_has_no_problems() -> None:
    assert _problems(_content()) == {}


def test_a_plan_needs_at_least_one_goal_and_empty_rows_do_not_count() -> None:
    content = _content(GoalInput(""), GoalInput("  ", (InterventionInput(),)))
    assert _problems(content) == {"goal-0-text": ContentProblem.NO_GOALS}


def test_a_plan_cannot_be_established_without_follow_up_date_and_form() -> None:
    content = _content(follow_up_on=None, follow_up_form=None)
    assert _problems(content) == {
        "follow_up_on": ContentProblem.FOLLOW_UP_DATE_MISSING,
        "follow_up_form": ContentProblem.FOLLOW_UP_FORM_MISSING,
    }


@pytest.mark.parametrize("day", [date(2026, 3, 2), date(2026, 2, 1)])
def test_follow_up_must_come_after_the_meeting(day: date) -> None:
    assert _problems(_content(follow_up_on=day)) == {
        "follow_up_on": ContentProblem.FOLLOW_UP_DATE_TOO_EARLY
    }


def test_each_intervention_needs_what_a_unit_taking_part_and_a_legal_basis() -> None:
    loose = InterventionInput(frequency="Varje dag", unit_id=99, follow_up_by_id=20)
    problems = _problems(_content(GoalInput("Mål", (SHOWER, loose))))
    assert problems == {
        "goal-0-item-1-what": ContentProblem.WHAT_MISSING,
        "goal-0-item-1-unit": ContentProblem.UNIT_NOT_TAKING_PART,
        "goal-0-item-1-basis": ContentProblem.LEGAL_BASIS_MISSING,
    }


def test_interventions_without_a_goal_text_are_refused() -> None:
    problems = _problems(_content(GoalInput("", (SHOWER,))))
    assert problems == {"goal-0-text": ContentProblem.GOAL_TEXT_MISSING}


def test_the_responsible_person_works_at_the_intervention_unit() -> None:
    wrong = InterventionInput(
        what="Hjälp att handla",
        unit_id=2,
        responsible_id=10,
        legal_basis=LegalBasis.SOL,
        follow_up_by_id=20,
    )
    assert _problems(_content(GoalInput("Mål", (wrong,)))) == {
        "goal-0-item-0-responsible": ContentProblem.RESPONSIBLE_NOT_AT_UNIT
    }


@pytest.mark.parametrize(
    ("staff_id", "required", "expected"),
    [
        (10, True, None),  # region
        (20, True, None),  # municipality
        (30, True, ContentProblem.COORDINATOR_NOT_PUBLIC),  # a private provider
        (99, True, ContentProblem.COORDINATOR_NOT_TAKING_PART),
        (None, True, ContentProblem.COORDINATOR_MISSING),
        (None, False, None),  # already appointed earlier
    ],
)
def test_the_coordinator_is_named_staff_of_a_region_or_municipality(
    staff_id: int | None, required: bool, expected: ContentProblem | None
) -> None:
    assert coordinator_problem(staff_id, units=UNITS, required=required) is expected


def test_every_goal_is_evaluated_at_follow_up() -> None:
    evaluations = {1: GoalEvaluation.MET, 2: None}
    assert evaluation_problems(evaluations, [1, 2, 3]) == {
        "evaluation-2": ContentProblem.EVALUATION_MISSING,
        "evaluation-3": ContentProblem.EVALUATION_MISSING,
    }


@pytest.mark.parametrize("state", [PlanState.ESTABLISHED, PlanState.FOLLOWING_UP])
def test_after_a_follow_up_the_plan_is_established(state: PlanState) -> None:
    assert state_after_follow_up(state) is PlanState.ESTABLISHED


@pytest.mark.parametrize("state", [PlanState.INVITED, PlanState.CLOSED])
def test_a_plan_not_established_cannot_be_followed_up(state: PlanState) -> None:
    with pytest.raises(ForbiddenTransitionError):
        state_after_follow_up(state)


def test_every_intervention_names_who_follows_it_up() -> None:
    goal = GoalInput("Jag vill duscha själv.", (replace(SHOWER, follow_up_by_id=None),))
    assert _problems(_content(goal)) == {
        "goal-0-item-0-follow_up_by": ContentProblem.FOLLOW_UP_BY_MISSING
    }


def test_a_meeting_is_recorded_as_held_only_once_it_began() -> None:
    starts = datetime(2026, 3, 2, 9, tzinfo=UTC)
    assert meeting_problems(starts, starts - timedelta(minutes=1)) == {
        "meeting": ContentProblem.MEETING_NOT_BEGUN
    }
    assert meeting_problems(starts, starts) == {}


def test_the_next_follow_up_comes_after_the_meeting_it_follows() -> None:
    assert follow_up_after(date(2026, 12, 1), date(2027, 1, 14)) == date(2027, 1, 14)
    assert follow_up_after(date(2026, 12, 1), None) == date(2026, 12, 1)
    content = _content(follow_up_on=date(2026, 12, 10))
    after = follow_up_after(date(2026, 12, 1), date(2027, 1, 14))
    problems = content_problems(content, after=after, units=UNITS)
    assert problems == {"follow_up_on": ContentProblem.FOLLOW_UP_DATE_TOO_EARLY}


@pytest.mark.parametrize(
    ("answer", "note", "expected"),
    [
        (None, "", {"approval": ContentProblem.APPROVAL_MISSING}),
        (Approval.NOT_ASKED, "  ", {"approval_note": ContentProblem.APPROVAL_REASON_MISSING}),
        (Approval.NOT_ASKED, "På sjukhus.", {}),
        (Approval.APPROVED, "", {}),
        (Approval.NOT_APPROVED, "", {}),
    ],
)
def test_the_individuals_approval_is_yes_no_or_not_asked_with_a_reason(
    answer: Approval | None, note: str, expected: dict[str, ContentProblem]
) -> None:
    assert approval_problems(answer, note) == expected


def test_version_followed_up_is_the_newest_signed_before() -> None:
    assert version_followed_up([1, 2, 4], 5) == 4
    assert version_followed_up([1, 2], 2) == 1
    assert version_followed_up([], 1) is None
