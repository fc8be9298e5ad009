"""Tillgänglighetsredogörelse (DOS act): conformance, known gaps, report a problem, DIGG."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth.permissions import PUBLIC, allow
from portal.extensions import limiter
from portal.services import accessibility
from portal.web import fields
from portal.web.fields import PortalForm, TextField
from portal.web.public import blueprint

UPDATED = date(2026, 12, 1)  # change with the statement's text


class ReportForm(PortalForm):
    page = TextField(max=300)
    problem = TextField(
        max=4000, lines=True, required=True, missing=lambda: _("Skriv vad som inte fungerade.")
    )
    contact = TextField(max=200)


def _page(values: dict | None = None, errors: dict | None = None, status: int = 200):
    return render_template(
        "public/accessibility.html",
        values=values or {},
        errors=errors or {},
        updated=UPDATED,
    ), status


@blueprint.get("/tillganglighet")
@allow(PUBLIC)
def accessibility_statement() -> tuple[str, int]:
    return _page()


@blueprint.post("/tillganglighet")
@allow(PUBLIC)
@limiter.limit("10 per hour")
def report_accessibility_problem() -> Response | tuple[str, int]:
    typed = fields.read(ReportForm, request.form)
    errors = typed.problems()
    if errors:
        return _page(request.form, errors, 422)
    accessibility.report_problem(
        page=typed.value("page") or "",
        problem=typed.value("problem") or "",
        contact=typed.value("contact") or "",
        by=current_user if current_user.is_authenticated else None,
    )
    flash(_("Tack! Din rapport har kommit fram till personalen som sköter portalen."), "success")
    return redirect(url_for("public.accessibility_statement", _anchor="report"), code=303)
