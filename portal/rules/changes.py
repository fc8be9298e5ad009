"""What changed between two versions of a plan, for the individual to read. Pure.

Interventions are matched by unit and what is done; a change of how often or of the
responsible person is a change, a new wording is a removal and an addition.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class ChangeKind(StrEnum):
    GOAL_ADDED = "goal_added"
    GOAL_REMOVED = "goal_removed"
    INTERVENTION_ADDED = "intervention_added"
    INTERVENTION_REMOVED = "intervention_removed"
    INTERVENTION_CHANGED = "intervention_changed"
    OWN_ADDED = "own_added"
    OWN_REMOVED = "own_removed"
    FOLLOW_UP_MOVED = "follow_up_moved"


@dataclass(frozen=True)
class InterventionFacts:
    unit: str
    what: str
    responsible: str
    frequency: str


@dataclass(frozen=True)
class VersionFacts:
    goals: tuple[str, ...]
    interventions: tuple[InterventionFacts, ...]
    own: tuple[str, ...]
    follow_up_on: date | None


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    text: str  # the goal, the intervention's what, or what the person does
    unit: str = ""
    detail: str = ""  # for a changed intervention: how often and who, now


def _added_removed(
    before: tuple[str, ...], after: tuple[str, ...], added: ChangeKind, removed: ChangeKind
) -> list[Change]:
    return [Change(removed, t) for t in before if t not in after] + [
        Change(added, t) for t in after if t not in before
    ]


def changes_between(before: VersionFacts, after: VersionFacts) -> list[Change]:
    found = _added_removed(
        before.goals, after.goals, ChangeKind.GOAL_ADDED, ChangeKind.GOAL_REMOVED
    )
    old = {(i.unit, i.what): i for i in before.interventions}
    new = {(i.unit, i.what): i for i in after.interventions}
    for key, item in old.items():
        if key not in new:
            found.append(Change(ChangeKind.INTERVENTION_REMOVED, item.what, item.unit))
    for key, item in new.items():
        if key not in old:
            found.append(Change(ChangeKind.INTERVENTION_ADDED, item.what, item.unit))
        elif (old[key].responsible, old[key].frequency) != (item.responsible, item.frequency):
            detail = ", ".join(part for part in (item.frequency, item.responsible) if part)
            found.append(Change(ChangeKind.INTERVENTION_CHANGED, item.what, item.unit, detail))
    found += _added_removed(before.own, after.own, ChangeKind.OWN_ADDED, ChangeKind.OWN_REMOVED)
    if before.follow_up_on != after.follow_up_on and after.follow_up_on is not None:
        found.append(Change(ChangeKind.FOLLOW_UP_MOVED, after.follow_up_on.isoformat()))
    return found
