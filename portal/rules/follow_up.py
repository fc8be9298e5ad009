"""Follow-up [001][004]: which plans may be followed up, the current follow-up, the version
followed up and the meeting it is held at. Pure: the arguments are plain values or rows read
through their attributes (any object with them will do).

- A plan is followed up once it is established: made at the first meeting (established) or
  already being followed up (following up) — never initiated, invited, deferred or closed.
- Only a signed version is followed up: the newest signed one.
- The current follow-up is the one not yet done, the earliest due (there is one at a time:
  recording a meeting or a follow-up moves it rather than adding another).
- The follow-up meeting is the earliest follow-up meeting still planned.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Protocol, TypeVar

from portal.rules.access import PlanFacts, Viewer, may_record
from portal.rules.vocabulary import MeetingKind, MeetingStatus, PlanState, VersionStatus

# The states in which a plan may be followed up (and a follow-up meeting called).
FOLLOWED_UP_IN: frozenset[PlanState] = frozenset({PlanState.ESTABLISHED, PlanState.FOLLOWING_UP})


class FollowUpRow(Protocol):
    @property
    def due_on(self) -> date: ...
    @property
    def done_at(self) -> datetime | None: ...


class VersionRow(Protocol):
    @property
    def number(self) -> int: ...
    @property
    def status(self) -> VersionStatus: ...


class MeetingRow(Protocol):
    @property
    def kind(self) -> MeetingKind: ...
    @property
    def status(self) -> MeetingStatus: ...
    @property
    def starts_at(self) -> datetime: ...


F = TypeVar("F", bound=FollowUpRow)
V = TypeVar("V", bound=VersionRow)
M = TypeVar("M", bound=MeetingRow)


def is_established(state: PlanState) -> bool:
    """The plan was made at its first meeting and is in force (perhaps being followed up)."""
    return state in FOLLOWED_UP_IN


def may_be_followed_up(state: PlanState, has_signed_version: bool) -> bool:
    """Which plans may be followed up: established, with a signed version to follow up."""
    return is_established(state) and has_signed_version


def may_follow_up(viewer: Viewer, plan: PlanFacts, has_signed_version: bool) -> bool:
    """Who may follow the plan up now: whoever may record it, once it may be followed up."""
    return may_record(viewer, plan) and may_be_followed_up(plan.state, has_signed_version)


def signed_versions(versions: Iterable[V]) -> list[V]:
    """The versions that were signed, oldest first."""
    return sorted((v for v in versions if v.status is VersionStatus.SIGNED), key=lambda v: v.number)


def version_to_follow_up(versions: Iterable[V]) -> V | None:
    """The version a follow-up evaluates: the newest signed one."""
    signed = signed_versions(versions)
    return signed[-1] if signed else None


def version_shown(versions: Iterable[V]) -> V | None:
    """The version the individual's pages show: the newest signed one, else the newest
    (a draft that no one has signed yet)."""
    every = list(versions)
    return version_to_follow_up(every) or max(every, key=lambda v: v.number, default=None)


def open_follow_ups(follow_ups: Iterable[F]) -> list[F]:
    """The follow-ups not yet done, earliest due first."""
    return sorted((f for f in follow_ups if f.done_at is None), key=lambda f: f.due_on)


def current_follow_up(follow_ups: Iterable[F]) -> F | None:
    """The current follow-up: the earliest one not yet done."""
    waiting = open_follow_ups(follow_ups)
    return waiting[0] if waiting else None


def is_planned_follow_up_meeting(meeting: MeetingRow) -> bool:
    """A follow-up meeting still planned: one a follow-up may be held at."""
    return meeting.kind is MeetingKind.FOLLOW_UP and meeting.status is MeetingStatus.PLANNED


def follow_up_meeting(meetings: Iterable[M]) -> M | None:
    """The follow-up meeting a follow-up is held at: the earliest one still planned."""
    planned = [m for m in meetings if is_planned_follow_up_meeting(m)]
    return min(planned, key=lambda m: m.starts_at) if planned else None
