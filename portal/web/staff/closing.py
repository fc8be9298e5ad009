"""Staff close a plan with a reason [000][004]; the plan page shows the closed summary and links.

Only the reasons `portal.rules.closing` allows this staff member in the plan's state are
offered, each with one line of plain explanation.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth.kept_input import take
from portal.auth.permissions import allow
from portal.errors import render_error
from portal.models import Plan
from portal.rules.vocabulary import CloseReason, PlanState, Role
from portal.services import closing
from portal.services.plans import PlanInputError
from portal.web import fields
from portal.web.fields import EnumField, PortalForm, TextField
from portal.web.htmx import after_post
from portal.web.staff import blueprint
from portal.web.staff.loaders import StaffPlan, load_plan

REASON_HELP: dict[CloseReason, object] = {
    CloseReason.GOALS_MET: _l("Personens mål i planen är uppfyllda."),
    CloseReason.NO_LONGER_NEEDED: _l(
        "Personen behöver inte längre insatser från både region och kommun som samordnas."
    ),
    CloseReason.NO_LONGER_WANTED: _l("Personen vill inte längre ha en samordnad plan."),
    CloseReason.CONSENT_WITHDRAWN: _l(
        "Personen har återkallat sitt samtycke till alla enheter. Det antecknas som muntligt "
        "återkallat i dag."
    ),
    CloseReason.DECEASED: _l(
        "Personen har avlidit. Närstående får inga fler meddelanden från portalen."
    ),
    CloseReason.ONLY_SOCIAL_INTERVENTIONS: _l(
        "Efter första mötet finns bara sociala insatser (SoL, LSS) kvar."
    ),
    CloseReason.HOME_HEALTH_ENDED: _l("Hemsjukvårdsinsatsen har avslutats."),
}


class CloseForm(PortalForm):
    """Which reason is allowed for whom is the service's rule; the form knows the vocabulary."""

    reason = EnumField(CloseReason)
    note = TextField(max=2000, lines=True)


@dataclass(frozen=True)
class PlanClosing:
    """What the plan page's closing section needs."""

    may_close: bool
    summary: closing.ClosedSummary | None
    previous: Plan | None
    previous_visible: bool
    next_plans: list[tuple[Plan, bool]]  # (plan, may this staff member open it)
    may_start_episode: bool


def plan_closing(found: StaffPlan, *, later_plans: bool = True) -> PlanClosing:
    """`later_plans`: whether any plan was started after this one (False: none to look for)."""
    plan, visible = found.plan, found.sees
    previous = plan.previous_plan
    later = closing.next_plans(plan) if later_plans else []
    return PlanClosing(
        may_close=found.may_close,
        summary=closing.closed_summary(plan),
        previous=previous,
        previous_visible=previous is not None and visible(previous),
        next_plans=[(p, visible(p)) for p in later],
        may_start_episode=found.may_start_episode,
    )


def _page(plan: Plan, reasons: frozenset[CloseReason], form: object, errors: dict) -> str:
    offered = [r for r in CloseReason if r in reasons]
    return render_template(
        "staff/close_plan.html",
        plan=plan,
        reasons=offered,
        help=REASON_HELP,
        form=form,
        errors=errors,
    )


@blueprint.route("/plans/<int:plan_id>/close", methods=["GET", "POST"])
@allow(Role.STAFF)
def close_plan(plan_id: int) -> str | Response | tuple[str, int]:
    found = load_plan(plan_id)
    plan = found.plan
    if plan.state is PlanState.CLOSED:
        return redirect(url_for("staff.plan", plan_id=plan.id), code=303)
    reasons = found.close_reasons
    if not reasons:
        return render_error(
            403,
            _(
                "Planen avslutas av samordningsansvarig, eller av den som är sammankallande "
                "innan någon samordningsansvarig är utsedd."
            ),
        )
    if request.method == "GET":
        kept = take(account_id=current_user.id, path=request.path)
        return _page(plan, reasons, kept or {}, {})
    typed = fields.read(CloseForm)
    errors = typed.problems()
    if errors:
        return _page(plan, reasons, request.form, errors), 400
    try:
        closing.close_plan(
            plan=plan, reason=typed.value("reason"), note=typed.value("note"), by=current_user
        )
    except PlanInputError as error:
        return _page(plan, reasons, request.form, {error.field: error.message}), 400
    return after_post(url_for("staff.plan", plan_id=plan.id))
