"""Actions from the worklist: acknowledge a request or a meeting call, handle a withdrawal.

Each is a POST with CSRF; everyone else gets 303 back to the worklist, htmx gets the row
replaced by a line saying it is done. A plan the staff member may not see answers 404;
an item that is someone else's to act on answers 403.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal import db
from portal.auth.permissions import allow
from portal.errors import render_error
from portal.extensions import htmx
from portal.models import ConsentEvent, MeetingParticipant, PlanRequest
from portal.rules.access import leads_plan, staff_may_view
from portal.rules.vocabulary import ConsentStatus, Role
from portal.rules.worklist import ItemKind
from portal.services import meetings, plans
from portal.services.viewers import plan_facts, viewer_for
from portal.web import fields
from portal.web.fields import PortalForm, TextField
from portal.web.staff import blueprint

MAX_RESPONSE = 2000


class AcknowledgeForm(PortalForm):
    response = TextField(max=MAX_RESPONSE, lines=True)


def _done(kind: ItemKind, object_id: int, message: str) -> Response | str:
    if htmx:
        row_id = f"item-{kind}-{object_id}"
        return render_template("staff/_worklist_done.html", row_id=row_id, done=message)
    flash(message, "success")
    return redirect(url_for("staff.worklist"), code=303)


@blueprint.post("/requests/<int:request_id>/acknowledge")
@allow(Role.STAFF)
def acknowledge_request(request_id: int) -> Response | str:
    found = db.session().get(PlanRequest, request_id)
    if found is None:
        abort(404)
    viewer, facts = viewer_for(current_user), plan_facts(found.plan)
    if not staff_may_view(viewer, facts):
        abort(404)
    if not leads_plan(viewer, facts):
        abort(403)  # the coordinator (or the convener until one is appointed) answers
    typed = fields.read(AcknowledgeForm)
    errors = typed.problems()
    if errors:  # the row's own form is small: the message is the page
        return render_error(400, errors["response"])
    plans.acknowledge_request(
        request=found, by=current_user, response=typed.value("response") or ""
    )
    return _done(ItemKind.REQUEST, found.id, _("Frågan är kvitterad. Den enskilde ser det."))


@blueprint.post("/consent-events/<int:event_id>/handled")
@allow(Role.STAFF)
def handle_withdrawal(event_id: int) -> Response | str:
    event = db.session().get(ConsentEvent, event_id)
    if event is None or event.status is not ConsentStatus.WITHDRAWN:
        abort(404)
    viewer, facts = viewer_for(current_user), plan_facts(event.plan)
    own_unit = current_user.staff.unit_id == event.unit_id
    if not own_unit and not staff_may_view(viewer, facts):
        abort(404)
    if not own_unit and not leads_plan(viewer, facts):
        abort(403)  # whoever leads the plan, or the unit the withdrawal concerns
    plans.mark_withdrawal_handled(event=event, by=current_user)
    return _done(
        ItemKind.CONSENT_WITHDRAWN,
        event.id,
        _("Det återkallade samtycket är markerat som hanterat."),
    )


@blueprint.post("/meeting-calls/<int:participant_id>/acknowledge")
@allow(Role.STAFF)
def acknowledge_call(participant_id: int) -> Response | str:
    participant = db.session().get(MeetingParticipant, participant_id)
    if participant is None:
        abort(404)
    mine = participant.staff_id == current_user.staff_id
    plan = participant.meeting.plan
    if not mine and not staff_may_view(viewer_for(current_user), plan_facts(plan)):
        abort(404)
    if not mine:
        abort(403)  # staff acknowledge their own calls only
    meetings.acknowledge(participant=participant, by=current_user)
    return _done(ItemKind.MEETING_ACKNOWLEDGEMENT, participant.id, _("Kallelsen är kvitterad."))
