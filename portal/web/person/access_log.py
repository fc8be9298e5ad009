"""Vem har tittat på min plan? Every read and write of my data, newest first."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from portal import db
from portal.auth.permissions import allow
from portal.models import AuditEvent
from portal.rules.access import may_read_access_log
from portal.rules.vocabulary import Role
from portal.web import nav
from portal.web.fields import small_number
from portal.web.person import blueprint
from portal.web.person.access import audit_read, focus_or_choose, viewer

PER_PAGE = 20
READERS = (Role.INDIVIDUAL, Role.REPRESENTATIVE)
nav.register("person.access_log", _l("Vem har tittat?"), 70, *READERS)

WHAT = {
    "home.read": _l("tittade på din startsida"),
    "plan.read": _l("läste din plan"),
    "plan_pdf.read": _l("laddade ner din signerade plan"),
    "plan_pdf.staff_read": _l("öppnade din plan som PDF"),
    "plan.sign": _l("signerade din plan"),
    "delegations.read": _l("tittade på vilka närstående som hjälper dig"),
    "access_log.read": _l("tittade i den här loggen"),
    "delegation.grant": _l("gav en närstående rätt att hjälpa dig"),
    "delegation.change": _l("ändrade vad en närstående får göra"),
    "delegation.revoke": _l("tog bort en närstående"),
    "representative.record": _l("registrerade en legal företrädare"),
    "invitation.create": _l("skapade en inbjudan till portalen"),
    "invitation.redeem": _l("tog emot en inbjudan och skapade en nyckel"),
    "invitation.revoke": _l("drog tillbaka en inbjudan"),
    "account.sign_in": _l("loggade in"),
    "account.confirm": _l("bekräftade med sin nyckel"),
    "passkey.add": _l("lade till en nyckel"),
    "passkey.remove": _l("tog bort en nyckel"),
    "passkey.rename": _l("bytte namn på en nyckel"),
    "account.sign_out_everywhere": _l("loggade ut överallt"),
    "account.locale": _l("bytte språk"),
}
ROLES = {
    "individual": _l("du själv"),
    "relative": _l("närstående"),
    "staff": _l("personal"),
    "system": _l("systemet"),
}


def describe(event: AuditEvent) -> str:
    known = WHAT.get(event.type)
    if known is not None:
        return str(known)
    noun = event.type.split(".")[0].replace("_", " ")
    return str(_l("läste eller ändrade: %(what)s", what=noun))


@blueprint.get("/access-log")
@allow(*READERS)
def access_log() -> str | Response:
    individual = focus_or_choose()
    if isinstance(individual, Response):
        return individual
    if not may_read_access_log(viewer(), individual.id):
        abort(403)
    page = small_number(request.args.get("page"), default=1, low=1, high=100_000)
    statement = sa.select(AuditEvent).where(AuditEvent.subject_individual_id == individual.id)
    total = db.session().scalar(sa.select(sa.func.count()).select_from(statement.subquery())) or 0
    events = (
        db.session()
        .scalars(
            statement.order_by(AuditEvent.id.desc()).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
        )
        .all()
    )
    audit_read(individual, "access_log")
    return render_template(
        "person/access_log.html",
        events=events,
        page=page,
        pages=max((total + PER_PAGE - 1) // PER_PAGE, 1),
        describe=describe,
        roles=ROLES,
        me=current_user.id,
    )
