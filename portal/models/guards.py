"""A signed plan version is immutable: any change to it or its content is refused at flush.

Evaluations of goals at a later follow-up belong to the version that follow-up writes
(`EvaluatedGoal`), so nothing of a signed version changes, its goals' evaluations included.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.models.plans import EvaluatedGoal, Goal, Intervention, OwnResponsibility, PlanVersion
from portal.rules.vocabulary import VersionStatus

MAY_CHANGE_WHEN_SIGNED = {"row_version"}


class SignedVersionIsImmutableError(Exception):
    """Raised when code tries to change a signed plan version."""


def _was_signed(version: PlanVersion | None) -> bool:
    if version is None or not sa.inspect(version).persistent:
        return False  # a version created in this flush may be created signed
    history = sa.inspect(version).attrs.status.history
    before = history.deleted[0] if history.deleted else version.status
    return before is VersionStatus.SIGNED


def _version_of(obj: Any) -> PlanVersion | None:
    if isinstance(obj, PlanVersion):
        return obj
    if isinstance(obj, Goal | OwnResponsibility | EvaluatedGoal):
        return obj.version
    if isinstance(obj, Intervention):
        return obj.goal.version if obj.goal is not None else None
    return None


def _changed_columns(obj: Any) -> set[str]:
    state = sa.inspect(obj)
    return {attr.key for attr in state.attrs if attr.history.has_changes()}


def check_flush(session: Session, _context: Any, _instances: Any) -> None:
    for obj in list(session.dirty):
        version = _version_of(obj)
        if not _was_signed(version):
            continue
        changed = _changed_columns(obj) - MAY_CHANGE_WHEN_SIGNED
        if isinstance(obj, PlanVersion):
            changed -= {"goals", "own_responsibilities", "evaluated_goals"}  # checked per item
        if changed:
            raise SignedVersionIsImmutableError(
                f"{type(obj).__name__} of a signed version: {changed}"
            )
    for obj in [*session.new, *session.deleted]:
        if not isinstance(obj, PlanVersion) and _was_signed(_version_of(obj)):
            raise SignedVersionIsImmutableError(f"{type(obj).__name__} added to a signed version")


sa.event.listen(Session, "before_flush", check_flush)
