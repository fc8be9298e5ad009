"""Min SIP: what is happening now, the next meeting and follow-up, who leads, consent."""

from __future__ import annotations

from flask import render_template
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from portal.auth.permissions import allow
from portal.rules.access import may_prepare, may_see_meeting_dates, may_view_plan
from portal.rules.vocabulary import Role
from portal.services.consent import units_of
from portal.services.person_view import overview, plans_of
from portal.services.preparations import current_preparation
from portal.services.viewers import plan_facts
from portal.web import nav
from portal.web.person import blueprint
from portal.web.person.access import audit_read, focus_or_choose, viewer

PERSON = (Role.INDIVIDUAL, Role.RELATIVE)
nav.register("person.home", _l("Min SIP"), 10, *PERSON)


@blueprint.get("/")
@allow(*PERSON)
def home() -> str | Response:
    individual = focus_or_choose()
    if isinstance(individual, Response):
        return individual
    who = viewer()
    shown, to_prepare, consents = [], set(), {}
    for plan in plans_of(individual.id):
        facts = plan_facts(plan)
        if not may_see_meeting_dates(who, facts):
            continue
        view = overview(plan)
        shown.append((view, may_view_plan(who, facts)))
        consents[plan.id] = (len(facts.consented_unit_ids), len(units_of(plan)))
        if view.next_meeting and may_prepare(who, facts):
            preparation = current_preparation(plan)
            if preparation is None or preparation.shared_at is None:
                to_prepare.add(plan.id)
    audit_read(individual, "home")
    return render_template(
        "person/home.html",
        individual=individual,
        plans=shown,
        to_prepare=to_prepare,
        consents=consents,
    )
