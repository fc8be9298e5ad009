"""Who may sign which plan version, and whether the version is finished. Pure.

A SIP is valid only when signed by the appointed coordinator [003]. Only the newest draft of
an open plan can be signed, and only when it has a goal and a follow-up date (a plan cannot
be established without one).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from hmac import compare_digest

from portal.rules.vocabulary import PlanState, VersionStatus


class SigningProblem(StrEnum):
    NOT_COORDINATOR = "not_coordinator"
    ALREADY_SIGNED = "already_signed"
    NOT_NEWEST = "not_newest"
    PLAN_CLOSED = "plan_closed"
    NO_GOALS = "no_goals"
    NO_FOLLOW_UP = "no_follow_up"
    NOT_PREVIEWED = "not_previewed"  # signing confirms a preview: none was posted
    CHANGED_SINCE_PREVIEW = "changed_since_preview"  # the plan is no longer what was previewed


@dataclass(frozen=True)
class SigningFacts:
    status: VersionStatus
    is_newest: bool
    plan_state: PlanState
    coordinator_id: int | None
    goal_count: int
    has_follow_up: bool


def signing_problems(staff_id: int | None, facts: SigningFacts) -> list[SigningProblem]:
    """Everything that stands in the way, in the order a person would fix it."""
    problems = []
    if staff_id is None or staff_id != facts.coordinator_id:
        problems.append(SigningProblem.NOT_COORDINATOR)
    if facts.status is VersionStatus.SIGNED:
        problems.append(SigningProblem.ALREADY_SIGNED)
    elif facts.status is not VersionStatus.DRAFT or not facts.is_newest:
        problems.append(SigningProblem.NOT_NEWEST)
    if facts.plan_state is PlanState.CLOSED:
        problems.append(SigningProblem.PLAN_CLOSED)
    if facts.goal_count == 0:
        problems.append(SigningProblem.NO_GOALS)
    if not facts.has_follow_up:
        problems.append(SigningProblem.NO_FOLLOW_UP)
    return problems


def preview_problem(previewed: str | None, now_digest: str) -> SigningProblem | None:
    """The signer confirms what they were shown: the digest of the preview they confirmed must
    be the digest of what would be signed now."""
    if not previewed:
        return SigningProblem.NOT_PREVIEWED
    if not compare_digest(previewed.encode(), now_digest.encode()):
        return SigningProblem.CHANGED_SINCE_PREVIEW
    return None


def may_sign(staff_id: int | None, facts: SigningFacts) -> bool:
    return not signing_problems(staff_id, facts)
