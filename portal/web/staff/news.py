"""Staff: what is new in the plans one leads (a consent given or withdrawn, a request, a wish).

The messages are written by `portal.services.notifications.notify_leader`; the worklist lists
them and the plan page shows them until "Jag har sett det".
"""

from __future__ import annotations

from flask import redirect, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth.permissions import allow
from portal.rules.vocabulary import Role
from portal.services.notifications import mark_read
from portal.web.staff import blueprint
from portal.web.staff.loaders import visible_plan


@blueprint.post("/plans/<int:plan_id>/seen")
@allow(Role.STAFF)
def notifications_seen(plan_id: int) -> Response:
    """Only one's own messages about a plan one may see are marked read."""
    visible_plan(plan_id)
    mark_read(account=current_user, plan_id=plan_id)
    return redirect(url_for("staff.plan", plan_id=plan_id), 303)
