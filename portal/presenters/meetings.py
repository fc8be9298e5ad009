"""A meeting as the individual's pages show it to whoever is looking.

When, how and where go to everyone who may see the meeting dates; the purpose and who is
called and invited are plan content, shown only where `portal.rules.access.
may_see_meeting_content` says so (a relative with the meeting-dates or preparation scope
alone sees neither). The template shows what this gives it and decides nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from portal.models import Meeting, MeetingParticipant
from portal.rules.vocabulary import ParticipantRole

if TYPE_CHECKING:  # the home page's records, read as Core rows (ADR 0108)
    from portal.services.shown import ParticipantShown, UpcomingMeeting


@dataclass(frozen=True)
class MeetingShown:
    meeting: Meeting | UpcomingMeeting
    purpose: str | None  # None: not for this viewer (or none was written)
    called: tuple[MeetingParticipant | ParticipantShown, ...] = ()
    invited: tuple[MeetingParticipant | ParticipantShown, ...] = ()


def shown_meeting(meeting: Meeting | UpcomingMeeting, content: bool) -> MeetingShown:
    """`content`: the viewer may see the meeting's content (`may_see_meeting_content`). A
    `Meeting` (the plan page) or the home page's `UpcomingMeeting`: both carry what this and
    templates/person/_meeting.html read."""
    if not content:
        return MeetingShown(meeting, None)
    return MeetingShown(
        meeting,
        meeting.purpose or None,
        called=_with_role(meeting, ParticipantRole.CALLED),
        invited=_with_role(meeting, ParticipantRole.INVITED),
    )


def _with_role(
    meeting: Meeting | UpcomingMeeting, role: ParticipantRole
) -> tuple[MeetingParticipant | ParticipantShown, ...]:
    return tuple(p for p in meeting.participants if p.role is role)
