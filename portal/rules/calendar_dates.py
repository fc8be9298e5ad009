"""Which dates a calendar shows: a follow-up that a follow-up meeting already stands for on
the same day is not shown a second time (issue 14 point 8). Pure: no Flask, no SQLAlchemy."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class MeetingDay:
    meeting_id: int
    day: date  # the local (Europe/Stockholm) day it starts
    follow_up_meeting: bool  # a planned SIP follow-up meeting


@dataclass(frozen=True)
class FollowUpDay:
    follow_up_id: int
    due_on: date
    meeting_id: int | None  # the meeting that holds it, when one is booked


def follow_ups_of_their_own(
    follow_ups: Iterable[FollowUpDay], meetings: Iterable[MeetingDay]
) -> list[int]:
    """The follow-ups that need an entry of their own: not one held by a meeting in the
    calendar, nor one due on the day of a planned follow-up meeting."""
    shown = list(meetings)
    ids = {m.meeting_id for m in shown}
    days = {m.day for m in shown if m.follow_up_meeting}
    return [
        f.follow_up_id
        for f in follow_ups
        if not (f.meeting_id is not None and f.meeting_id in ids) and f.due_on not in days
    ]
