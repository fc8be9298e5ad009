"""Anyone holding a plan can check it: by the code printed on it (or its QR code), or by the file."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.auth.permissions import PUBLIC, allow
from portal.extensions import limiter
from portal.services import verification
from portal.services.signing import normalise_code
from portal.web import fields
from portal.web.bodies import FileField
from portal.web.fields import PortalForm, TextField
from portal.web.public import blueprint


class CodeForm(PortalForm):
    code = TextField(max=40)


# A signed plan is some hundred kilobytes; a request over MAX_CONTENT_LENGTH (10 MB) is
# refused with 413 before any view runs.
PLAN_FILE_MOST = 8 * 1024 * 1024


class FileForm(PortalForm):
    document = FileField(
        most=PLAN_FILE_MOST,
        required=True,
        missing=lambda: _("Välj filen med planen (PDF) som du vill kontrollera."),
    )


def _limit() -> str:
    return current_app.config["VERIFY_RATE_LIMIT"]


@blueprint.get("/verify")
@allow(PUBLIC)
def verify() -> str:
    return render_template("public/verify.html", typed="", errors={})


@blueprint.post("/verify")
@allow(PUBLIC)
@limiter.limit(_limit)
def verify_lookup() -> Response | tuple[str, int]:
    form = fields.read(CodeForm, request.form)
    errors = form.problems()
    code = None if errors else normalise_code(form.value("code") or "")
    if not code:
        errors = errors or {
            "code": _("Skriv kontrollkoden som den står på planen, till exempel 7K2M-Q9XD-4T.")
        }
        page = render_template("public/verify.html", typed=form["code"].raw, errors=errors)
        return page, 422
    return redirect(url_for("public.verify_code", code=code), code=303)


@blueprint.get("/verify/<code>")
@allow(PUBLIC)
@limiter.limit(_limit)
def verify_code(code: str) -> str | tuple[str, int]:
    document = verification.by_code(normalise_code(code))
    return render_template(
        "public/verify_result.html", document=document, code=code
    ), 200 if document else 404


@blueprint.post("/verify/file")
@allow(PUBLIC)
@limiter.limit(_limit)
def verify_file() -> str | tuple[str, int]:
    typed = fields.read(FileForm, request.files)
    errors = typed.problems()
    if errors:
        return render_template("public/verify.html", typed="", errors=errors), 422
    verdict = verification.by_file(typed.value("document"))
    return render_template("public/verify_file.html", verdict=verdict)
