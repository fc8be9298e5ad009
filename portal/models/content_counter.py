"""The plan content counter: moved by construction for every write to what a plan page shows.

The cache of a plan's rendered content block (ADR 0084) is keyed by `plans.content_counter`
and by the one row of `plan_content_generations`. A `before_flush` listener finds, for every
new, changed or deleted row the flush writes, the plan it belongs to, and moves that plan's
counter in the same transaction:

- a row with a `plan_id` (the plan's versions, meetings, follow-ups, coordinator assignments
  and wishes, consent events, units, requests);
- a row of a version (goals, own responsibilities, evaluated goals), of a goal (interventions)
  or of a meeting (participants, preparations): the plan of that version, goal or meeting;
- the plan itself when it changes, and the previous plan when a plan continues it (a closed
  plan links to the next one);
- an individual who changes: all their plans (the pages show their name).

A change to a staff member, unit or relative moves the generation instead: their names,
phones and e-mails are shown on many plans. The counter is moved with a Core `UPDATE` that
leaves `row_version` (the optimistic lock) alone, so a write to a goal is no conflict for
someone editing the plan. Over-counting costs a cache miss; under-counting would show stale
content, so when in doubt a row counts.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from portal.models.audit import AuditCheckpoint, AuditEvent, AuditHead
from portal.models.meetings import Meeting
from portal.models.notifications import Notification
from portal.models.organisations import Staff, Unit
from portal.models.outbox import OutboxMessage
from portal.models.people import Individual, Relative
from portal.models.plans import Goal, Plan, PlanContentGeneration, PlanVersion

_DIRECTORY = (Staff, Unit, Relative)
# Rows that name a plan but are not shown in its content block (sent messages, news).
_NEVER = (
    AuditEvent,
    AuditHead,
    AuditCheckpoint,
    PlanContentGeneration,
    Notification,
    OutboxMessage,
)


def _get(session: Session, model: type, id_: int | None) -> Any:
    return session.get(model, id_) if id_ is not None else None


def _related(obj: Any, name: str) -> int | None:
    return getattr(getattr(obj, name, None), "id", None)


def _parent(session: Session, obj: Any, name: str, model: type) -> Any:
    """The parent row: through the relationship when set, else by its id."""
    return getattr(obj, name, None) or _get(session, model, getattr(obj, f"{name}_id"))


def _version_plan(session: Session, version: PlanVersion | None) -> int | None:
    if version is None:
        return None
    if version.plan_id is not None:
        return version.plan_id
    return version.plan.id if version.plan is not None else None


def _goal_plan(session: Session, goal: Goal | None) -> int | None:
    if goal is None:
        return None
    return _version_plan(session, _parent(session, goal, "version", PlanVersion))


def _meeting_plan(session: Session, meeting: Meeting | None) -> int | None:
    if meeting is None:
        return None
    if meeting.plan_id is not None:
        return meeting.plan_id
    return meeting.plan.id if meeting.plan is not None else None


def plans_of_row(session: Session, obj: Any, *, new: bool) -> set[int | None]:
    """The plans whose page shows `obj` (None where the plan is new: nothing is cached)."""
    if isinstance(obj, Plan):
        previous = obj.previous_plan_id or (obj.previous_plan.id if obj.previous_plan else None)
        return {previous} if new else {obj.id, previous}
    found: set[int | None] = set()
    if hasattr(obj, "plan_id"):
        found.add(obj.plan_id if obj.plan_id is not None else _related(obj, "plan"))
    elif hasattr(obj, "version_id"):
        version = _parent(session, obj, "version", PlanVersion)
        found.add(_version_plan(session, version))
    elif hasattr(obj, "goal_id"):
        found.add(_goal_plan(session, _parent(session, obj, "goal", Goal)))
    elif hasattr(obj, "meeting_id"):
        found.add(_meeting_plan(session, _parent(session, obj, "meeting", Meeting)))
    return found


# The names' generation, as a scalar subquery: read in the same statement as a plan's row by
# the pages that keep rendered blocks (ADR 0084, 0120).
GENERATION = (
    sa.select(sa.func.coalesce(sa.func.max(PlanContentGeneration.n), 0))
    .correlate(None)
    .scalar_subquery()
)


def bump_plans(session: Session, plan_ids: set[int]) -> None:
    if not plan_ids:
        return
    table = Plan.__table__
    session.connection().execute(
        sa.update(table)
        .where(table.c.id.in_(sorted(plan_ids)))
        .values(content_counter=table.c.content_counter + 1)
    )
    for plan_id in plan_ids:  # a plan loaded in this session: read the new counter next time
        plan = session.identity_map.get(identity_key(Plan, plan_id))
        if plan is not None and "content_counter" in plan.__dict__:
            set_committed_value(plan, "content_counter", plan.__dict__["content_counter"] + 1)


def bump_generation(session: Session) -> None:
    """Move the one generation row (created by the first change)."""
    connection = session.connection()
    table = PlanContentGeneration.__table__
    moved = connection.execute(
        sa.update(table).where(table.c.id == 1).values(n=table.c.n + 1)
    ).rowcount
    if not moved:
        if connection.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        statement = insert(table).values(id=1, n=1)
        connection.execute(
            statement.on_conflict_do_update(index_elements=["id"], set_={"n": table.c.n + 1})
        )


def count_content_writes(session: Session, _context: Any, _instances: Any) -> None:
    plan_ids: set[int | None] = set()
    individuals: set[int] = set()
    directory = False
    with session.no_autoflush:
        for obj, new in [
            *((o, True) for o in session.new),
            *((o, False) for o in session.dirty if session.is_modified(o)),
            *((o, False) for o in session.deleted),
        ]:
            if isinstance(obj, _NEVER):
                continue
            if isinstance(obj, _DIRECTORY):
                directory = directory or not new
            elif isinstance(obj, Individual):
                if not new:
                    individuals.add(obj.id)
            else:
                plan_ids |= plans_of_row(session, obj, new=new)
    if individuals:
        table = Plan.__table__
        plan_ids |= set(
            session.connection().scalars(
                sa.select(table.c.id).where(table.c.individual_id.in_(sorted(individuals)))
            )
        )
    bump_plans(session, {p for p in plan_ids if p is not None})
    if directory:
        bump_generation(session)


sa.event.listen(Session, "before_flush", count_content_writes)
