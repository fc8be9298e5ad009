"""The scheduler is cheap each minute (ADR 0094): a staff worklist is loaded only for staff
who may have an acknowledgement due within two hours, or whose digest is being made
(08:00–09:00 on weekdays); and that gate misses no one the full load would warn."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask

from portal.models import Account, OutboxMessage
from portal.rules import notices
from portal.services import scheduler, worklist
from portal.services.scheduler import _may_have_acknowledgement_due
from portal.timeutil import STOCKHOLM, now, today_stockholm
from tests.conftest import Demo
from tests.support.clock import daytime  # noqa: F401 (autouse)


def _staff_accounts(db) -> list[Account]:
    return db.scalars(
        sa.select(Account).where(Account.staff_id.is_not(None), Account.disabled_at.is_(None))
    ).all()


def _deadlines(db, at: datetime) -> list[tuple[int, datetime]]:
    """Every (staff id, deadline) of an acknowledgement-bearing item on any staff worklist."""
    found = []
    for account in _staff_accounts(db):
        for row in worklist.load_worklist(account=account, now=at).rows:
            item = row.item
            if item.deadline and notices.needs_acknowledgement(item.kind.value):
                found.append((account.staff_id, item.deadline.at))
    return found


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    loads: list[int] = []
    real = worklist.load_worklist

    def counting(**kwargs):  # type: ignore[no-untyped-def]
        loads.append(kwargs["account"].id)
        return real(**kwargs)

    monkeypatch.setattr(worklist, "load_worklist", counting)
    return loads


def test_the_gate_keeps_everyone_the_full_load_would_warn(app: Flask, demo: Demo, db) -> None:
    from portal.models import Plan
    from portal.rules.vocabulary import RequestKind
    from portal.services.requests import send_request
    from tests.unit.services.test_notice_causes import _account

    astrid = _account(db, "Astrid")
    plan = db.scalar(sa.select(Plan).where(Plan.individual_id == astrid.individual_id))
    send_request(plan=plan, kind=RequestKind.END_PLAN, message="", by=astrid, on_behalf_of=None)
    db.commit()
    deadlines = [(s, d) for s, d in _deadlines(db, now()) if d > now()]
    assert deadlines, "the demo has acknowledgements to come"
    for staff_id, due in deadlines:
        for before in (timedelta(minutes=119), timedelta(minutes=30), timedelta(0)):
            assert staff_id in _may_have_acknowledgement_due(due - before), (staff_id, due)


def test_a_quiet_minute_loads_only_whom_the_gate_lets_through(
    app: Flask, demo: Demo, db, counted: list[int]
) -> None:
    day = today_stockholm() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    quiet = datetime.combine(day, time(12, 0), tzinfo=STOCKHOLM)
    counted.clear()
    with time_machine.travel(quiet, tick=False):
        scheduler.run(now())
        let_through = _may_have_acknowledgement_due(now())
    staff_of = {a.id: a.staff_id for a in _staff_accounts(db)}
    assert {staff_of[account_id] for account_id in counted} <= let_through
    assert len(counted) < len(staff_of), "not every worklist, every minute"


def test_the_digest_loads_each_worklist_once_a_day(
    app: Flask, demo: Demo, db, counted: list[int]
) -> None:
    day = today_stockholm() + timedelta(days=7)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    eight = datetime.combine(day, time(8, 1), tzinfo=STOCKHOLM)
    with time_machine.travel(eight, tick=False):
        scheduler.run(now())
    first = len(counted)
    digests = db.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "staff.digest")).all()
    assert digests and first == len(_staff_accounts(db))
    digested = {int(d.dedupe_key.split(":")[1]) for d in digests}
    with time_machine.travel(eight + timedelta(minutes=1), tick=False):
        scheduler.run(now())
        soon = _may_have_acknowledgement_due(now())
    # A second minute loads only those with no digest yet (nothing due), and those the gate
    # lets through for an acknowledgement that may fall due within two hours (on some days
    # of the demo's calendar a call is due by 10:00): not the others.
    expected = {a.id for a in _staff_accounts(db) if a.id not in digested or a.staff_id in soon}
    assert sorted(counted[first:]) == sorted(expected)
    assert len(expected) < len(_staff_accounts(db)), "the digested are left alone"
    counted.clear()
    with time_machine.travel(eight + timedelta(hours=2), tick=False):
        scheduler.run(now())
    assert len(counted) < len(_staff_accounts(db))
