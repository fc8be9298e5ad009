"""Messages that could not be delivered, for a system administrator, who may send them again."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth.permissions import allow
from portal.rules.vocabulary import Role
from portal.services import outbox
from portal.web.staff import blueprint


@blueprint.get("/admin/outbox")
@allow(Role.SYSTEM_ADMIN)
def failed_messages() -> str:
    return render_template("staff/failed_messages.html", messages=outbox.failed())


@blueprint.post("/admin/outbox/<int:message_id>/retry")
@allow(Role.SYSTEM_ADMIN)
def retry_message(message_id: int) -> Response:
    try:
        outbox.retry(message_id=message_id, by=current_user)
    except outbox.OutboxError:
        flash(_("Meddelandet går inte att skicka igen."), "error")
    else:
        flash(_("Meddelandet skickas igen."), "success")
    return redirect(url_for("staff.failed_messages"), code=303)
