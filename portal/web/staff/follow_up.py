"""Staff: follow up a plan — evaluate each goal, revise into a new draft, book the next date."""

from __future__ import annotations

from typing import Any

from flask import flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from portal import db
from portal.auth.kept_input import take
from portal.auth.permissions import allow
from portal.models import Plan, PlanVersion
from portal.rules.plan_content import MAX_TEXT
from portal.rules.vocabulary import Approval, GoalEvaluation, Role
from portal.services.follow_ups import FollowUpRecord, record_follow_up
from portal.services.meeting_records import (
    StaleEditError,
)
from portal.web import fields
from portal.web.fields import EnumField, PortalForm, TextField, expected_version
from portal.web.htmx import after_post
from portal.web.staff import blueprint
from portal.web.staff._record_form import (
    adding,
    form_from_version,
    parse_content,
    parse_evaluations,
)
from portal.web.staff._saving import save_edit
from portal.web.staff.loaders import load_plan_to_follow_up
from portal.web.staff.records import audit_read, editor_context

Page = str | tuple[str, int] | Response


class ApprovalForm(PortalForm):
    """The individual's answer to the changes [004]; a missing answer is the rule's to refuse."""

    approval = EnumField(Approval)
    approval_note = TextField(max=MAX_TEXT, lines=True)


def _plan(plan_id: int) -> tuple[Plan, PlanVersion]:
    return load_plan_to_follow_up(plan_id)


def _page(plan: Plan, evaluated: PlanVersion, form: MultiDict, **extra: Any) -> str:
    return render_template(
        "staff/follow_up.html",
        plan=plan,
        evaluated=evaluated,
        evaluations=list(GoalEvaluation),
        approvals=list(Approval),
        row_version=extra.pop("row_version", plan.row_version),
        errors=extra.pop("errors", {}),
        **editor_context(plan, None, form),
        **extra,
    )


def _prefill(plan: Plan, evaluated: PlanVersion) -> MultiDict:
    """The revision starts from the newest version (an unsigned draft keeps its changes)."""
    form = form_from_version(plan.versions[-1], with_summary=False)
    form.pop("follow_up_on", None)  # the next date is decided at this follow-up
    for done in plan.versions[-1].evaluated_goals:  # a draft from this follow-up, re-opened
        form[f"evaluation-{done.goal_id}"] = done.evaluation.value
        form[f"comment-{done.goal_id}"] = done.comment
    return form


@blueprint.get("/plans/<int:plan_id>/follow-up")
@allow(Role.STAFF)
def follow_up(plan_id: int) -> Page:
    plan, evaluated = _plan(plan_id)
    audit_read(plan, object_type="plan_version", object_id=evaluated.id)
    kept = take(account_id=current_user.id, path=request.path)
    return _page(plan, evaluated, kept or _prefill(plan, evaluated), kept=kept is not None)


@blueprint.post("/plans/<int:plan_id>/follow-up")
@allow(Role.STAFF)
def save_follow_up(plan_id: int) -> Page:
    plan, evaluated = _plan(plan_id)
    expected = expected_version(request.form)
    if adding(request.form):
        return _page(plan, evaluated, request.form, row_version=expected)
    content, errors = parse_content(request.form)
    goal_ids = [goal.id for goal in evaluated.goals]
    evaluations, comments = parse_evaluations(request.form, goal_ids, errors)
    approval = fields.read(ApprovalForm, request.form)
    errors |= approval.problems()
    if errors:
        return _page(plan, evaluated, request.form, errors=errors, row_version=expected), 400
    data = FollowUpRecord(
        content=content,
        evaluations=evaluations,
        comments=comments,
        approval=approval.value("approval"),
        approval_note=approval.value("approval_note") or "",
    )

    def done(draft: PlanVersion) -> Page:
        flash(
            _(
                "Uppföljningen är sparad. Den nya versionen, %(n)s, väntar på signering.",
                n=draft.number,
            ),
            "success",
        )
        return after_post(url_for("staff.plan", plan_id=plan.id, _anchor="versions"))

    def newest(_stale: StaleEditError) -> PlanVersion:
        fresh = db.session().get(Plan, plan_id)
        assert fresh is not None
        return fresh.versions[-1]

    return save_edit(
        lambda: record_follow_up(
            plan=plan, record=data, by=current_user, expected_version=expected
        ),
        done,
        again=lambda **shown: _page(plan, evaluated, request.form, **shown),
        conflict=newest,
        expected=expected,
    )
