"""What an invitation must say about where and how, and which meetings may be called. Pure."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from portal.rules.invitation import (
    WhereProblem,
    callable_kinds,
    is_sip_meeting,
    planned_kinds,
    state_after_cancelling,
    state_after_invitation,
    where_problem,
)
from portal.rules.vocabulary import MeetingForm, MeetingKind, MeetingStatus, PlanState

F, K, S = MeetingForm, MeetingKind, PlanState


@pytest.mark.parametrize(
    ("form", "place", "join_info", "expected"),
    [
        (F.PHONE, "", "", ("join_info", WhereProblem.PHONE_MISSING)),
        (F.PHONE, "", "ring mig", ("join_info", WhereProblem.PHONE_INVALID)),
        (F.PHONE, "", "Eva ringer 0601-12 34 00", None),
        (F.VIDEO, "", "", ("join_info", WhereProblem.LINK_MISSING)),
        (F.VIDEO, "", "meet.example/abc", ("join_info", WhereProblem.LINK_INVALID)),
        (F.VIDEO, "", "https://meet.example/abc def", ("join_info", WhereProblem.LINK_INVALID)),
        (F.VIDEO, "", "https://[meet.example/abc", ("join_info", WhereProblem.LINK_INVALID)),
        (F.VIDEO, "", "http://]meet.example", ("join_info", WhereProblem.LINK_INVALID)),
        (F.VIDEO, "", "https://meet.example/abc", None),
        (F.HOME, "", "", ("place", WhereProblem.ADDRESS_MISSING)),
        (F.HOME, "Storgatan 14", "", None),
        (F.HEALTH_CENTRE, "  ", "", ("place", WhereProblem.HEALTH_CENTRE_MISSING)),
        (F.HEALTH_CENTRE, "Hälsocentralen Björkhagen", "", None),
        (F.OTHER_PLACE, "", "https://meet.example/x", ("place", WhereProblem.ADDRESS_MISSING)),
        (F.OTHER_PLACE, "Kyrkbacken 7", "", None),
    ],
)
def test_where_problem_asks_for_what_the_form_needs(form, place, join_info, expected) -> None:
    assert where_problem(form, place, join_info) == expected


@pytest.mark.parametrize(
    "join_info",
    [
        "070²³⁴⁵⁶⁷",  # superscripts: str.isdigit() is true for them
        "０７０１２３４５",  # fullwidth digits: \d matches them
        "٠٧٠١٢٣٤٥",  # Arabic-Indic digits
        "12345 ²³⁴⁵",  # five ASCII digits and four that are not
    ],
)
def test_a_phone_number_counts_only_ascii_digits(join_info: str) -> None:
    problem = ("join_info", WhereProblem.PHONE_INVALID)
    assert where_problem(F.PHONE, "", join_info) == problem
    assert where_problem(F.PHONE, "", "070 123456") is None


@pytest.mark.parametrize(
    ("state", "planned", "expected"),
    [
        (S.INITIATED, [], [K.FIRST, K.HOME_HEALTH_HANDOVER]),
        (S.DEFERRED, [], [K.HOME_HEALTH_HANDOVER]),  # [002]: re-assessed first
        (S.INVITED, [K.FIRST], [K.HOME_HEALTH_HANDOVER]),
        (S.INVITED, [], [K.FIRST, K.HOME_HEALTH_HANDOVER]),  # the first was cancelled
        (S.ESTABLISHED, [], [K.FOLLOW_UP, K.HOME_HEALTH_HANDOVER]),
        (S.FOLLOWING_UP, [K.FOLLOW_UP], [K.HOME_HEALTH_HANDOVER]),
        (S.FOLLOWING_UP, [K.HOME_HEALTH_HANDOVER], [K.FOLLOW_UP, K.HOME_HEALTH_HANDOVER]),
        (S.CLOSED, [], []),
    ],
)
def test_callable_kinds(state, planned, expected) -> None:
    assert callable_kinds(state, planned) == expected


def test_a_handover_meeting_is_never_a_sip_meeting_and_changes_no_state() -> None:
    assert not is_sip_meeting(K.HOME_HEALTH_HANDOVER)
    assert is_sip_meeting(K.FIRST) and is_sip_meeting(K.FOLLOW_UP)
    for state in (S.INITIATED, S.DEFERRED, S.INVITED, S.ESTABLISHED, S.FOLLOWING_UP):
        assert state_after_invitation(state, K.HOME_HEALTH_HANDOVER) is state
        assert state_after_cancelling(state, K.HOME_HEALTH_HANDOVER, []) is state


def test_states_after_calling_and_cancelling_sip_meetings() -> None:
    assert state_after_invitation(S.INITIATED, K.FIRST) is S.INVITED
    assert state_after_invitation(S.ESTABLISHED, K.FOLLOW_UP) is S.FOLLOWING_UP
    assert state_after_cancelling(S.FOLLOWING_UP, K.FOLLOW_UP, []) is S.ESTABLISHED
    assert state_after_cancelling(S.FOLLOWING_UP, K.FOLLOW_UP, [K.FOLLOW_UP]) is S.FOLLOWING_UP
    assert state_after_cancelling(S.INVITED, K.FIRST, []) is S.INVITED


def test_a_deferred_plan_offers_no_first_meeting_to_anyone() -> None:
    """[002]: the deferral ends by the re-assessment, never by calling a meeting."""
    from portal.rules.invitation import callable_kinds

    assert MeetingKind.FIRST not in callable_kinds(PlanState.DEFERRED, [])
    assert MeetingKind.FIRST in callable_kinds(PlanState.INITIATED, [])


def test_planned_kinds_are_the_meetings_still_called() -> None:
    meetings = [
        SimpleNamespace(id=1, kind=K.FIRST, status=MeetingStatus.HELD),
        SimpleNamespace(id=2, kind=K.FOLLOW_UP, status=MeetingStatus.PLANNED),
        SimpleNamespace(id=3, kind=K.HOME_HEALTH_HANDOVER, status=MeetingStatus.CANCELLED),
        SimpleNamespace(id=4, kind=K.HOME_HEALTH_HANDOVER, status=MeetingStatus.PLANNED),
    ]
    assert planned_kinds(meetings) == [K.FOLLOW_UP, K.HOME_HEALTH_HANDOVER]
    assert planned_kinds(meetings, leaving_out=2) == [K.HOME_HEALTH_HANDOVER]
