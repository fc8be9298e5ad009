"""Min SIP: what is happening now, the next meeting and follow-up, who leads, consent."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth.permissions import allow
from portal.models.audit_types import EventType
from portal.rules.access import (
    may_change_consent,
    may_prepare,
    may_see_meeting_dates,
    may_view_plan,
)
from portal.rules.vocabulary import Role
from portal.services.notifications import mark_read, unread_for
from portal.services.person_view import SUMMARY, overview, plans_of
from portal.services.preparations import current_preparation
from portal.services.requests import unanswered_by_plan
from portal.services.viewers import plan_facts_many
from portal.web import nav
from portal.web.person import blueprint
from portal.web.person.access import audit_read, focus_or_choose, viewer

PERSON = (Role.INDIVIDUAL, Role.RELATIVE)
nav.register("person.home", _l("Min SIP"), 10, *PERSON, acting_label=_l("SIP för %(name)s"))


@blueprint.get("/")
@allow(*PERSON)
def home() -> str | Response:
    individual = focus_or_choose()
    if isinstance(individual, Response):
        return individual
    who = viewer()
    shown, to_prepare, consents = [], set(), {}
    plans = plans_of(individual.id, SUMMARY)
    all_facts = plan_facts_many(plans)
    for plan in plans:
        facts = all_facts[plan.id]
        if not may_see_meeting_dates(who, facts):
            continue
        view = overview(plan)
        shown.append((view, may_view_plan(who, facts)))
        consents[plan.id] = (len(facts.consented_unit_ids), len(facts.participating_unit_ids))
        if view.next_sip_meeting and may_prepare(who, facts):
            preparation = current_preparation(plan)
            if preparation is None or preparation.shared_at is None:
                to_prepare.add(plan.id)
    audit_read(individual, EventType.HOME_READ)
    news = unread_for(current_user, [view.plan.id for view, _full in shown])
    return render_template(
        "person/home.html",
        waiting=unanswered_by_plan([view.plan.id for view, full in shown if full]),
        individual=individual,
        plans=shown,
        to_prepare=to_prepare,
        consents=consents,
        may_change_consent=may_change_consent(who, individual.id),
        news={
            plan_id: [n for n in news if n.plan_id == plan_id] for plan_id, _ in consents.items()
        },
    )


@blueprint.post("/plans/<int:plan_id>/seen")
@allow(*PERSON)
def notifications_seen(plan_id: int) -> Response:
    """ "Jag har sett det": the messages about this plan are read (only one's own)."""
    mark_read(account=current_user, plan_id=plan_id)
    return redirect(url_for("person.home"), 303)
