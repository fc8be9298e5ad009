"""Staff: record the first meeting (plan content, attendance, coordinator) and edit a draft.

The form works without JavaScript: "add" buttons post the page back with one more row and
everything typed kept. A stale save (someone saved in between) shows what they saved beside
the input, which is kept.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from portal import db, labels
from portal.auth.kept_input import take
from portal.auth.permissions import allow
from portal.models import Meeting, Plan, PlanVersion, Unit
from portal.models.audit_types import EventType
from portal.rules.vocabulary import (
    LegalBasis,
    MeetingForm,
    MeetingKind,
    MeetingStatus,
    Role,
    VersionStatus,
)
from portal.services import reads
from portal.services.coordinators import (
    CoordinatorChoice,
    coordinator_choice,
    typed_interventions,
)
from portal.services.meeting_records import (
    MeetingRecord,
    StaleEditError,
    content_units,
    save_draft,
    shared_preparation,
    staff_of_content_units,
)
from portal.services.meeting_records import (
    record_meeting as record,
)
from portal.services.requests import current_wish
from portal.web import fields
from portal.web.fields import FlagField, PortalForm, expected_version, form_class
from portal.web.htmx import after_post, render
from portal.web.staff import blueprint
from portal.web.staff._record_form import (
    RecordForm,
    adding,
    form_from_version,
    parse_content,
    rows,
    summary_of,
    yes_no,
)
from portal.web.staff._saving import save_edit
from portal.web.staff.loaders import Need, load_meeting_to_record, load_version

Page = str | tuple[str, int] | Response


def editor_context(plan: Plan, meeting: Meeting | None, form: MultiDict) -> dict[str, Any]:
    """What the plan editor (templates/staff/_plan_editor.html) needs to show its choices."""
    units = content_units(plan, meeting)
    found = db.session().scalars(
        sa.select(Unit).where(Unit.id.in_(list(units.principal_of))).order_by(Unit.name)
    )
    people = staff_of_content_units(units)
    return {
        "form": form,
        "rows": rows(form),
        "people": people,
        "unit_options": [(str(u.id), u.name) for u in found],
        "people_options": [(str(s.id), f"{s.name}, {s.unit.name}") for s in people],
        "basis_options": [(b.value, b.value) for b in LegalBasis],
        "form_options": [(m.value, labels.for_staff(m)) for m in MeetingForm],
    }


def audit_read(plan: Plan, object_type: str, object_id: int) -> None:
    reads.read(
        type=EventType.PLAN_READ,
        by=current_user,
        subject_individual_id=plan.individual_id,
        object_type=object_type,
        object_id=object_id,
    )


def _meeting(meeting_id: int) -> Meeting:
    """A first meeting this staff member may record (404 unseen, 403 not theirs to lead)."""
    return load_meeting_to_record(meeting_id, MeetingKind.FIRST)


def _suggested(meeting: Meeting, form: MultiDict) -> CoordinatorChoice:
    """The coordinator suggestion from the interventions typed so far (issue 13 point 4)."""
    content, _problems = parse_content(form)
    return coordinator_choice(
        meeting.plan, typed=typed_interventions(meeting.plan, meeting, content)
    )


def _record_context(meeting: Meeting, form: MultiDict, **extra: Any) -> dict[str, Any]:
    plan = meeting.plan
    choice = _suggested(meeting, form)
    return dict(
        meeting=meeting,
        plan=plan,
        preparation=shared_preparation(current_user, meeting),
        wish=current_wish(plan),
        choice=choice,
        coordinator_options=[(str(s.id), f"{s.name}, {s.unit.name}") for s in choice.candidates],
        row_version=extra.pop("row_version", meeting.row_version),
        errors=(errors := extra.pop("errors", {})),
        error_summary=summary_of(errors),
        **editor_context(plan, meeting, form),
        **extra,
    )


def _record_page(meeting: Meeting, form: MultiDict, **extra: Any) -> str:
    return render_template("staff/record_meeting.html", **_record_context(meeting, form, **extra))


@blueprint.post("/meetings/<int:meeting_id>/record/suggestion")
@allow(Role.STAFF)
def record_suggestion(meeting_id: int) -> Response:
    """The suggestion again, from what is typed: the fragment for htmx as interventions are
    entered, the whole page (everything typed kept) for the form's button without JavaScript."""
    return _suggestion_page(_meeting(meeting_id), request.form)


def _suggestion_page(meeting: Meeting, form: MultiDict) -> Response:
    return render(
        "staff/record_meeting.html",
        "staff/_record_suggestion.html",
        **_record_context(meeting, form, row_version=expected_version(form)),
    )


