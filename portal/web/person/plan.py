"""Min plan: goals in my words, who does what, what I do myself, follow-up, versions."""

from __future__ import annotations

from flask import render_template
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth.permissions import allow
from portal.models.audit_types import EventType
from portal.presenters.meetings import shown_meeting
from portal.rules.vocabulary import PlanState, Role
from portal.services import closing
from portal.services.deferrals import deferral_ended
from portal.services.person_view import PLAN_ROW, load_parts, overview, version_changes
from portal.web import kept
from portal.web.acting import acting_for_individual
from portal.web.person import blueprint, content_cache
from portal.web.person.loaders import PersonPlan, audit_read, load_plan_row


@blueprint.get("/plans/<int:plan_id>")
@allow(Role.INDIVIDUAL, Role.RELATIVE)
def plan(plan_id: int) -> str | Response:
    found = load_plan_row(plan_id, loads=PLAN_ROW)  # access decided here, every request
    if isinstance(found, Response):
        return found
    person_plan, generation = found
    row = person_plan.plan
    audit_read(row.individual, EventType.PLAN_READ, plan_id)  # audited on a hit too
    variant = (
        current_user.kind.value,
        "acting" if acting_for_individual() is not None else "own",
        "closed" if row.state is PlanState.CLOSED else "open",
        "write" if person_plan.may_write else "-",
        "prepare" if person_plan.may_prepare else "-",
        "consent" if person_plan.may_change_consent else "-",
        "content" if person_plan.may_see_meeting_content else "dates",
    )
    key = content_cache.key(
        plan_id=row.id,
        created=f"{row.created_at.timestamp():.6f}",
        counter=row.content_counter,
        generation=generation,
        locale=str(get_locale() or "sv"),
        variant=variant,
    )
    content = content_cache.cache().get_or_render(key, lambda: _render_content(person_plan))
    return render_template("person/plan.html", number=row.number, content=kept.filled(content))


def _render_content(found: PersonPlan) -> str:
    """The plan's content block: its parts loaded and rendered (a cache miss, ADR 0084)."""
    loaded = load_parts(found.plan)
    return kept.render(  # the viewer and the request refuse to be read in it (ADR 0120)
        "person/_plan_content.html",
        acting_for=acting_for_individual(),  # the plan's individual, or None: in the variant
        individual=found.individual,
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
