"""Demo data for reaching people (ADR 0090): confirmed addresses, a system administrator,
and a meeting within the next day, so that a reminder leaves within minutes of `make run`
at any hour (its person has switched quiet hours off).

Addresses are fictional (example.se, numbers in the 070-000 range).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.models import ContactPoint, Meeting, Plan, Staff
from portal.models.people import Account
from portal.rules.vocabulary import (
    AccountKind,
    MeetingForm,
    MeetingKind,
    MeetingStatus,
    PlanContext,
    PlanState,
    Profession,
)
from portal.services.demo_world import World, at, test_pin
from portal.timeutil import STOCKHOLM, now

DEMO_PLAN = "SIP-2026-0014"
DAY_STARTS, DAY_ENDS = time(8, 0), time(17, 0)


def reminder_slot(current: datetime) -> datetime:
    """The demo meeting's time: the latest quarter hour in the working day (08–17) that is
    at most a day away, so the day-before reminder is due the moment the demo starts, at
    any hour (ADR 0091). From 17:00 on it is tomorrow; before 08:00 it is today at 17:00."""
    local = (current + timedelta(days=1)).astimezone(STOCKHOLM)
    local = local.replace(minute=local.minute - local.minute % 15, second=0, microsecond=0)
    if local.time() > DAY_ENDS:
        local = datetime.combine(local.date(), DAY_ENDS, tzinfo=STOCKHOLM)
    elif local.time() < DAY_STARTS:
        local = datetime.combine(local.date() - timedelta(days=1), DAY_ENDS, tzinfo=STOCKHOLM)
    return local.astimezone(UTC)


def refresh(db: Session) -> bool:
    """On a later `make run`: the demo meeting moves to the next slot again once it is not
    within a day (a new time, so its reminders are due anew). Returns True when it moved."""
    meeting = db.scalar(
        sa.select(Meeting)
        .join(Plan, Plan.id == Meeting.plan_id)
        .where(Plan.number == DEMO_PLAN, Meeting.status == MeetingStatus.PLANNED)
    )
    current = now()
    if meeting is None or current < meeting.starts_at <= current + timedelta(days=1):
        return False
    length = meeting.ends_at - meeting.starts_at if meeting.ends_at else timedelta(hours=1)
    meeting.starts_at = reminder_slot(current)
    meeting.ends_at = meeting.starts_at + length
    db.commit()
    return True


def _confirmed(w: World, account: Account, channel: str, address: str) -> None:
    w.db.add(
        ContactPoint(
            account=account,
            channel=channel,
            address=address,
            confirmed_at=now(),
            show_details=channel == "email",  # they chose to be told time and place by e-mail
        )
    )


def notices(w: World) -> None:
    admin = Staff(
        unit=w.units["ward"],
        given_name="Ylva",
        family_name="Ek",
        profession=Profession.UNIT_MANAGER,
        email="ylva.ek@norrsund.example",
        is_system_admin=True,
    )
    w.staff["ylva"] = admin
    w.accounts["ylva"] = Account(kind=AccountKind.STAFF, staff=admin)
    w.db.add_all([admin, w.accounts["ylva"]])
    for key, person in w.staff.items():
        _confirmed(w, w.accounts[key], "email", person.email)
    _confirmed(w, w.accounts["astrid"], "email", "astrid.lindqvist@example.se")
    _confirmed(w, w.accounts["karin"], "sms", "070-000 00 01")

    ingrid = w.individual(
        "ingrid", "Ingrid", "Sandberg", test_pin("19380914", "986"), "Ekvägen 5, Norrsund"
    )
    _confirmed(w, w.accounts["ingrid"], "email", "ingrid.sandberg@example.se")
    # Ingrid chose messages at any hour, so her reminder leaves at once whenever the demo starts
    w.accounts["ingrid"].quiet_hours = False
    plan = Plan(
        number=DEMO_PLAN,
        individual=ingrid,
        convener=w.staff["anders"],
        context=PlanContext.AT_HOME,
        state=PlanState.INVITED,
    )
    w.db.add(plan)
    w.consent(plan, ["hhc", "hh"], at(w.today - timedelta(days=3), 9), "anders")
    starts = reminder_slot(now())
    w.meeting(
        plan,
        MeetingKind.FIRST,
        starts,
        MeetingForm.HOME,
        ["anders", "sara"],
        place="Ekvägen 5, Norrsund",
        purpose="Planera stödet hemma.",
        invited_at=now() - timedelta(days=2),
    )
