"""What every audience shares about the plan as a document: the PDF response, plain words."""

from __future__ import annotations

from contextlib import AbstractContextManager

from flask import Response
from flask_babel import gettext as _

from portal.auth.rate_keys import DRAWN_PDF_SCOPE, by_account, drawn_pdf_limit
from portal.extensions import limiter
from portal.rules.signing import SigningProblem


def pdf_response(data: bytes, filename: str) -> Response:
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def drawing_a_pdf() -> AbstractContextManager[None]:
    """Around drawing a PDF on request: at most DRAWN_PDF_RATE_LIMIT per account, shared by
    every kind of drawn PDF (else 429), because each holds a worker process (ADR 0105)."""
    return limiter.shared_limit(drawn_pdf_limit, scope=DRAWN_PDF_SCOPE, key_func=by_account)


def problem_text(problem: SigningProblem) -> str:
    return {
        SigningProblem.NOT_COORDINATOR: _("Bara samordningsansvarig kan signera planen."),
        SigningProblem.ALREADY_SIGNED: _("Versionen är redan signerad."),
        SigningProblem.NOT_NEWEST: _("Det finns en nyare version. Signera den i stället."),
        SigningProblem.PLAN_CLOSED: _("Planen är avslutad och kan inte signeras."),
        SigningProblem.NO_GOALS: _("Planen behöver minst ett mål innan den signeras."),
        SigningProblem.NO_FOLLOW_UP: _(
            "Planen behöver ett datum för uppföljning innan den signeras."
        ),
        SigningProblem.NOT_PREVIEWED: _("Läs igenom planen innan du signerar den."),
        SigningProblem.CHANGED_SINCE_PREVIEW: _(
            "Planen har ändrats sedan du läste igenom den. Inget är signerat. "
            "Läs igenom planen som den är nu och bekräfta igen."
        ),
    }[problem]
