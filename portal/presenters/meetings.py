"""A meeting as the individual's pages show it to whoever is looking.

When, how and where go to everyone who may see the meeting dates; the purpose and who is
called and invited are plan content, shown only where `portal.rules.access.
may_see_meeting_content` says so (a relative with the meeting-dates or preparation scope
alone sees neither). The template shows what this gives it and decides nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.models import Meeting, MeetingParticipant
from portal.rules.vocabulary import ParticipantRole


@dataclass(frozen=True)
class MeetingShown:
    meeting: Meeting
    purpose: str | None  # None: not for this viewer (or none was written)
    called: tuple[MeetingParticipant, ...] = ()
    invited: tuple[MeetingParticipant, ...] = ()


def shown_meeting(meeting: Meeting, content: bool) -> MeetingShown:
    """`content`: the viewer may see the meeting's content (`may_see_meeting_content`)."""
    if not content:
        return MeetingShown(meeting, None)
    return MeetingShown(
        meeting,
        meeting.purpose or None,
        called=_with_role(meeting, ParticipantRole.CALLED),
        invited=_with_role(meeting, ParticipantRole.INVITED),
    )


def _with_role(meeting: Meeting, role: ParticipantRole) -> tuple[MeetingParticipant, ...]:
    return tuple(p for p in meeting.participants if p.role is role)