@blueprint.get("/meetings/<int:meeting_id>/record")
@allow(Role.STAFF)
def record_meeting(meeting_id: int) -> Page:
    meeting = _meeting(meeting_id)
    if meeting.status is not MeetingStatus.PLANNED:
        flash(_("Mötet är redan dokumenterat."), "success")
        return after_post(url_for("staff.plan", plan_id=meeting.plan_id))
    audit_read(meeting.plan, object_type="meeting", object_id=meeting.id)
    kept = take(account_id=current_user.id, path=request.path)
    everyone = [(f"attended-{p.id}", "yes") for p in meeting.participants]
    form = kept or MultiDict([("individual_present", "yes"), *everyone])
    return _record_page(meeting, form, kept=kept is not None)


def _attendance_form(meeting: Meeting) -> type[PortalForm]:
    """One checkbox per person called (`attended-<participant id>`), as the page shows them."""
    return form_class(
        "AttendanceForm", {f"attended-{p.id}": FlagField() for p in meeting.participants}
    )


def read_meeting_record(meeting: Meeting, form: MultiDict, errors: dict[str, str]) -> MeetingRecord:
    """The record as posted: the plan content, the record's own fields, who attended."""
    content, parse_errors = parse_content(form)
    errors |= parse_errors
    typed = fields.read(RecordForm, form)
    errors |= typed.problems()
    attendance = fields.read(_attendance_form(meeting), form)
    errors |= attendance.problems()
    return MeetingRecord(
        content=content,
        notes=typed.value("notes") or "",
        attended={p.id: True for p in meeting.participants if attendance.value(f"attended-{p.id}")},
        individual_present=yes_no(typed.value("individual_present")),
        coordinator_id=typed.value("coordinator"),
        coordinator_reason=typed.value("coordinator_reason") or "",
        wish_met=yes_no(typed.value("wish_met")),
    )


@blueprint.post("/meetings/<int:meeting_id>/record")
@allow(Role.STAFF)
def save_meeting_record(meeting_id: int) -> Page:
    meeting = _meeting(meeting_id)
    expected = expected_version(request.form)
    if adding(request.form):
        return _record_page(meeting, request.form, row_version=expected)
    errors: dict[str, str] = {}
    data = read_meeting_record(meeting, request.form, errors)
    if errors:
        return _record_page(meeting, request.form, errors=errors, row_version=expected), 400

    def done(draft: PlanVersion) -> Page:
        flash(
            _(
                "Mötet är dokumenterat. Utkastet, version %(n)s, väntar på signering.",
                n=draft.number,
            )
        )
        return after_post(url_for("staff.plan", plan_id=meeting.plan_id, _anchor="versions"))

    def newest(_stale: StaleEditError) -> PlanVersion | None:
        versions = db.session().get(Meeting, meeting_id).plan.versions
        return versions[-1] if versions else None

    return save_edit(
        lambda: record(meeting=meeting, record=data, by=current_user, expected_version=expected),
        done,
        again=lambda **shown: _record_page(meeting, request.form, **shown),
        conflict=newest,
        expected=expected,
    )


def _draft(plan_id: int, version_id: int) -> PlanVersion:
    return load_version(plan_id, version_id, need=Need.RECORD)


def _edit_page(version: PlanVersion, form: MultiDict, **extra: Any) -> str:
    return render_template(
        "staff/edit_version.html",
        plan=version.plan,
        version=version,
        row_version=extra.pop("row_version", version.row_version),
        errors=(errors := extra.pop("errors", {})),
        error_summary=summary_of(errors),
        **editor_context(version.plan, None, form),
        **extra,
    )


@blueprint.get("/plans/<int:plan_id>/versions/<int:version_id>/edit")
@allow(Role.STAFF)
def edit_version(plan_id: int, version_id: int) -> Page:
    version = _draft(plan_id, version_id)
    if version.status is not VersionStatus.DRAFT:
        flash(_("Versionen är inte ett utkast och kan inte ändras."), "error")
        return after_post(url_for("staff.plan", plan_id=plan_id, _anchor="versions"))
    audit_read(version.plan, object_type="plan_version", object_id=version.id)
    kept = take(account_id=current_user.id, path=request.path)
    return _edit_page(version, kept or form_from_version(version), kept=kept is not None)


@blueprint.post("/plans/<int:plan_id>/versions/<int:version_id>/edit")
@allow(Role.STAFF)
def save_version(plan_id: int, version_id: int) -> Page:
    version = _draft(plan_id, version_id)
    expected = expected_version(request.form)
    if adding(request.form):
        return _edit_page(version, request.form, row_version=expected)
    content, errors = parse_content(request.form)
    if errors:
        return _edit_page(version, request.form, errors=errors, row_version=expected), 400

    def done(_saved: PlanVersion) -> Page:
        flash(_("Utkastet är sparat."), "success")
        return after_post(url_for("staff.plan", plan_id=plan_id, _anchor="versions"))

    return save_edit(
        lambda: save_draft(
            version=version, content=content, by=current_user, expected_version=expected
        ),
        done,
        again=lambda **shown: _edit_page(version, request.form, **shown),
        conflict=lambda stale: stale.current,  # the version as it is now
        expected=expected,
    )
