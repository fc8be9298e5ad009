"""The words of a message leaving the portal, in the person's language (ADR 0090).

What happened, when and where (only if the person chose to receive that), and a link. Never
health information, never an identity number, never a name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from portal.web.dates import show_datetime

SUBJECTS = {
    "meeting.invited": lambda: _("Du är kallad till ett SIP-möte"),
    "meeting.changed": lambda: _("Ett SIP-möte har ändrats"),
    "meeting.cancelled": lambda: _("Ett SIP-möte är inställt"),
    "meeting.reminder": lambda: _("Påminnelse: SIP-möte"),
    "follow_up.soon": lambda: _("Snart uppföljning av din plan"),
    "request.answered": lambda: _("Du har fått svar i SIP-portalen"),
    "plan.signed": lambda: _("Din plan är klar och underskriven"),
    "plan.new_version": lambda: _("Det finns ett nytt förslag till plan"),
    "coordinator.appointed": lambda: _("Du har fått en samordningsansvarig"),
    "coordinator.handed_over": lambda: _("Du har fått en ny samordningsansvarig"),
    "consent.recorded_by_staff": lambda: _("Personalen har antecknat ett besked om samtycke"),
    "plan.unit_added": lambda: _("En enhet har lagts till i din plan"),
    "delegation.granted": lambda: _("En närstående kan nu hjälpa dig i SIP-portalen"),
    "delegation.revoked": lambda: _("Din behörighet att hjälpa någon har upphört"),
    "delegation.ended": lambda: _("En närstående kan inte längre hjälpa dig i SIP-portalen"),
    "security.passkey_added": lambda: _("En ny inloggningsnyckel har lagts till"),
    "security.recovery_started": lambda: _("Någon har börjat återställa ditt konto"),
    "security.representative_recorded": lambda: _("En ställföreträdare har registrerats"),
    "staff.digest": lambda: _("Dagens frister i SIP-portalen"),
    "staff.acknowledgement_due": lambda: _("En kvittens ska lämnas inom två timmar"),
    # no care word: "utskrivningsklar" would tell of a hospital stay (ADR 0093)
    "staff.discharge_limit": lambda: _("En kallelse ska skickas i dag"),
    "contact.code": lambda: _("Din kod till SIP-portalen"),
}

SECURITY_ADVICE = {
    "security.passkey_added": lambda: _(
        "Om det inte var du: logga in och ta bort nyckeln, eller ring din samordningsansvarig."
    ),
    "security.recovery_started": lambda: _(
        "Om det inte var du: ring din samordningsansvarig eller din enhet i dag."
    ),
    "security.representative_recorded": lambda: _(
        "Om detta är fel: kontakta din samordningsansvarig."
    ),
}


@dataclass(frozen=True)
class Text:
    subject: str
    body: str
    link: str


def render(kind: str, locale: str, params_json: str) -> Text:
    params = json.loads(params_json or "{}")
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    link = base + params.get("path", "/")
    with force_locale(locale):
        subject = SUBJECTS.get(kind, lambda: _("Något har ändrats i SIP-portalen"))()
        lines = [subject + "."]
        if params.get("when"):
            when = datetime.fromisoformat(params["when"])
            lines.append(_("När: %(when)s", when=show_datetime(when, "long")))
        if params.get("where"):
            lines.append(_("Var: %(where)s", where=params["where"]))
        if kind == "contact.code":
            lines.append(
                _("Koden är %(code)s. Den gäller i 30 minuter.", code=params.get("code", "······"))
            )
        if kind == "staff.digest":
            lines.append(_("Frister att se till i dag: %(count)s.", count=params.get("count", 0)))
        if kind == "staff.discharge_limit":
            lines.append(_("Tredagarsgränsen för en kallelse går ut i dag. Se arbetslistan."))
        if kind in SECURITY_ADVICE:
            lines.append(SECURITY_ADVICE[kind]())
        if kind != "contact.code":
            lines.append(_("Logga in för att läsa mer: %(link)s", link=link))
        lines.append(_("Det här meddelandet går inte att svara på."))
    return Text(subject=subject, body="\n".join(lines), link=link)
