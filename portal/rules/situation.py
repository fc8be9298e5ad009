"""What is happening now in a plan, in one word the home page turns into one sentence. Pure."""

from __future__ import annotations

from enum import StrEnum

from portal.rules.vocabulary import MeetingKind, PlanState


class Situation(StrEnum):
    BEING_PREPARED = "being_prepared"  # initiated: staff prepare, an invitation comes
    FIRST_MEETING = "first_meeting"  # the first SIP meeting is called
    AWAITING_SIGNATURE = "awaiting_signature"  # written, the coordinator has not signed
    IN_FORCE = "in_force"  # signed; the next follow-up is on its date
    FOLLOW_UP_MEETING = "follow_up_meeting"  # a follow-up meeting is called
    DEFERRED = "deferred"  # short-term stay: the SIP waits until the return home [002]
    CLOSED = "closed"


def situation(
    state: PlanState,
    next_meeting_kind: MeetingKind | None,  # of the next SIP meeting: never a handover [002]
    has_signed_version: bool,
    newest_is_draft: bool,
) -> Situation:
    if state is PlanState.CLOSED:
        return Situation.CLOSED
    if state is PlanState.DEFERRED:
        return Situation.DEFERRED
    if next_meeting_kind is MeetingKind.FIRST:
        return Situation.FIRST_MEETING
    if next_meeting_kind is MeetingKind.FOLLOW_UP:
        return Situation.FOLLOW_UP_MEETING
    if newest_is_draft:
        return Situation.AWAITING_SIGNATURE
    if has_signed_version:
        return Situation.IN_FORCE
    return Situation.BEING_PREPARED
