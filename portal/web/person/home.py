"""Min SIP: what is happening now, the next meeting and follow-up, who leads, consent."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth.permissions import allow
from portal.models.audit_types import EventType
from portal.presenters.meetings import shown_meeting
from portal.rules.vocabulary import Role
from portal.services.notifications import mark_read
from portal.services.person_home import read_home
from portal.services.person_view import PLAN_ROW
from portal.web import nav
from portal.web.person import blueprint
from portal.web.person.loaders import audit_read, dated_plans, focus_or_choose, may_change_consent

PERSON = (Role.INDIVIDUAL, Role.RELATIVE)
nav.register("person.home", _l("Min SIP"), 10, *PERSON, acting_label=_l("SIP för %(name)s"))


@blueprint.get("/")
@allow(*PERSON)
def home() -> str | Response:
    individual = focus_or_choose()
    if isinstance(individual, Response):
        return individual
    found = dated_plans(individual.id, PLAN_ROW)
    home_read = read_home(
        [p.plan for p in found],
        {p.plan.id: p.facts for p in found},
        reader=current_user,
        in_full={p.plan.id for p in found if p.may_view},
        meeting_content={p.plan.id for p in found if p.may_see_meeting_content},
        prepare={p.plan.id for p in found if p.may_prepare},
    )
    shown, consents, next_meetings = [], {}, {}
    for person_plan, view in zip(found, home_read.summaries, strict=True):
        plan_id = view.plan.id
        shown.append((view, person_plan.may_view))
        consents[plan_id] = person_plan.consent_count
        if view.next_meeting:
            next_meetings[plan_id] = shown_meeting(
                view.next_meeting, person_plan.may_see_meeting_content
            )
    # Everything read first, then the read recorded: its commit ends the only transaction
    # (no second BEGIN … ROLLBACK for the reads after it on PostgreSQL, ADR 0103).
    audit_read(individual, EventType.HOME_READ)
    return render_template(
        "person/home.html",
        waiting=home_read.waiting,
        individual=individual,
        plans=shown,
        to_prepare=home_read.to_prepare,
        consents=consents,
        next_meetings=next_meetings,
        may_change_consent=may_change_consent(individual),
        news={
            plan_id: [n for n in home_read.news if n.plan_id == plan_id]
            for plan_id, _ in consents.items()
        },
    )


@blueprint.post("/plans/<int:plan_id>/seen")
@allow(*PERSON)
def notifications_seen(plan_id: int) -> Response:
    """ "Jag har sett det": the messages about this plan are read (only one's own)."""
    mark_read(account=current_user, plan_id=plan_id)
    return redirect(url_for("person.home"), 303)
