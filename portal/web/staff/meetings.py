"""Staff call a meeting (kallelse), read it as sent, change it with a version check, cancel it."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from portal import labels
from portal.auth.kept_input import take
from portal.auth.permissions import allow
from portal.models import Meeting, Plan
from portal.models.audit_types import EventType
from portal.rules.deadlines import days_until, invitation_due_date, invitation_overdue
from portal.rules.invitation import to_acknowledge
from portal.rules.vocabulary import MeetingForm, MeetingKind, MeetingStatus, PlanContext, Role
from portal.services import meetings, reads
from portal.services.meeting_history import history, last_change
from portal.services.meetings import InvitationRefusedError, VersionConflictError
from portal.services.plans import PlanInputError
from portal.services.preparations import shared_preparation_for
from portal.timeutil import now, today_stockholm
from portal.web import fields
from portal.web.fields import EnumField, PortalForm, RowVersionField, TextField, expected_version
from portal.web.htmx import after_post
from portal.web.staff import blueprint
from portal.web.staff._meeting_form import (
    InvitationForm,
    defaults,
    differences,
    filled_from,
    invitation_from,
    staff_label,
)
from portal.web.staff.loaders import (
    StaffPlan,
    load_changeable_meeting,
    load_meeting,
    load_plan,
    signed_in_viewer,
)


@blueprint.app_template_global()
def meeting_form_word(form: MeetingForm) -> str:
    """The form of a meeting as staff say it ("Hemma hos dig" is the individual's word)."""
    return labels.for_staff(form)


def deadline_notice(plan: Plan, kind: MeetingKind) -> dict[str, Any] | None:
    """After discharge the first invitation is sent at the latest 3 calendar days after the
    ready-for-discharge notice ([003], [004])."""
    ready = plan.ready_for_discharge_at
    if kind is not MeetingKind.FIRST or plan.context is not PlanContext.AFTER_DISCHARGE:
        return None
    if ready is None:
        return None
    due = invitation_due_date(ready)
    return {"due": due, "overdue": invitation_overdue(ready, now()), "days": days_until(due, now())}


def _page(
    plan: Plan,
    kind: MeetingKind,
    form: MultiDict[str, str],
    status: int = 200,
    meeting: Meeting | None = None,
    **extra: Any,
) -> tuple[str, int]:
    people = meetings.callable_staff(plan)
    html = render_template(
        "staff/meeting_form.html",
        plan=plan,
        individual=plan.individual,
        kind=kind,
        meeting=meeting,
        form=form,
        errors=extra.pop("errors", {}),
        conveners=meetings.possible_conveners(plan, current_user),
        callable_staff=people,
        relatives=meetings.relatives_of(plan.individual_id),
        forms=list(MeetingForm),
        staff_label=staff_label,
        deadline=deadline_notice(plan, kind) if meeting is None else None,
        preparation=_preparation(plan),
        **extra,
    )
    return html, status


class CancelForm(PortalForm):
    reason = TextField(max=2000, lines=True)
    row_version = RowVersionField()


def _preparation(plan: Plan) -> Any:
    return shared_preparation_for(signed_in_viewer(), plan, current_user.staff.unit_id)


class KindForm(PortalForm):
    """`?kind=` on a new meeting: a kind of meeting; any other word is a page that is not."""

    kind = EnumField(MeetingKind)


def _kind_for(found: StaffPlan) -> MeetingKind:
    asked = fields.read(KindForm, request.args)
    if asked.problems():
        abort(404)
    allowed = found.kinds_to_call()
    kind = asked.value("kind") or (allowed[0] if allowed else MeetingKind.FIRST)
    if not found.may_call(kind):
        abort(403)
    return kind


@blueprint.route("/plans/<int:plan_id>/meetings/new", methods=["GET", "POST"])
@allow(Role.STAFF)
def new_meeting(plan_id: int) -> Response | tuple[str, int]:
    found = load_plan(plan_id)
    plan = found.plan
    kind = _kind_for(found)
    if kind not in found.callable_kinds():
        flash(_("Det mötet är redan kallat eller kan inte kallas nu. Ändra det kallade mötet."))
        return redirect(url_for("staff.plan", plan_id=plan.id), code=303)
    if request.method == "GET":
        kept = take(account_id=current_user.id, path=request.path)
        form = kept or defaults(plan, kind, current_user, _preparation(plan))
        return _page(plan, kind, form, kept=kept is not None)
    conveners = meetings.possible_conveners(plan, current_user)
    typed = fields.read(InvitationForm, request.form)
    invitation, errors = invitation_from(typed, plan, current_user, conveners)
    if invitation is not None:
        try:
            meeting = meetings.invite(plan=plan, kind=kind, invitation=invitation, by=current_user)
        except InvitationRefusedError as refused:
            errors = {k: str(v) for k, v in refused.problems.items()}
        except PlanInputError as error:
            errors = {error.field: str(error.message)}
        else:
            flash(_("Kallelsen är skickad. Den enskilde ser mötet direkt i portalen."), "success")
            return after_post(url_for("staff.meeting", meeting_id=meeting.id))
    return _page(plan, kind, request.form, 400, errors=errors)


def _meeting_page(
    meeting: Meeting, found: StaffPlan, status: int = 200, **extra: Any
) -> tuple[str, int]:
    plan = found.plan
    deadline = deadline_notice(plan, meeting.kind)
    sent = meeting.invited_at
    html = render_template(
        "staff/meeting.html",
        meeting=meeting,
        plan=plan,
        individual=plan.individual,
        facts=found.facts,
        may_change=found.may_change(meeting),
        must_acknowledge={p.id for p in to_acknowledge(meeting.participants, meeting.convener_id)},
        history=history(meeting),
        deadline=deadline,
        sent_late=bool(deadline and sent and today_stockholm(sent) > deadline["due"]),
        form=extra.pop("form", {}),
        errors=extra.pop("errors", {}),
        **extra,
    )
    return html, status


@blueprint.get("/meetings/<int:meeting_id>")
@allow(Role.STAFF)
def meeting(meeting_id: int) -> tuple[str, int]:
    found, staff_plan = load_meeting(meeting_id)
    plan = staff_plan.plan
    reads.read(
        type=EventType.MEETING_READ,
        by=current_user,
        subject_individual_id=plan.individual_id,
        object_type="meeting",
        object_id=found.id,
    )
    return _meeting_page(found, staff_plan)


@blueprint.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@allow(Role.STAFF)
def edit_meeting(meeting_id: int) -> Response | tuple[str, int]:
    found, staff_plan = load_changeable_meeting(meeting_id)
    plan = staff_plan.plan
    if found.status is not MeetingStatus.PLANNED:
        flash(_("Mötet är redan genomfört eller inställt och kan inte ändras."))
        return redirect(url_for("staff.meeting", meeting_id=found.id), code=303)
    if request.method == "GET":
        kept = take(account_id=current_user.id, path=request.path)
        return _page(plan, found.kind, kept or filled_from(found), meeting=found, kept=bool(kept))
    conveners = meetings.possible_conveners(plan, current_user)
    typed = fields.read(InvitationForm, request.form)
    invitation, errors = invitation_from(typed, plan, current_user, conveners)
    if invitation is not None:
        try:
            meetings.reschedule(
                meeting=found,
                expected_version=expected_version(),
                invitation=invitation,
                by=current_user,
            )
        except VersionConflictError as conflict:
            return _conflict(staff_plan, conflict.meeting)
        except InvitationRefusedError as refused:
            errors = {k: str(v) for k, v in refused.problems.items()}
        except PlanInputError as error:
            errors = {error.field: str(error.message)}
        else:
            flash(_("Kallelsen är ändrad. De kallade kvitterar den på nytt."), "success")
            return after_post(url_for("staff.meeting", meeting_id=found.id))
    return _page(plan, found.kind, request.form, 400, meeting=found, errors=errors)


def _conflict(found: StaffPlan, saved: Meeting) -> tuple[str, int]:
    """Both versions side by side; what was typed stays in the form, now at the saved version,
    so saving again applies it over the other person's change."""
    plan = found.plan
    typed = MultiDict(request.form)
    typed.setlist("row_version", [str(saved.row_version)])
    people = meetings.possible_conveners(plan, current_user)
    compared = differences(typed, saved, people, meetings.relatives_of(plan.individual_id))
    if saved.status is not MeetingStatus.PLANNED:
        return _meeting_page(saved, found, 409, conflict=compared, changed_by=last_change(saved))
    return _page(
        plan,
        saved.kind,
        typed,
        409,
        meeting=saved,
        conflict=compared,
        changed_by=last_change(saved),
    )


@blueprint.post("/meetings/<int:meeting_id>/cancel")
@allow(Role.STAFF)
def cancel_meeting(meeting_id: int) -> Response | tuple[str, int]:
    found, staff_plan = load_changeable_meeting(meeting_id)
    plan = staff_plan.plan
    typed = fields.read(CancelForm)
    errors = typed.problems()
    if errors:
        return _meeting_page(found, staff_plan, 400, form=request.form, errors=errors)
    try:
        meetings.cancel(
            meeting=found,
            expected_version=typed.value("row_version"),
            reason=typed.value("reason"),
            by=current_user,
        )
    except VersionConflictError as conflict:
        return _meeting_page(
            conflict.meeting,
            staff_plan,
            409,
            form=request.form,
            stale=True,
            changed_by=last_change(conflict.meeting),
        )
    except PlanInputError as error:
        return _meeting_page(
            found, staff_plan, 400, form=request.form, errors={"reason": str(error.message)}
        )
    flash(_("Mötet är inställt. Den enskilde och de kallade ser det."), "success")
    return after_post(url_for("staff.plan", plan_id=plan.id))
