"""Error pages in plain Swedish, as full pages (htmx gets them too: they are readable alone)."""

from __future__ import annotations

import secrets
import traceback
from pathlib import Path

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from portal.auth.rate_keys import DRAWN_PDF_SCOPE
from portal.rules.audience import Audience
from portal.services.errors import NotAllowedError


def _staff_texts() -> dict[int, tuple[str, str]]:
    """Staff meet 403 and 404 at a plan, a meeting or a task: words for their work."""
    return {
        403: (
            _("Du har inte behörighet till den här sidan"),
            _(
                "Din roll eller enhet ger inte tillgång till det här, eller så är det någon "
                "annans uppgift i planen. Fråga den som leder planen om du behöver det."
            ),
        ),
        404: (
            _("Sidan finns inte"),
            _(
                "Planen, mötet eller uppgiften finns inte, eller så syns den inte för din "
                "enhet. Gå tillbaka till arbetslistan och välj igen."
            ),
        ),
    }


def _texts(audience: Audience = Audience.PUBLIC) -> dict[int, tuple[str, str]]:
    """The error texts for whom the page speaks to (portal.rules.audience)."""
    forbidden = (
        _("Om du tror att det är fel, kontakta din samordningsansvarige.")
        if audience is Audience.INDIVIDUAL
        else _("Om du tror att det är fel, kontakta den som leder planen.")
    )
    texts = {
        400: (
            _("Något blev fel i förfrågan"),
            _("Sidan fick uppgifter som den inte förstod. Gå tillbaka och försök igen."),
        ),
        403: (_("Du har inte behörighet till den här sidan"), forbidden),
        404: (
            _("Sidan finns inte"),
            _("Adressen kan vara felstavad, eller så har sidan flyttats."),
        ),
        405: (_("Det går inte att göra så här"), _("Gå tillbaka och försök igen.")),
        413: (
            _("Filen är för stor"),
            _("En signerad plan är några hundra kilobyte. Välj rätt fil och försök igen."),
        ),
        429: (_("För många försök"), _("Vänta en stund och försök sedan igen.")),
        500: (
            _("Något gick fel hos oss"),
            _("Ingenting av det du skrev har sparats i onödan. Försök igen om en stund."),
        ),
    }
    return texts | _staff_texts() if audience is Audience.STAFF else texts


def render_error(
    code: int, extra: str = "", reference: str = "", heading: tuple[str, str] | None = None
) -> tuple[str, int]:
    """The error page: the code's own title and text, or `heading` (title, text) instead."""
    from portal.web.context import page_audience

    texts = _texts(page_audience())
    title, body = heading or texts.get(code, texts[500])
    return render_template(
        "errors/error.html", code=code, title=title, body=body, extra=extra, reference=reference
    ), code


_REFERENCE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def new_reference() -> str:
    """A short code to read out on the phone: "K7QM-4XDA"."""
    letters = "".join(secrets.choice(_REFERENCE_LETTERS) for _ in range(8))
    return f"{letters[:4]}-{letters[4:]}"


def where_it_broke(error: BaseException) -> str:
    """The exception's type and the frames it passed, never its message or the local values
    (either may hold what someone typed)."""
    frames = traceback.extract_tb(error.__traceback__)
    path = " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames[-6:]))
    return f"{type(error).__module__}.{type(error).__qualname__} at {path}"


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        return render_error(
            400,
            _(
                "Formuläret hade gått ut. Ladda om sidan och skicka igen – det du skrev finns kvar i webbläsaren när du går tillbaka."
            ),
        )

    @app.errorhandler(NotAllowedError)
    def not_allowed(error: NotAllowedError) -> tuple[str, int]:
        """A service refused what a view let through: the person may not, so 403."""
        return render_error(403)

    @app.errorhandler(RateLimitExceeded)
    def too_many(error: RateLimitExceeded) -> tuple[str, int]:
        if error.limit.scope == DRAWN_PDF_SCOPE:  # a document, not a try at a code or password
            return render_error(
                429,
                heading=(
                    _("Du har bett om många dokument på kort tid"),
                    _(
                        "Varje dokument görs i ordning när du ber om det, och det går att be om "
                        "några i minuten. Vänta en minut och försök sedan igen."
                    ),
                ),
            )
        return render_error(429)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def server_error(error: Exception) -> tuple[str, int]:
        reference = new_reference()
        app.logger.error(
            "unhandled error ref=%s endpoint=%s method=%s %s",
            reference,
            request.endpoint,
            request.method,
            where_it_broke(error),
        )
        return render_error(500, reference=reference)
