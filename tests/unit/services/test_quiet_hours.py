"""Quiet hours 21–08 at their clock edges (ADR 0091), moved with time-machine: what is
written at 20:59 leaves at once, at 21:00 it waits until 08:00; at 07:59 it waits a minute,
at 08:00 it leaves. Security notices wait too; same-day changes and codes do not; a person
who switched quiet hours off gets everything at once. The demo meeting's reminder is due
at every hour of the day."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask

from portal.models import Account, ContactPoint, Individual, OutboxMessage
from portal.rules import notices
from portal.services import outbox
from portal.services.demo_notices import reminder_slot
from portal.timeutil import STOCKHOLM, now
from portal.worker import deliver_due
from tests.conftest import Demo

DAY = date(2026, 3, 10)  # a Tuesday in winter time
SUMMER = date(2026, 7, 14)


def _at(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=STOCKHOLM)


def _astrid(db) -> Account:
    return db.scalar(sa.select(Account).join(Individual).where(Individual.given_name == "Astrid"))


@pytest.mark.parametrize("day", [DAY, SUMMER])
@pytest.mark.parametrize(
    ("hour", "minute", "held_until"),
    [
        (20, 59, None),
        (21, 0, (1, 8, 0)),
        (23, 59, (1, 8, 0)),
        (0, 0, (0, 8, 0)),
        (7, 59, (0, 8, 0)),
        (8, 0, None),
    ],
)
@pytest.mark.parametrize("kind", ["plan.signed", "security.passkey_added"])
def test_quiet_hours_clock_edges(
    app: Flask,
    demo: Demo,
    db,
    day: date,
    hour: int,
    minute: int,
    held_until: tuple[int, int, int] | None,
    kind: str,
) -> None:
    astrid = _astrid(db)
    written = _at(day, hour, minute)
    with time_machine.travel(written, tick=False):
        if kind in notices.SECURITY_KINDS:
            [message] = outbox.security_notice(astrid, kind)
        else:
            [message] = outbox.notify(astrid, kind)
        db.commit()
        delivered_now = deliver_due("w", now())
    db.refresh(message)
    if held_until is None:
        assert delivered_now == 1 and message.status == "sent"
        return
    days, h, m = held_until
    eight = _at(day + timedelta(days=days), h, m)
    assert delivered_now == 0 and message.status == "pending"
    assert message.not_before == eight
    with time_machine.travel(eight - timedelta(minutes=1), tick=False):
        assert deliver_due("w", now()) == 0  # 07:59: still quiet
    with time_machine.travel(eight, tick=False):
        assert deliver_due("w", now()) == 1  # 08:00: it leaves
    db.refresh(message)
    assert message.status == "sent"


def test_quiet_hours_same_day_change_and_code_pass_at_night(app: Flask, demo: Demo, db) -> None:
    astrid = _astrid(db)
    with time_machine.travel(_at(DAY, 21, 0), tick=False):
        [today] = outbox.notify(astrid, "meeting.cancelled", when=_at(DAY, 23, 30))
        [tomorrow] = outbox.notify(astrid, "meeting.changed", when=_at(DAY, 9, 0) + timedelta(1))
        point = ContactPoint(account_id=astrid.id, channel="email", address="ny@example.se")
        db.add(point)
        db.flush()
        [code] = outbox.notify(astrid, notices.CODE_KIND, only=point, extra={"code": "123456"})
        db.commit()
        assert today.not_before == now() and code.not_before == now()
        assert tomorrow.not_before == _at(DAY + timedelta(days=1), 8, 0)


def test_quiet_hours_switched_off_sends_at_any_hour(app: Flask, demo: Demo, db) -> None:
    astrid = _astrid(db)
    astrid.quiet_hours = False
    db.commit()
    with time_machine.travel(_at(DAY, 21, 0), tick=False):
        [message] = outbox.notify(astrid, "plan.signed")
        [security] = outbox.security_notice(astrid, "security.passkey_added")
        db.commit()
        assert deliver_due("w", now()) == 2
    rows = db.scalars(sa.select(OutboxMessage).execution_options(populate_existing=True))
    assert {m.status for m in rows} == {"sent"}
    assert message.not_before == security.not_before == _at(DAY, 21, 0)


@pytest.mark.parametrize("hour", range(24))
def test_demo_meeting_slot_makes_a_reminder_due_at_every_hour(hour: int) -> None:
    for day in (DAY, SUMMER):
        current = _at(day, hour, 7)
        starts = reminder_slot(current)
        local = starts.astimezone(STOCKHOLM)
        assert current < starts <= current + timedelta(days=1)  # the day-before reminder is due
        assert time(8, 0) <= local.time() <= time(17, 0)  # in the working day
        reminders = notices.parse_offsets("24h,2h")
        assert notices.reminder_due(starts, current, reminders) is not None
