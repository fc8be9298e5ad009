"""Quiet hours (21–08) for every kind of message, from its cause (issue 16 point 3; ADR 0090,
0091): each change made at 22:30 writes messages that wait until 08:00, except a same-day
change (a meeting cancelled or moved to today, the reminder of today's meeting) and a code.
Staff notices are written only in the working day: the digest and the discharge limit from
08:00, and an acknowledgement is due at 10:00 or 17:00, so "within two hours" never falls
in the night."""

# ruff: noqa: F811 (the world fixture is imported; its name is every helper's parameter)
from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from portal.models import Account, Meeting, OutboxMessage, Plan
from portal.rules import notices
from portal.rules.deadlines import acknowledgement_due
from portal.timeutil import STOCKHOLM, now, today_stockholm
from tests.web import test_every_message as every
from tests.web.test_every_message import CASES, World, data, world  # noqa: F401 (fixture)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=STOCKHOLM)


def _tonight() -> datetime:
    return _at(today_stockholm(), 22, 30)


def _tomorrow_eight() -> datetime:
    return _at(today_stockholm() + timedelta(days=1), 8)


def _at_night(cause: Callable[[World], None]) -> Callable[[World], datetime]:
    def run(world: World) -> datetime:
        with time_machine.travel(_tonight(), tick=True):
            cause(world)
        return _tomorrow_eight()

    return run


def _ingrid_quiet(world: World) -> datetime:
    """Ingrid's meeting alone is planned, and she (like everyone) has quiet hours on."""
    from portal.rules.vocabulary import MeetingStatus

    with data(world.app) as db:
        db.execute(sa.update(Account).values(quiet_hours=True))  # Ingrid had switched it off
        starts = db.scalar(
            sa.select(Meeting.starts_at).join(Plan).where(Plan.number == "SIP-2026-0014")
        )
        db.execute(
            sa.update(Meeting)
            .where(Meeting.starts_at != starts)
            .values(status=MeetingStatus.CANCELLED)
        )
        db.commit()
        return starts


def reminder_day_before_written_at_night(world: World) -> datetime:
    """The meeting moved to tomorrow 10:00; the day-before reminder is due at 22:30."""
    starts = _ingrid_quiet(world)
    tomorrow_ten = _at(today_stockholm() + timedelta(days=1), 10)
    with data(world.app) as db:
        db.execute(
            sa.update(Meeting).where(Meeting.starts_at == starts).values(starts_at=tomorrow_ten)
        )
        db.commit()
    world.scheduler_at(_tonight())
    return _tomorrow_eight()


def reminder_of_todays_meeting_early_morning(world: World) -> datetime:
    """The meeting is today at 08:15: its two-hours reminder at 06:30 leaves at once."""
    starts = _ingrid_quiet(world)
    day = starts.astimezone(STOCKHOLM).date()
    with data(world.app) as db:
        db.execute(
            sa.update(Meeting).where(Meeting.starts_at == starts).values(starts_at=_at(day, 8, 15))
        )
        db.commit()
    world.scheduler_at(_at(day, 6, 30))
    return _at(day, 6, 30)


def meeting_cancelled_the_same_morning(world: World) -> datetime:
    """Astrid's meeting is today at 10:00; Eva cancels it at 06:30: told at once."""
    meeting_id, _version = every._planned_meeting(world, "Astrid")
    day = today_stockholm() + timedelta(days=1)
    with data(world.app) as db:
        meeting = db.get(Meeting, meeting_id)
        meeting.starts_at, meeting.ends_at = _at(day, 10), _at(day, 11)
        db.commit()
    early = _at(day, 6, 30)
    with time_machine.travel(early, tick=True):
        every.meeting_cancelled(world)
    return early


