"""The staff worklist: what needs doing, most urgent first. Pure.

Each item is about one row (a plan, a meeting participant, a request …) and has an optional
deadline. Urgency: overdue items first, then by deadline (earliest first), then items with no
deadline, oldest first. The facts come from `portal.services.worklist`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from portal.rules.coordinator_wish import is_open
from portal.rules.deadlines import invitation_due_date, invitation_overdue

STOCKHOLM = ZoneInfo("Europe/Stockholm")
FOLLOW_UP_HORIZON_DAYS = 14  # a follow-up shows this many days before it is due
_FAR_FUTURE = datetime.max.replace(tzinfo=UTC)


class ItemKind(StrEnum):
    INVITATION_DUE = "invitation_due"  # call the first meeting (≤ 3 days after discharge)
    FOLLOW_UP_DUE = "follow_up_due"
    REQUEST = "request"  # from the individual, awaiting acknowledgement
    CONSENT_WITHDRAWN = "consent_withdrawn"
    COORDINATOR_WISH = "coordinator_wish"
    HANDOVER = "handover"  # become the coordinator: accept
    MEETING_ACKNOWLEDGEMENT = "meeting_acknowledgement"  # called to a meeting: acknowledge
    SHORT_TERM_REASSESSMENT = "short_term_reassessment"  # re-ask before the return home [002]


class ItemRole(StrEnum):
    """Why the item is someone's: the staff member's part in it."""

    LEADS = "leads"  # convener, or coordinator once appointed [003]
    CALLED = "called"  # called to a meeting (obliged to attend)
    INCOMING = "incoming"  # handed the coordinator's role
    UNIT = "unit"  # for the unit as a whole (its consent, its routine)


# The order of kinds when everything else is equal: legal clocks first.
KIND_ORDER: tuple[ItemKind, ...] = (
    ItemKind.INVITATION_DUE,
    ItemKind.MEETING_ACKNOWLEDGEMENT,
    ItemKind.REQUEST,
    ItemKind.CONSENT_WITHDRAWN,
    ItemKind.HANDOVER,
    ItemKind.SHORT_TERM_REASSESSMENT,
    ItemKind.FOLLOW_UP_DUE,
    ItemKind.COORDINATOR_WISH,
)


@dataclass(frozen=True)
class Deadline:
    """`at` is the instant the item becomes overdue; `day` is the date to show."""

    at: datetime
    day: date
    has_time: bool


@dataclass(frozen=True)
class WorkItem:
    kind: ItemKind
    role: ItemRole
    plan_id: int
    object_id: int  # the row the item is about (plan, participant, request, event …)
    staff_id: int | None  # whose item it is; None: the unit's
    since: datetime  # when it arose
    deadline: Deadline | None = None
    overdue: bool = False

    @property
    def key(self) -> tuple[ItemKind, int]:
        return (self.kind, self.object_id)


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("naive datetime: pass an aware datetime")
    return value


def end_of_day(day: date) -> Deadline:
    """A deadline on a day: overdue from midnight after it, Stockholm time."""
    if day >= date.max - timedelta(days=1):  # a stored 9999-12-31 must not break the worklist
        return Deadline(
            at=datetime.combine(date.max, time.max, tzinfo=STOCKHOLM), day=day, has_time=False
        )
    next_midnight = datetime.combine(day + timedelta(days=1), time(0), tzinfo=STOCKHOLM)
    return Deadline(at=next_midnight, day=day, has_time=False)


def at_time(moment: datetime) -> Deadline:
    local = _aware(moment).astimezone(STOCKHOLM)
    return Deadline(at=local, day=local.date(), has_time=True)


def make_item(
    kind: ItemKind,
    role: ItemRole,
    *,
    plan_id: int,
    object_id: int,
    staff_id: int | None,
    since: datetime,
    now: datetime,
    deadline: Deadline | None = None,
) -> WorkItem:
    overdue = deadline is not None and _aware(now) >= deadline.at
    return WorkItem(kind, role, plan_id, object_id, staff_id, _aware(since), deadline, overdue)


def invitation_item(
    *,
    plan_id: int,
    staff_id: int,
    since: datetime,
    ready_for_discharge_at: datetime | None,
    now: datetime,
) -> WorkItem:
    """Call the first meeting; after discharge, at the latest 3 calendar days later [003][004]."""
    if ready_for_discharge_at is None:
        return make_item(
            ItemKind.INVITATION_DUE,
            ItemRole.LEADS,
            plan_id=plan_id,
            object_id=plan_id,
            staff_id=staff_id,
            since=since,
            now=now,
        )
    deadline = end_of_day(invitation_due_date(ready_for_discharge_at))
    return WorkItem(
        ItemKind.INVITATION_DUE,
        ItemRole.LEADS,
        plan_id,
        plan_id,
        staff_id,
        _aware(since),
        deadline,
        invitation_overdue(ready_for_discharge_at, now),
    )


def follow_up_is_due(
    due_on: date, now: datetime, horizon_days: int = FOLLOW_UP_HORIZON_DAYS
) -> bool:
    """A follow-up belongs on the worklist from `horizon_days` before it is due, and after."""
    today = _aware(now).astimezone(STOCKHOLM).date()
    return due_on <= today + timedelta(days=horizon_days)


wish_is_open = is_open  # portal.rules.coordinator_wish.is_open


def urgency_key(item: WorkItem) -> tuple[int, datetime, datetime, int, int]:
    deadline = item.deadline.at if item.deadline else _FAR_FUTURE
    return (
        0 if item.overdue else 1,
        deadline,
        item.since,
        KIND_ORDER.index(item.kind),
        item.object_id,
    )


def by_urgency(items: Iterable[WorkItem]) -> list[WorkItem]:
    """Overdue first, then by deadline, then those without a deadline (oldest first)."""
    return sorted(items, key=urgency_key)


def unique(items: Iterable[WorkItem]) -> list[WorkItem]:
    """One item per (kind, object): the first wins, so pass the leader's items first."""
    seen: set[tuple[ItemKind, int]] = set()
    kept = []
    for item in items:
        if item.key not in seen:
            seen.add(item.key)
            kept.append(item)
    return kept


def select(
    items: Iterable[WorkItem],
    kinds: frozenset[ItemKind] | None = None,
    roles: frozenset[ItemRole] | None = None,
) -> list[WorkItem]:
    """The items of these kinds and roles (None: every kind or role)."""
    return [
        i
        for i in items
        if (kinds is None or i.kind in kinds) and (roles is None or i.role in roles)
    ]


@dataclass(frozen=True)
class Summary:
    total: int
    overdue: int
    by_kind: dict[ItemKind, int]


def summarise(items: Iterable[WorkItem]) -> Summary:
    listed = list(items)
    by_kind = {kind: 0 for kind in KIND_ORDER}
    for item in listed:
        by_kind[item.kind] += 1
    return Summary(len(listed), sum(1 for i in listed if i.overdue), by_kind)
