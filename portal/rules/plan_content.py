"""What a plan version must say before it can be established or revised. Pure.

The plan states [001][004]: the individual's goals (in their own words), which unit does
which intervention on which legal basis and who is responsible, what the individual does
themselves, and the date and form of follow-up — a plan cannot be established without one
[003]. The coordinator is a named staff member of a municipality or a region [000][003].

Problems are keyed by the form field they belong to ("goal-0-item-1-unit"), so a page can
show each message beside its field; the words live in the web layer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from portal.rules.follow_up import is_established
from portal.rules.lifecycle import ForbiddenTransitionError, transition
from portal.rules.vocabulary import (
    Approval,
    GoalEvaluation,
    LegalBasis,
    MeetingForm,
    PlanState,
    Principal,
)

MAX_TEXT = 4000


class ContentProblem(StrEnum):
    NO_GOALS = "no_goals"
    GOAL_TEXT_MISSING = "goal_text_missing"
    TOO_LONG = "too_long"
    WHAT_MISSING = "what_missing"
    UNIT_NOT_TAKING_PART = "unit_not_taking_part"
    LEGAL_BASIS_MISSING = "legal_basis_missing"
    RESPONSIBLE_NOT_AT_UNIT = "responsible_not_at_unit"
    FOLLOW_UP_BY_UNKNOWN = "follow_up_by_unknown"
    FOLLOW_UP_BY_MISSING = "follow_up_by_missing"  # [004]: who follows up each intervention
    FOLLOW_UP_DATE_MISSING = "follow_up_date_missing"
    FOLLOW_UP_DATE_TOO_EARLY = "follow_up_date_too_early"
    FOLLOW_UP_FORM_MISSING = "follow_up_form_missing"
    COORDINATOR_MISSING = "coordinator_missing"
    COORDINATOR_NOT_PUBLIC = "coordinator_not_public"
    COORDINATOR_NOT_TAKING_PART = "coordinator_not_taking_part"
    EVALUATION_MISSING = "evaluation_missing"
    MEETING_NOT_BEGUN = "meeting_not_begun"  # a meeting is recorded as held once it began
    APPROVAL_MISSING = "approval_missing"  # [004]: the individual's approval of the changes
    APPROVAL_REASON_MISSING = "approval_reason_missing"  # not asked: say why


@dataclass(frozen=True)
class InterventionInput:
    what: str = ""
    unit_id: int | None = None
    responsible_id: int | None = None
    legal_basis: LegalBasis | None = None
    frequency: str = ""
    follow_up_by_id: int | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.what.strip() or self.unit_id or self.responsible_id or self.frequency)


@dataclass(frozen=True)
class GoalInput:
    text: str = ""
    interventions: tuple[InterventionInput, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.text.strip() and all(i.is_empty for i in self.interventions)


@dataclass(frozen=True)
class ContentInput:
    """A plan version's content as typed: goals, interventions, own part, follow-up."""

    goals: tuple[GoalInput, ...] = ()
    own_responsibilities: tuple[str, ...] = ()
    follow_up_on: date | None = None
    follow_up_form: MeetingForm | None = None
    follow_up_how: str = ""
    change_summary: str = ""

    def filled_goals(self) -> list[tuple[int, GoalInput]]:
        """Goals with something typed, with their row index (empty rows are ignored)."""
        return [(i, goal) for i, goal in enumerate(self.goals) if not goal.is_empty]


@dataclass(frozen=True)
class Units:
    """Who takes part: the units (with their principal) and each staff member's unit."""

    principal_of: Mapping[int, str]  # unit id -> principal value
    unit_of_staff: Mapping[int, int] = field(default_factory=dict)  # staff id -> unit id


def _intervention_problems(
    prefix: str, item: InterventionInput, units: Units
) -> dict[str, ContentProblem]:
    found: dict[str, ContentProblem] = {}
    if not item.what.strip():
        found[f"{prefix}-what"] = ContentProblem.WHAT_MISSING
    elif len(item.what) > MAX_TEXT:
        found[f"{prefix}-what"] = ContentProblem.TOO_LONG
    if item.unit_id is None or item.unit_id not in units.principal_of:
        found[f"{prefix}-unit"] = ContentProblem.UNIT_NOT_TAKING_PART
    if item.legal_basis is None:
        found[f"{prefix}-basis"] = ContentProblem.LEGAL_BASIS_MISSING
    if item.responsible_id is not None and (
        units.unit_of_staff.get(item.responsible_id) != item.unit_id
    ):
        found[f"{prefix}-responsible"] = ContentProblem.RESPONSIBLE_NOT_AT_UNIT
    if item.follow_up_by_id is None:
        found[f"{prefix}-follow_up_by"] = ContentProblem.FOLLOW_UP_BY_MISSING
    elif item.follow_up_by_id not in units.unit_of_staff:
        found[f"{prefix}-follow_up_by"] = ContentProblem.FOLLOW_UP_BY_UNKNOWN
    return found


