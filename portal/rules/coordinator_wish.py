"""The individual's wish for a coordinator [000][003]: which wish is in force, whether it
still waits for an answer, and what came of it. Pure: rows are read through their attributes.

A new wish replaces the earlier one (which is withdrawn); the wish in force is the newest
one not withdrawn. It waits (a worklist item for whoever leads) until a coordinator is
appointed after it was made. Its outcome is the newest coordinator who took office since.

There is one wish, wherever the individual states it (the wish page or the preparation for
the meeting): both save the same record through services.requests.wish_coordinator, checked
by `problem` here, and staff read it in one place (services.requests.current_wish).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import Protocol, TypeVar


class WishRow(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def withdrawn_at(self) -> datetime | None: ...


class AcceptedRow(Protocol):
    @property
    def accepted_at(self) -> datetime | None: ...


W = TypeVar("W", bound=WishRow)
A = TypeVar("A", bound=AcceptedRow)


def current_wish(wishes: Iterable[W]) -> W | None:
    """The wish in force: the newest one not withdrawn."""
    standing = [w for w in wishes if w.withdrawn_at is None]
    return max(standing, key=lambda w: w.id) if standing else None


def is_open(
    created_at: datetime, withdrawn_at: datetime | None, last_appointed_at: datetime | None
) -> bool:
    """A wish waits until it is withdrawn or a coordinator is appointed after it was made."""
    if withdrawn_at is not None:
        return False
    return last_appointed_at is None or last_appointed_at < created_at


def outcome(wished_at: datetime, assignments: Iterable[A]) -> A | None:
    """A coordinator who took office since the wish was made, the newest (a handover still
    waiting for acceptance is not an outcome yet); `assignments` in the order made."""
    later = [a for a in assignments if a.accepted_at is not None and a.accepted_at >= wished_at]
    return later[-1] if later else None


def wish_met(wished_staff_id: int | None, appointed_staff_id: int) -> bool | None:
    """Whether an appointment follows the wish in force: unknown (None) when no wish names a
    person taking part (none stated, or someone else described in words)."""
    if wished_staff_id is None:
        return None
    return wished_staff_id == appointed_staff_id


class WishProblem(StrEnum):
    DESCRIBE = "describe"  # "someone else" was chosen but not described
    CHOOSE = "choose"  # neither a person taking part nor "someone else"


OTHER = "other"  # the choice for someone not taking part, described in the individual's words


def problem(choice: str, description: str, candidate_ids: Iterable[int]) -> WishProblem | None:
    """What is wrong with a stated wish, wherever it is stated (the wish page or the
    preparation): a person taking part in the plan, or someone else described in words."""
    if choice == OTHER:
        return None if description.strip() else WishProblem.DESCRIBE
    return None if choice in {str(i) for i in candidate_ids} else WishProblem.CHOOSE
