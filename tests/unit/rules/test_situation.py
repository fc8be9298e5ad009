"""The one sentence on the home page: which situation a plan is in."""

from __future__ import annotations

import pytest

from portal.rules.situation import Situation, situation
from portal.rules.vocabulary import MeetingKind, PlanState

S = PlanState


@pytest.mark.parametrize(
    ("state", "meeting", "signed", "draft", "expected"),
    [
        (S.INITIATED, None, False, False, Situation.BEING_PREPARED),
        (S.INVITED, MeetingKind.FIRST, False, False, Situation.FIRST_MEETING),
        (S.INVITED, None, False, True, Situation.AWAITING_SIGNATURE),
        (S.ESTABLISHED, None, True, False, Situation.IN_FORCE),
        (S.FOLLOWING_UP, MeetingKind.FOLLOW_UP, True, True, Situation.FOLLOW_UP_MEETING),
        (S.FOLLOWING_UP, None, True, True, Situation.AWAITING_SIGNATURE),
        (S.FOLLOWING_UP, MeetingKind.HOME_HEALTH_HANDOVER, True, False, Situation.IN_FORCE),
        (S.DEFERRED, MeetingKind.HOME_HEALTH_HANDOVER, False, False, Situation.DEFERRED),
        (S.CLOSED, MeetingKind.FOLLOW_UP, True, False, Situation.CLOSED),
    ],
)
def test_situation(
    state: PlanState,
    meeting: MeetingKind | None,
    signed: bool,
    draft: bool,
    expected: Situation,
) -> None:
    assert situation(state, meeting, signed, draft) is expected
