"""Values read from a submitted form, with the person's own words kept for a clear error."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from flask_babel import gettext as _


def day_of(form: Mapping[str, str], name: str, errors: dict[str, str]) -> date | None:
    """The date in field `name` (ÅÅÅÅ-MM-DD), None when empty; a bad date is noted in `errors`."""
    text = form.get(name, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = _("Skriv datumet som ÅÅÅÅ-MM-DD.")
        return None
