"""Min plan: goals in my words, who does what, what I do myself, follow-up, versions."""

from __future__ import annotations

from flask import abort, render_template
from werkzeug.wrappers import Response

from portal.auth.permissions import allow
from portal.rules.access import may_view_plan
from portal.rules.vocabulary import Role
from portal.services.person_view import overview, plans_of
from portal.web.person import blueprint
from portal.web.person.access import audit_read, focus_or_choose, plan_in_focus, viewer


@blueprint.get("/plans/<int:plan_id>")
@allow(Role.INDIVIDUAL, Role.RELATIVE)
def plan(plan_id: int) -> str | Response:
    individual = focus_or_choose()
    if isinstance(individual, Response):
        return individual
    _plan, facts = plan_in_focus(plan_id, individual)
    if not may_view_plan(viewer(), facts):
        abort(403)
    loaded = next(p for p in plans_of(individual.id) if p.id == plan_id)
    audit_read(individual, "plan", plan_id)
    return render_template("person/plan.html", individual=individual, view=overview(loaded))
