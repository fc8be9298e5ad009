"""Min plan: goals in my words, who does what, what I do myself, follow-up, versions."""

from __future__ import annotations

from flask import render_template
from werkzeug.wrappers import Response

from portal.auth.permissions import allow
from portal.models.audit_types import EventType
from portal.rules.access import may_change_consent, may_prepare, may_write_requests
from portal.rules.vocabulary import PlanState, Role
from portal.services import closing
from portal.services.deferrals import deferral_ended
from portal.services.person_view import load_plan, overview, version_changes
from portal.services.viewers import plan_facts
from portal.web.person import blueprint
from portal.web.person.access import audit_read, viewable_plan, viewer


@blueprint.get("/plans/<int:plan_id>")
@allow(Role.INDIVIDUAL, Role.RELATIVE)
def plan(plan_id: int) -> str | Response:
    found = viewable_plan(plan_id)
    if isinstance(found, Response):
        return found
    individual, plan = found
    loaded = load_plan(plan.id)
    audit_read(individual, EventType.PLAN_READ, plan_id)
    facts, who = plan_facts(plan), viewer()
    return render_template(
        "person/plan.html",
        individual=individual,
        view=overview(loaded),
        may_prepare=may_prepare(who, facts),
        may_write=may_write_requests(who, facts),
        may_change_consent=may_change_consent(who, individual.id)
        and plan.state is not PlanState.CLOSED,
        changes=version_changes(loaded),
        closed=closing.closed_summary(loaded),
        deferral_ended=deferral_ended(loaded),
        next_plans=closing.next_plans(loaded) if loaded.state is PlanState.CLOSED else [],
    )