def meeting_moved_to_today(world: World) -> datetime:
    """At 06:30 Eva moves Astrid's meeting to 13:00 the same day: told at once."""
    from tests.support.meeting_forms import invitation_form

    day = every._next_weekday(today_stockholm() + timedelta(days=1))
    early = _at(day, 6, 30)
    meeting_id, version = every._planned_meeting(world, "Astrid")
    form = invitation_form(
        world.app, day=day.isoformat(), starts="13:00", ends="14:00", row_version=str(version)
    )
    with time_machine.travel(early, tick=True):
        response = world.client("eva").post_form(f"/staff/meetings/{meeting_id}/edit", form)
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return early


def follow_up_coming_up_at_night(world: World) -> datetime:
    every._sign_gunnels_plan(world)
    with data(world.app) as db:
        from portal.models import FollowUp

        due_on = db.scalar(
            sa.select(FollowUp.due_on).where(
                FollowUp.plan_id == world.plan_id("Gunnel"), FollowUp.done_at.is_(None)
            )
        )
    night = _at(due_on - timedelta(days=6), 22, 30)
    world.scheduler_at(night)
    return _at(due_on - timedelta(days=5), 8)


def code_at_night(world: World) -> datetime:
    """Astrid adds an address at 22:30: the code she waits for goes at once."""
    with time_machine.travel(_tonight(), tick=True):
        response = world.client("astrid").post_form(
            "/account/notices/addresses", {"channel": "email", "address": "ny@example.se"}
        )
        assert response.status_code == 303
    return _tonight()


NIGHT: dict[str, tuple[Callable[[World], datetime], set[str]]] = {
    "meeting called": (_at_night(every.meeting_called), {"meeting.invited"}),
    "meeting changed to another day": (_at_night(every.meeting_changed), {"meeting.changed"}),
    "meeting cancelled (not today)": (_at_night(every.meeting_cancelled), {"meeting.cancelled"}),
    "same day: meeting cancelled in the morning": (
        meeting_cancelled_the_same_morning,
        {"meeting.cancelled"},
    ),
    "same day: meeting moved to today": (meeting_moved_to_today, {"meeting.changed"}),
    "reminder the day before, due at 22:30": (
        reminder_day_before_written_at_night,
        {"meeting.reminder"},
    ),
    "same day: reminder of today's meeting at 06:30": (
        reminder_of_todays_meeting_early_morning,
        {"meeting.reminder"},
    ),
    "follow-up coming up": (follow_up_coming_up_at_night, {"follow_up.soon"}),
    "answer to a request": (_at_night(every.request_answered), {"request.answered"}),
    "plan signed": (_at_night(every.plan_signed), {"plan.signed"}),
    "coordinator appointed": (_at_night(every.coordinator_appointed), {"coordinator.appointed"}),
    "coordinator handed over": (
        _at_night(every.coordinator_handed_over),
        {"coordinator.handed_over"},
    ),
    "delegation granted": (_at_night(every.delegation_granted), {"delegation.granted"}),
    "delegation revoked": (
        _at_night(every.delegation_revoked_by_staff),
        {"delegation.revoked", "delegation.ended"},
    ),
    "passkey added": (_at_night(every.passkey_added), {"security.passkey_added"}),
    "recovery started": (_at_night(every.recovery_started), {"security.recovery_started"}),
    "representative recorded": (
        _at_night(every.representative_recorded),
        {"security.representative_recorded"},
    ),
    "unit added": (_at_night(every.unit_added), {"plan.unit_added"}),
    "consent recorded by staff": (
        _at_night(every.consent_recorded_by_staff),
        {"consent.recorded_by_staff"},
    ),
    "code to confirm an address": (code_at_night, {notices.CODE_KIND}),
}


def test_every_kind_has_a_night_row() -> None:
    """Each kind the portal sends is here, or is a staff notice made only in the day below."""
    covered = set().union(*(kinds for _cause, kinds in NIGHT.values()))
    issue_kinds = set().union(*(set(case.told) for case in CASES.values())) | {notices.CODE_KIND}
    assert issue_kinds - notices.STAFF_KINDS <= covered


