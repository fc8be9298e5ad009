"""Kalender: a meeting or follow-up as .ics, and a private subscription feed of my dates."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal import db
from portal.auth.permissions import allow
from portal.models import FollowUp, Individual, Meeting, Plan
from portal.models.audit_types import EventType
from portal.rules.vocabulary import Role
from portal.services import calendar
from portal.services.person_view import SUMMARY
from portal.web import nav
from portal.web.person import blueprint
from portal.web.person.loaders import (
    Need,
    audit_read,
    dated_plans,
    focus_or_choose,
    load_plan,
    on_behalf_of,
)

PERSON = (Role.INDIVIDUAL, Role.RELATIVE)
NEW_FEED = "new_calendar_feed"
nav.register("person.calendar_page", _l("Kalender"), 40, *PERSON)


def _dates_of(plan_id: int) -> tuple[Individual, Plan] | Response:
    found = load_plan(plan_id, Need.DATES)
    if isinstance(found, Response):
        return found
    return found.individual, found.plan


def _ics(data: bytes, name: str) -> Response:
    response = Response(data, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    return response


@blueprint.get("/plans/<int:plan_id>/meetings/<int:meeting_id>/calendar.ics")
@allow(*PERSON)
def meeting_ics(plan_id: int, meeting_id: int) -> Response:
    found = _dates_of(plan_id)
    if isinstance(found, Response):
        return found
    individual, plan = found
    meeting = db.session().get(Meeting, meeting_id)
    if meeting is None or meeting.plan_id != plan.id:
        abort(404)
    audit_read(individual, EventType.MEETING_ICS_READ, meeting.id)
    return _ics(calendar.meeting_ics(meeting), f"sip-mote-{meeting.starts_at:%Y-%m-%d}")


@blueprint.get("/plans/<int:plan_id>/follow-ups/<int:follow_up_id>/calendar.ics")
@allow(*PERSON)
def follow_up_ics(plan_id: int, follow_up_id: int) -> Response:
    found = _dates_of(plan_id)
    if isinstance(found, Response):
        return found
    individual, plan = found
    follow_up = db.session().get(FollowUp, follow_up_id)
    if follow_up is None or follow_up.plan_id != plan.id:
        abort(404)
    audit_read(individual, EventType.FOLLOW_UP_ICS_READ, follow_up.id)
    return _ics(calendar.follow_up_ics(follow_up), f"sip-uppfoljning-{follow_up.due_on}")


@blueprint.get("/calendar")
@allow(*PERSON)
def calendar_page() -> str | Response:
    individual = focus_or_choose()
    if isinstance(individual, Response):
        return individual
    token = session.pop(NEW_FEED, None)
    shown = [found.plan for found in dated_plans(individual.id, SUMMARY)]
    audit_read(individual, EventType.CALENDAR_READ)
    return render_template(
        "person/calendar.html",
        individual=individual,
        dates=calendar.upcoming(shown),
        feed=calendar.open_feed(account=current_user, individual_id=individual.id),
        feed_url=url_for("public.calendar_feed", key=token, _external=True) if token else None,
    )


@blueprint.post("/calendar")
@allow(*PERSON)
def create_feed() -> Response:
    individual = focus_or_choose()
    if isinstance(individual, Response):
        return individual
    session[NEW_FEED] = calendar.new_feed(
        account=current_user, individual_id=individual.id, on_behalf_of=on_behalf_of(individual)
    )
    return redirect(url_for("person.calendar_page"), code=303)


@blueprint.post("/calendar/revoke")
@allow(*PERSON)
def revoke_feed() -> Response:
    individual = focus_or_choose()
    if isinstance(individual, Response):
        return individual
    calendar.revoke_feed(
        account=current_user, individual_id=individual.id, on_behalf_of=on_behalf_of(individual)
    )
    flash(_("Länken är avstängd. Kalendern får inga fler mötestider från den."), "success")
    return redirect(url_for("person.calendar_page"), code=303)
