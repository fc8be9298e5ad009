"""A unit administrator's list of the unit's staff accounts, and disabling one."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from portal import db
from portal.auth.permissions import allow
from portal.models import Account
from portal.rules.vocabulary import Role
from portal.services.staff_accounts import (
    DisableRefusedError,
    disable_staff_account,
    unit_staff_accounts,
)
from portal.web import nav
from portal.web.staff import blueprint

nav.register("staff.unit_staff", _l("Enhetens personal"), 80, Role.UNIT_ADMIN)


@blueprint.get("/unit/staff")
@allow(Role.UNIT_ADMIN)
def unit_staff() -> str:
    unit = current_user.staff.unit
    return render_template("staff/unit_staff.html", unit=unit, rows=unit_staff_accounts(unit.id))


@blueprint.post("/unit/staff/<int:account_id>/disable")
@allow(Role.UNIT_ADMIN)
def disable_staff(account_id: int) -> Response:
    account = db.session().get(Account, account_id)
    if account is None or account.staff is None:
        abort(404)
    try:
        disable_staff_account(account=account, by=current_user)
    except DisableRefusedError:
        db.session().rollback()
        abort(403)
    flash(_("%(name)s kan inte längre logga in.", name=account.name), "success")
    return redirect(url_for("staff.unit_staff"), code=303)