@pytest.mark.parametrize("name", list(NIGHT))
def test_quiet_hours_hold_each_kind_from_its_cause(world: World, name: str) -> None:
    cause, kinds = NIGHT[name]
    with data(world.app) as db:
        before = db.scalar(sa.select(sa.func.max(OutboxMessage.id))) or 0
    leaves = cause(world)
    with data(world.app) as db:
        written = db.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.id > before, OutboxMessage.kind.in_(kinds))
        ).all()
        assert {m.kind for m in written} == kinds
        for message in written:
            late = message.not_before - leaves  # the clock ticks on during the cause
            assert timedelta(0) <= late < timedelta(seconds=30), (message.kind, late)
            if leaves.astimezone(STOCKHOLM).hour == 8:  # held: the person had quiet hours on
                assert db.get(Account, message.account_id).quiet_hours is not False
        if notices.CODE_KIND in kinds:
            assert json.loads(written[0].params)["code"]


def test_staff_notices_are_made_only_in_the_working_day(world: World) -> None:
    """At 07:59 the scheduler writes no digest and no discharge-limit notice; at 08:00 it
    does, and they leave at once."""
    from portal.rules.deadlines import invitation_due_date
    from tests.web.test_start_plan import _start_form

    response = world.client("eva").post_form("/staff/start", _start_form(world.app))
    assert response.status_code == 303
    with data(world.app) as db:
        ready = db.scalar(sa.select(sa.func.max(Plan.ready_for_discharge_at)))

    def written() -> list[tuple[str, datetime]]:
        with data(world.app) as db:
            return db.execute(
                sa.select(OutboxMessage.kind, OutboxMessage.not_before).where(
                    OutboxMessage.kind.in_(("staff.digest", "staff.discharge_limit"))
                )
            ).all()

    last = invitation_due_date(ready)
    weekday = every._next_weekday(last)
    for day in sorted({last, weekday}):
        before = written()
        world.scheduler_at(_at(day, 7, 59))
        assert written() == before, day  # 07:59: nothing yet
        world.scheduler_at(_at(day, 8, 0))
    found = set(written())
    assert ("staff.discharge_limit", _at(last, 8, 0)) in found
    assert ("staff.digest", _at(weekday, 8, 0)) in found
    assert all(notices.in_quiet_hours(at) is False for _kind, at in found)


def test_an_acknowledgement_is_never_due_within_two_hours_at_night() -> None:
    """Whenever a call is sent (every quarter hour of a fortnight, both seasons), its
    acknowledgement is due at 10:00 or 17:00: the two hours before are in the working day."""
    for start in (date(2026, 3, 9), date(2026, 7, 13)):
        moment = _at(start, 0)
        while moment < _at(start + timedelta(days=14), 0):
            due = acknowledgement_due(moment)
            assert not notices.in_quiet_hours(due - timedelta(hours=2)), moment
            assert not notices.in_quiet_hours(due), moment
            moment += timedelta(minutes=15)


def test_quiet_hours_switched_off_every_kind_leaves_at_once(world: World) -> None:
    """Ingrid chose any hour: her day-before reminder written at 22:30 leaves at 22:30."""
    with data(world.app) as db:
        starts = db.scalar(
            sa.select(Meeting.starts_at).join(Plan).where(Plan.number == "SIP-2026-0014")
        )
        db.execute(
            sa.update(Meeting)
            .where(Meeting.starts_at == starts)
            .values(starts_at=_at(today_stockholm() + timedelta(days=1), 10))
        )
        db.commit()
    world.scheduler_at(_tonight())
    with data(world.app) as db:
        reminders = db.scalars(
            sa.select(OutboxMessage)
            .join(Plan, Plan.id == OutboxMessage.plan_id)
            .where(OutboxMessage.kind == "meeting.reminder", Plan.number == "SIP-2026-0014")
        ).all()
        assert reminders and all(m.not_before == _tonight() for m in reminders)
        assert {db.get(Account, m.account_id).quiet_hours for m in reminders} == {False}
    assert now()  # the clock is back where the test began