def content_problems(
    content: ContentInput, *, after: date, units: Units
) -> dict[str, ContentProblem]:
    """Everything wrong with the content, by field; empty when it may be saved.

    `after` is the day the follow-up must come after (the meeting's day, or today).
    """
    found: dict[str, ContentProblem] = {}
    goals = content.filled_goals()
    if not goals:
        found["goal-0-text"] = ContentProblem.NO_GOALS
    for index, goal in goals:
        if not goal.text.strip():
            found[f"goal-{index}-text"] = ContentProblem.GOAL_TEXT_MISSING
        elif len(goal.text) > MAX_TEXT:
            found[f"goal-{index}-text"] = ContentProblem.TOO_LONG
        for number, item in enumerate(goal.interventions):
            if not item.is_empty:
                found |= _intervention_problems(f"goal-{index}-item-{number}", item, units)
    for number, text in enumerate(content.own_responsibilities):
        if len(text) > MAX_TEXT:
            found[f"own-{number}"] = ContentProblem.TOO_LONG
    if content.follow_up_on is None:
        found["follow_up_on"] = ContentProblem.FOLLOW_UP_DATE_MISSING
    elif content.follow_up_on <= after:
        found["follow_up_on"] = ContentProblem.FOLLOW_UP_DATE_TOO_EARLY
    if content.follow_up_form is None:
        found["follow_up_form"] = ContentProblem.FOLLOW_UP_FORM_MISSING
    return found


def coordinator_problem(
    staff_id: int | None, *, units: Units, required: bool
) -> ContentProblem | None:
    """The coordinator: a named staff member of a region or municipality taking part."""
    if staff_id is None:
        return ContentProblem.COORDINATOR_MISSING if required else None
    unit_id = units.unit_of_staff.get(staff_id)
    if unit_id is None:
        return ContentProblem.COORDINATOR_NOT_TAKING_PART
    if units.principal_of.get(unit_id) not in {p.value for p in Principal}:
        return ContentProblem.COORDINATOR_NOT_PUBLIC
    return None


def evaluation_problems(
    evaluations: Mapping[int, GoalEvaluation | None], goal_ids: list[int]
) -> dict[str, ContentProblem]:
    """At follow-up every goal of the evaluated version gets an evaluation [001][004]."""
    return {
        f"evaluation-{goal_id}": ContentProblem.EVALUATION_MISSING
        for goal_id in goal_ids
        if evaluations.get(goal_id) is None
    }


def meeting_problems(starts_at: datetime, moment: datetime) -> dict[str, ContentProblem]:
    """A meeting can be recorded as held only once it has begun."""
    return {"meeting": ContentProblem.MEETING_NOT_BEGUN} if moment < starts_at else {}


def follow_up_after(today: date, meeting_day: date | None) -> date:
    """The day the next follow-up must come after: the meeting it follows, or today if later."""
    return max(today, meeting_day) if meeting_day is not None else today


def approval_problems(answer: Approval | None, note: str) -> dict[str, ContentProblem]:
    """At a follow-up: did the individual approve the changes? Yes, no, or not asked and why."""
    if answer is None:
        return {"approval": ContentProblem.APPROVAL_MISSING}
    if answer is Approval.NOT_ASKED and not note.strip():
        return {"approval_note": ContentProblem.APPROVAL_REASON_MISSING}
    if len(note) > MAX_TEXT:
        return {"approval_note": ContentProblem.TOO_LONG}
    return {}


def version_followed_up(signed_numbers: Iterable[int], number: int) -> int | None:
    """The version a version revises at a follow-up: the newest signed one before it."""
    earlier = [n for n in signed_numbers if n < number]
    return max(earlier) if earlier else None


def state_after_follow_up(current: PlanState) -> PlanState:
    """A follow-up done: the revised plan is established again (via following up).

    Only an established plan is followed up; the first meeting establishes it.
    """
    if not is_established(current):
        raise ForbiddenTransitionError(current, PlanState.FOLLOWING_UP)
    if current is PlanState.ESTABLISHED:
        current = transition(current, PlanState.FOLLOWING_UP)
    return transition(current, PlanState.ESTABLISHED)
