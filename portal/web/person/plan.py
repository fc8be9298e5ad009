"""Min plan: goals in my words, who does what, what I do myself, follow-up, versions."""

from __future__ import annotations

from flask import render_template
from werkzeug.wrappers import Response

from portal.auth.permissions import allow
from portal.models.audit_types import EventType
from portal.presenters.meetings import shown_meeting
from portal.rules.vocabulary import PlanState, Role
from portal.services import closing
from portal.services.deferrals import deferral_ended
from portal.services.person_view import WHOLE_PLAN, overview, version_changes
from portal.web.person import blueprint
from portal.web.person.loaders import audit_read, load_plan


@blueprint.get("/plans/<int:plan_id>")
@allow(Role.INDIVIDUAL, Role.RELATIVE)
def plan(plan_id: int) -> str | Response:
    found = load_plan(plan_id, loads=WHOLE_PLAN)
    if isinstance(found, Response):
        return found
    individual, loaded = found.individual, found.plan
    audit_read(individual, EventType.PLAN_READ, plan_id)
    return render_template(
        "person/plan.html",
        individual=individual,
        view=overview(loaded),
        may_prepare=found.may_prepare,
        may_write=found.may_write,
        may_change_consent=found.may_change_consent,
        meetings={m.id: shown_meeting(m, found.may_see_meeting_content) for m in loaded.meetings},
        changes=version_changes(loaded),
        closed=closing.closed_summary(loaded),
        deferral_ended=deferral_ended(loaded),
        next_plans=closing.next_plans(loaded) if loaded.state is PlanState.CLOSED else [],
    )
