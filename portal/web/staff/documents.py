"""Staff: see a version as PDF (a draft preview, or the signed original) and sign it."""

from __future__ import annotations

from contextlib import nullcontext

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal import db
from portal.auth.permissions import allow
from portal.documents.render import plan_body_html
from portal.models import PlanVersion
from portal.models.audit_types import EventType
from portal.rules.signing import SigningProblem
from portal.rules.vocabulary import Role, VersionStatus
from portal.services import reads
from portal.services.signing import (
    SigningRefusedError,
    draft_preview,
    sign_version,
    signing_preview,
)
from portal.web.documents import drawing_a_pdf, pdf_response, problem_text
from portal.web.fields import PortalForm, TextField, read
from portal.web.staff import blueprint
from portal.web.staff.loaders import load_version, load_version_to_sign


@blueprint.get("/plans/<int:plan_id>/versions/<int:version_id>/plan.pdf")
@allow(Role.STAFF)
def version_pdf(plan_id: int, version_id: int) -> Response:
    version = load_version(plan_id, version_id)
    signed = version.status is VersionStatus.SIGNED and version.pdf is not None
    with nullcontext() if signed else drawing_a_pdf():  # 429 before the read is audited
        reads.read(
            type=EventType.PLAN_PDF_STAFF_READ,
            by=current_user,
            subject_individual_id=version.plan.individual_id,
            object_type="plan_version",
            object_id=version.id,
        )
        data = version.pdf if signed else draft_preview(version)
    suffix = "" if signed else "-utkast"
    return pdf_response(data, f"{version.plan.number}-version-{version.number}{suffix}.pdf")


def _sign_page(version: PlanVersion, *, status: int = 200, problem: str = "") -> tuple[str, int]:
    """The document exactly as it would be signed now, and the confirmation that signs it."""
    preview = signing_preview(version, by=current_user)
    locale = version.plan.individual.language
    body = plan_body_html(preview.content, locale=locale)
    page = render_template(
        "staff/sign_version.html",
        plan=version.plan,
        version=version,
        digest=preview.digest,
        document=body,
        document_locale=locale,
        problem=problem,
    )
    return page, status


@blueprint.get("/plans/<int:plan_id>/versions/<int:version_id>/sign")
@allow(Role.STAFF)
def confirm_signing(plan_id: int, version_id: int) -> Response | tuple[str, int]:
    version, problems = load_version_to_sign(plan_id, version_id)
    if problems:
        for problem in problems:
            flash(problem_text(problem), "error")
        return redirect(url_for("staff.plan", plan_id=plan_id, _anchor="versions"), code=303)
    return _sign_page(version)


class SignForm(PortalForm):
    """The preview's digest, as the preview page put it in the form (services.signing)."""

    previewed = TextField(max=200)


@blueprint.post("/plans/<int:plan_id>/versions/<int:version_id>/sign")
@allow(Role.STAFF)
def sign(plan_id: int, version_id: int) -> Response | tuple[str, int]:
    version = load_version(plan_id, version_id)
    typed = read(SignForm, request.form)
    previewed = "" if typed.problems() else typed.value("previewed")  # "": not previewed
    try:
        sign_version(version=version, by=current_user, previewed=previewed)
    except SigningRefusedError as refused:
        db.session().rollback()
        if SigningProblem.NOT_COORDINATOR in refused.problems:
            abort(403)
        preview_only = {SigningProblem.NOT_PREVIEWED, SigningProblem.CHANGED_SINCE_PREVIEW}
        if set(refused.problems) <= preview_only:
            return _sign_page(version, status=409, problem=problem_text(refused.problems[0]))
        for problem in refused.problems:
            flash(problem_text(problem), "error")
    else:
        flash(
            _(
                "Version %(n)s är signerad. Den enskilde kan nu ladda ner planen.",
                n=version.number,
            ),
            "success",
        )
    return redirect(url_for("staff.plan", plan_id=plan_id, _anchor="versions"), code=303)
