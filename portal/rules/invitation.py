"""What an invitation (kallelse) must say about where and how, and which meetings may be
called now. Pure.

[004] lists what an invitation states; the form decides what "place" means [001][003]:
a phone meeting needs the number, a video meeting the link, a meeting in person the address
(the individual's home, the health centre, or another place). A meeting about handing over
home-health responsibility is the units' own planning, never the SIP meeting [002].
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from enum import StrEnum
from typing import Protocol, TypeVar
from urllib.parse import urlsplit

from portal.rules.access import PlanFacts, Viewer, leads_plan, staff_may_view
from portal.rules.follow_up import FOLLOWED_UP_IN
from portal.rules.phone import MIN_PHONE_DIGITS, ascii_digits
from portal.rules.vocabulary import (
    MeetingForm,
    MeetingKind,
    MeetingStatus,
    ParticipantRole,
    PlanState,
)

SIP_MEETINGS = frozenset({MeetingKind.FIRST, MeetingKind.FOLLOW_UP})
# Not while deferred [002]: during a short-term stay the SIP waits. The deferral ends only by
# the re-assessment before the return home (portal.rules.closing.may_reassess), recorded by
# the needs assessor (or, for health care only, the health-care staff who noticed the need),
# who then becomes the convener and calls the SIP.
FIRST_FROM = frozenset({PlanState.INITIATED, PlanState.INVITED})
FOLLOW_UP_FROM = FOLLOWED_UP_IN  # portal.rules.follow_up


class WhereProblem(StrEnum):
    ADDRESS_MISSING = "address_missing"  # at home or at another place
    HEALTH_CENTRE_MISSING = "health_centre_missing"
    PHONE_MISSING = "phone_missing"
    PHONE_INVALID = "phone_invalid"
    LINK_MISSING = "link_missing"
    LINK_INVALID = "link_invalid"


def is_sip_meeting(kind: MeetingKind) -> bool:
    return kind in SIP_MEETINGS


def _is_link(text: str) -> bool:
    try:
        parts = urlsplit(text.strip())
    except ValueError:  # "https://[x": an unclosed IPv6 bracket is no link, not an error
        return False
    return parts.scheme in ("https", "http") and "." in parts.netloc and " " not in text.strip()


def _is_phone(text: str) -> bool:
    return ascii_digits(text) >= MIN_PHONE_DIGITS


def where_problem(form: MeetingForm, place: str, join_info: str) -> tuple[str, WhereProblem] | None:
    """The field that must be filled in (or corrected) for this form, and why; None if fine.

    `place` is where people meet; `join_info` is how to join from afar (number or link).
    """
    if form is MeetingForm.PHONE:
        if not join_info.strip():
            return "join_info", WhereProblem.PHONE_MISSING
        if not _is_phone(join_info):
            return "join_info", WhereProblem.PHONE_INVALID
        return None
    if form is MeetingForm.VIDEO:
        if not join_info.strip():
            return "join_info", WhereProblem.LINK_MISSING
        if not _is_link(join_info):
            return "join_info", WhereProblem.LINK_INVALID
        return None
    if not place.strip():
        if form is MeetingForm.HEALTH_CENTRE:
            return "place", WhereProblem.HEALTH_CENTRE_MISSING
        return "place", WhereProblem.ADDRESS_MISSING
    return None


class CalledRow(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def kind(self) -> MeetingKind: ...
    @property
    def status(self) -> MeetingStatus: ...


def planned_kinds(
    meetings: Iterable[CalledRow], leaving_out: int | None = None
) -> list[MeetingKind]:
    """The kinds of the meetings still planned (called, not held or cancelled), leaving out
    one meeting when asked (the one being cancelled)."""
    return [m.kind for m in meetings if m.status is MeetingStatus.PLANNED and m.id != leaving_out]


def callable_kinds(state: PlanState, planned: Collection[MeetingKind]) -> list[MeetingKind]:
    """Which meetings may be called now, given the plan's state and the meetings already
    planned: the first SIP meeting once, a follow-up once the plan is established, and a
    meeting about handing over home health at any time while the plan is open."""
    if state is PlanState.CLOSED:
        return []
    kinds = []
    if state in FIRST_FROM and MeetingKind.FIRST not in planned:
        kinds.append(MeetingKind.FIRST)
    if state in FOLLOW_UP_FROM and MeetingKind.FOLLOW_UP not in planned:
        kinds.append(MeetingKind.FOLLOW_UP)
    return [*kinds, MeetingKind.HOME_HEALTH_HANDOVER]


class CallProblem(StrEnum):
    """Why a meeting of this kind cannot be called now (the words live in the service)."""

    DEFERRED = "deferred"  # the plan waits during a short-term stay [002]
    FIRST_ALREADY = "first_already"  # the first SIP meeting is called or held
    FOLLOW_UP_ALREADY = "follow_up_already"  # a follow-up meeting is already called
    NOT_ESTABLISHED = "not_established"  # a follow-up needs an established plan


def call_problem(
    state: PlanState, kind: MeetingKind, planned: Collection[MeetingKind]
) -> CallProblem | None:
    """None when a meeting of this kind may be called now (`callable_kinds`), else why not.
    A closed plan is refused before this (whoever asks)."""
    if kind in callable_kinds(state, planned):
        return None
    if kind is MeetingKind.FIRST and state is PlanState.DEFERRED:
        return CallProblem.DEFERRED
    if kind is MeetingKind.FIRST:
        return CallProblem.FIRST_ALREADY
    if state in FOLLOW_UP_FROM:
        return CallProblem.FOLLOW_UP_ALREADY
    return CallProblem.NOT_ESTABLISHED


def may_call(viewer: Viewer, facts: PlanFacts, kind: MeetingKind) -> bool:
    """A SIP meeting is called by whoever leads the plan [003], never while it is deferred
    [002]; a handover meeting about home-health responsibility is the units' own planning,
    called by any of them [002]."""
    if facts.state is PlanState.CLOSED or not staff_may_view(viewer, facts):
        return False
    if kind is MeetingKind.HOME_HEALTH_HANDOVER:
        return True
    return facts.state is not PlanState.DEFERRED and leads_plan(viewer, facts)


def may_change(viewer: Viewer, facts: PlanFacts, kind: MeetingKind, convener_id: int) -> bool:
    """Change or cancel: the meeting's convener, or whoever may call a meeting of its kind —
    and only while they may see the plan and it is open."""
    if facts.state is PlanState.CLOSED or not staff_may_view(viewer, facts):
        return False
    return viewer.staff_id == convener_id or may_call(viewer, facts, kind)


class ParticipantRow(Protocol):
    @property
    def role(self) -> ParticipantRole: ...
    @property
    def staff_id(self) -> int | None: ...


P = TypeVar("P", bound=ParticipantRow)


def must_acknowledge(participant: ParticipantRow, convener_id: int) -> bool:
    """Who must acknowledge an invitation [003]: staff called to it, except the convener who
    sent it."""
    return participant.role is ParticipantRole.CALLED and participant.staff_id != convener_id


def to_acknowledge(participants: Iterable[P], convener_id: int) -> list[P]:
    """The participants who must acknowledge the invitation, in the order given."""
    return [p for p in participants if must_acknowledge(p, convener_id)]


def state_after_invitation(state: PlanState, kind: MeetingKind) -> PlanState:
    """First meeting → invited; follow-up → following up; a handover meeting changes nothing."""
    if kind is MeetingKind.FIRST:
        return PlanState.INVITED
    if kind is MeetingKind.FOLLOW_UP:
        return PlanState.FOLLOWING_UP
    return state


def state_after_cancelling(
    state: PlanState, kind: MeetingKind, other_planned: Collection[MeetingKind]
) -> PlanState:
    """A cancelled follow-up with none other planned leaves the plan established again.

    A cancelled first meeting leaves the plan invited (it cannot go back to initiated); the
    first meeting may be called again (`callable_kinds`).
    """
    if (
        kind is MeetingKind.FOLLOW_UP
        and state is PlanState.FOLLOWING_UP
        and MeetingKind.FOLLOW_UP not in other_planned
    ):
        return PlanState.ESTABLISHED
    return state
