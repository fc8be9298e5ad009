"""Staff: reports of accessibility problems sent from the accessibility statement."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth.permissions import allow
from portal.rules.vocabulary import Role
from portal.services import accessibility
from portal.web import nav
from portal.web.staff import blueprint

nav.register("staff.accessibility_reports", _l("Tillgänglighet"), 90, Role.STAFF)


@blueprint.get("/accessibility-reports")
@allow(Role.STAFF)
def accessibility_reports() -> str:
    return render_template("staff/accessibility_reports.html", reports=accessibility.open_reports())


@blueprint.post("/accessibility-reports/<int:report_id>/handled")
@allow(Role.STAFF)
def accessibility_report_handled(report_id: int) -> Response:
    if not accessibility.mark_handled(report_id=report_id, by=current_user):
        abort(404)
    flash(_("Markerad som hanterad."), "success")
    return redirect(url_for("staff.accessibility_reports"), code=303)
