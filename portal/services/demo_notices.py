"""Demo data for reaching people (ADR 0090): confirmed addresses, a system administrator,
and a meeting tomorrow, so that a reminder leaves within minutes of `make run`.

Addresses are fictional (example.se, numbers in the 070-000 range).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from portal.models import ContactPoint, Plan, Staff
from portal.models.people import Account
from portal.rules.vocabulary import (
    AccountKind,
    MeetingForm,
    MeetingKind,
    PlanContext,
    PlanState,
    Profession,
)
from portal.services.demo_world import World, at, test_pin
from portal.timeutil import STOCKHOLM, now


def tomorrow_within_a_day(current: datetime) -> datetime:
    """A time tomorrow that is less than a day away (so the day-before reminder is due now),
    and not before 08:00."""
    local = current.astimezone(STOCKHOLM) + timedelta(days=1) - timedelta(minutes=15)
    local = local.replace(minute=local.minute - local.minute % 15, second=0, microsecond=0)
    earliest = datetime.combine(local.date(), time(8, 0), tzinfo=STOCKHOLM)
    return max(local, earliest).astimezone(UTC)


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
    plan = Plan(
        number="SIP-2026-0014",
        individual=ingrid,
        convener=w.staff["anders"],
        context=PlanContext.AT_HOME,
        state=PlanState.INVITED,
    )
    w.db.add(plan)
    w.consent(plan, ["hhc", "hh"], at(w.today - timedelta(days=3), 9), "anders")
    starts = tomorrow_within_a_day(now())
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
