"""Helpers for the meeting invitation tests: the demo's people by name, a filled-in form."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import Account, Individual, Meeting, Plan, Relative, Staff
from portal.rules.vocabulary import MeetingStatus, PlanState
from portal.timeutil import today_stockholm


def staff_id(app: Flask, given_name: str) -> int:
    with app.app_context():
        return db.session().scalar(sa.select(Staff.id).where(Staff.given_name == given_name))


def relative_id(app: Flask, given_name: str) -> int:
    with app.app_context():
        return db.session().scalar(sa.select(Relative.id).where(Relative.given_name == given_name))


def account_id_of_individual(app: Flask, given_name: str) -> int:
    with app.app_context():
        return db.session().scalar(
            sa.select(Account.id).join(Individual).where(Individual.given_name == given_name)
        )


def current_plan_id(app: Flask, given_name: str) -> int:
    with app.app_context():
        return db.session().scalar(
            sa.select(Plan.id)
            .join(Individual)
            .where(Individual.given_name == given_name, Plan.state != PlanState.CLOSED)
        )


def planned_meeting_id(app: Flask, plan_id: int) -> int:
    with app.app_context():
        return db.session().scalar(
            sa.select(Meeting.id).where(
                Meeting.plan_id == plan_id, Meeting.status == MeetingStatus.PLANNED
            )
        )


def weekday_in(days: int) -> date:
    """A Monday–Friday at least `days` from today (Stockholm)."""
    day = today_stockholm() + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def invitation_form(app: Flask, **changes: Any) -> dict[str, Any]:
    """A complete invitation from Eva calling Lena and Anders to Astrid's home, Karin invited."""
    form = {
        "purpose": "Planera hjälpen hemma efter höftoperationen.",
        "questions": "Dusch, inköp, träning.",
        "convener": str(staff_id(app, "Eva")),
        "called": [str(staff_id(app, "Lena")), str(staff_id(app, "Anders"))],
        "invited": [str(relative_id(app, "Karin"))],
        "other_invited": "Grannen Sven",
        "day": weekday_in(7).isoformat(),
        "starts": "10:00",
        "ends": "11:00",
        "form": "home",
        "place": "Storgatan 14, Norrsund",
        "join_info": "",
    }
    form.update(changes)
    return form
