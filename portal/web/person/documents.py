"""The signed plan, downloaded by the individual, a representative, or a relative who may see it."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from werkzeug.wrappers import Response

from portal import db
from portal.auth.permissions import allow
from portal.models import PlanVersion
from portal.models.audit_types import EventType
from portal.rules.vocabulary import Role, VersionStatus
from portal.web.documents import pdf_response
from portal.web.person import blueprint
from portal.web.person.loaders import audit_read, load_plan


@blueprint.get("/plans/<int:plan_id>/versions/<int:number>/plan.pdf")
@allow(Role.INDIVIDUAL, Role.RELATIVE)
def version_pdf(plan_id: int, number: int) -> Response:
    found = load_plan(plan_id)
    if isinstance(found, Response):
        return found
    individual, plan = found.individual, found.plan
    version = db.session().scalar(
        sa.select(PlanVersion).where(
            PlanVersion.plan_id == plan.id,
            PlanVersion.number == number,
            PlanVersion.status == VersionStatus.SIGNED,
            PlanVersion.pdf.is_not(None),
        )
    )
    if version is None:
        abort(404)
    audit_read(individual, EventType.PLAN_PDF_READ, version.id)
    return pdf_response(version.pdf, f"{plan.number}-version-{number}.pdf")
