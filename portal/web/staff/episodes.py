"""Staff start a new plan for a new hospital episode, linked to the earlier one [000][004].

Decision: only staff of a health centre (the care contact in primary care [000]) start it,
and the one who starts it becomes its convener; everyone else is told who does it (403).
"""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth.kept_input import take
from portal.auth.permissions import allow
from portal.errors import render_error
from portal.models import Plan
from portal.rules.vocabulary import PlanContext, PlanState, Role
from portal.services.episodes import Episode, consented_units, start_new_episode
from portal.services.plans import PlanInputError
from portal.web import fields
from portal.web.fields import (
    COMING,
    NEAR,
    ChoiceField,
    DayField,
    EnumField,
    FlagField,
    MomentField,
    PortalForm,
)
from portal.web.htmx import after_post
from portal.web.staff import blueprint
from portal.web.staff.loaders import load_plan


class EpisodeForm(PortalForm):
    context = EnumField(PlanContext, required=True, missing=lambda: _("Välj var planen börjar."))
    previous = ChoiceField(("keep", "close"))
    ready_for_discharge_at = MomentField(window=NEAR)
    preliminary_discharge_on = DayField(window=NEAR)
    reassess_before_home_on = DayField(window=COMING)
    consent_confirmed = FlagField()


def _episode(plan: Plan, typed: PortalForm) -> tuple[Episode | None, dict[str, str]]:
    errors = typed.problems()
    previous = typed.value("previous")
    if plan.state is not PlanState.CLOSED and previous is None and "previous" not in errors:
        errors["previous"] = _("Välj vad som händer med den tidigare planen.")
    ready = typed.value("ready_for_discharge_at")
    preliminary = typed.value("preliminary_discharge_on")
    reassess = typed.value("reassess_before_home_on")
    if errors:
        return None, errors
    return Episode(
        context=typed.value("context"),
        ready_for_discharge_at=ready,
        preliminary_discharge_on=preliminary,
        reassess_before_home_on=reassess,
        close_previous=previous == "close",
        consent_confirmed=bool(typed.value("consent_confirmed")),
    ), {}


def _page(plan: Plan, form: object, errors: dict[str, object], kept: bool = False) -> str:
    return render_template(
        "staff/new_episode.html",
        plan=plan,
        contexts=list(PlanContext),
        units=consented_units(plan),
        form=form,
        errors=errors,
        kept=kept,
    )


@blueprint.route("/plans/<int:plan_id>/new-episode", methods=["GET", "POST"])
@allow(Role.STAFF)
def new_episode(plan_id: int) -> str | Response | tuple[str, int]:
    found = load_plan(plan_id)
    plan = found.plan
    if not found.may_start_episode:
        return render_error(
            403,
            _(
                "En ny plan efter en ny vårdepisod startas av fast vårdkontakt på "
                "hälsocentralen, som blir sammankallande. Kontakta hälsocentralen."
            ),
        )
    if request.method == "GET":
        kept = take(account_id=current_user.id, path=request.path)
        return _page(plan, kept or {}, {}, kept is not None)
    episode, errors = _episode(plan, fields.read(EpisodeForm, request.form))
    if episode is not None:
        try:
            new = start_new_episode(previous=plan, episode=episode, by=current_user)
        except PlanInputError as error:
            errors = {error.field: str(error.message)}
        else:
            return after_post(url_for("staff.plan", plan_id=new.id))
    return _page(plan, request.form, errors), 400
