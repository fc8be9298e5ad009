"""Actions from the worklist: acknowledge a request or a meeting call, handle a withdrawal.

Each is a POST with CSRF; everyone else gets 303 back to the worklist, htmx gets the row
replaced by a line saying it is done. A plan the staff member may not see answers 404;
an item that is someone else's to act on answers 403.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth.permissions import allow
from portal.errors import render_error
from portal.extensions import htmx
from portal.rules.vocabulary import Role
from portal.rules.worklist import ItemKind
from portal.services import meetings, plans
from portal.web import fields
from portal.web.fields import PortalForm, TextField
from portal.web.staff import blueprint
from portal.web.staff.loaders import load_call, load_request, load_withdrawal

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
    found = load_request(request_id)  # whoever leads the plan answers (else 403)
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
    event = load_withdrawal(event_id)  # whoever leads the plan, or the unit it concerns
    plans.mark_withdrawal_handled(event=event, by=current_user)
    return _done(
        ItemKind.CONSENT_WITHDRAWN,
        event.id,
        _("Det återkallade samtycket är markerat som hanterat."),
    )


@blueprint.post("/meeting-calls/<int:participant_id>/acknowledge")
@allow(Role.STAFF)
def acknowledge_call(participant_id: int) -> Response | str:
    participant = load_call(participant_id)  # staff acknowledge their own calls only
    meetings.acknowledge(participant=participant, by=current_user)
    return _done(ItemKind.MEETING_ACKNOWLEDGEMENT, participant.id, _("Kallelsen är kvitterad."))
