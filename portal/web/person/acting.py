"""A relative chooses whom to act for (and sees what each person lets them do)."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth.permissions import allow
from portal.rules.vocabulary import Role
from portal.services.delegations import active_delegations_for_relative
from portal.timeutil import today_stockholm
from portal.web import nav
from portal.web.acting import ACTING_FOR
from portal.web.fields import IdField, PortalForm, read
from portal.web.person import blueprint

nav.register("person.choose_person", _l("Jag hjälper"), 5, Role.RELATIVE)


class ActForForm(PortalForm):
    """The person chosen: an id among the relative's active delegations (checked below)."""

    individual = IdField(required=True)


@blueprint.get("/acting-for")
@allow(Role.RELATIVE)
def choose_person() -> str:
    delegations = active_delegations_for_relative(current_user.relative_id, today_stockholm())
    return render_template(
        "person/choose_person.html", delegations=delegations, chosen=session.get(ACTING_FOR)
    )


@blueprint.post("/acting-for")
@allow(Role.RELATIVE)
def act_for() -> Response:
    typed = read(ActForForm, request.form)
    if typed.problems():
        abort(400)  # the page offers only the people listed
    wanted = typed.value("individual")
    delegations = active_delegations_for_relative(current_user.relative_id, today_stockholm())
    if wanted is None or wanted not in {d.individual_id for d in delegations}:
        abort(403)
    session[ACTING_FOR] = wanted
    return redirect(url_for("person.home"), code=303)
