"""What each audit event means, in the words the individual's access log shows.

One table, keyed by `EventType`. Words never say "du/din" about the individual, so the same
line reads right to the individual and to a representative reading the log for them.
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from portal.models.audit_types import EventType as T

WORDS: dict[T, LazyString] = {
    T.HOME_READ: _l("tittade på startsidan"),
    T.PLAN_READ: _l("läste planen"),
    T.PLAN_VERSION_READ: _l("läste en version av planen"),
    T.PLAN_PDF_READ: _l("laddade ner den signerade planen"),
    T.PLAN_PDF_STAFF_READ: _l("öppnade den signerade planen som PDF"),
    T.MEETING_READ: _l("läste om ett möte"),
    T.MEETING_ICS_READ: _l("lade ett möte i sin kalender"),
    T.FOLLOW_UP_ICS_READ: _l("lade en uppföljning i sin kalender"),
    T.CALENDAR_FEED_READ: _l("kalendern hämtade mötestider"),
    T.CALENDAR_READ: _l("läste mötestiderna"),
    T.CONSENT_READ: _l("läste samtycket"),
    T.DELEGATIONS_READ: _l("tittade på vilka närstående som hjälper till"),
    T.COORDINATOR_READ: _l("läste om vem som är samordningsansvarig"),
    T.COORDINATOR_WISH_READ: _l("läste önskemålet om samordningsansvarig"),
    T.REQUESTS_READ: _l("läste frågorna till samordningsansvarig"),
    T.PREPARATION_READ: _l("läste förberedelserna inför mötet"),
    T.ACCESS_LOG_READ: _l("tittade i den här loggen"),
    T.ACCESS_LOG_PDF_READ: _l("laddade ner ett utdrag ur den här loggen"),
    T.WORKLIST_READ: _l("såg planen i sin arbetslista"),
    T.INDIVIDUAL_LOOKUP: _l("sökte fram personuppgifterna"),
    T.INDIVIDUAL_REGISTER: _l("registrerade personuppgifterna"),
    T.PLAN_START: _l("startade planen"),
    T.PLAN_DRAFT: _l("skrev ett utkast till planen"),
    T.PLAN_DRAFT_EDIT: _l("ändrade utkastet till planen"),
    T.PLAN_SIGN: _l("signerade planen"),
    T.PLAN_SIGN_PREVIEW: _l("läste igenom planen före signeringen"),
    T.PLAN_FOLLOW_UP: _l("följde upp planen"),
    T.PLAN_DEFER: _l("sköt upp planeringen"),
    T.PLAN_REASSESS: _l("bedömde behovet av planen på nytt"),
    T.PLAN_CLOSE: _l("avslutade planen"),
    T.MEETING_INVITE: _l("kallade till ett möte"),
    T.MEETING_CHANGE: _l("ändrade kallelsen till ett möte"),
    T.MEETING_CANCEL: _l("ställde in ett möte"),
    T.MEETING_ACKNOWLEDGE: _l("bekräftade kallelsen till ett möte"),
    T.MEETING_RECORD: _l("skrev anteckningar från ett möte"),
    T.PREPARATION_SHARE: _l("delade förberedelserna med mötet"),
    T.PREPARATION_SAVE: _l("skrev i förberedelserna inför mötet"),
    T.REQUEST_SEND: _l("skickade en fråga till samordningsansvarig"),
    T.REQUEST_ACKNOWLEDGE: _l("svarade på en fråga"),
    T.COORDINATOR_WISH: _l("lämnade ett önskemål om samordningsansvarig"),
    T.COORDINATOR_APPOINT: _l("utsåg samordningsansvarig"),
    T.COORDINATOR_HAND_OVER: _l("lämnade över till en ny samordningsansvarig"),
    T.COORDINATOR_ACCEPT: _l("tog över som samordningsansvarig"),
    T.COORDINATOR_DECLINE: _l("tackade nej till att bli samordningsansvarig"),
    T.COORDINATOR_HANDOVER_WITHDRAWN: _l("drog tillbaka en överlämning av samordningsansvaret"),
    T.CONSENT_GIVE: _l("gav samtycke"),
    T.CONSENT_WITHDRAW: _l("tog tillbaka samtycke"),
    T.PLAN_UNIT_ADD: _l("lade till en enhet som deltar i planen"),
    T.CONSENT_RECORD: _l("skrev in ett samtycke"),
    T.CONSENT_WITHDRAWAL_HANDLED: _l("tog hand om ett återtaget samtycke"),
    T.DELEGATION_GRANT: _l("gav en närstående rätt att hjälpa till"),
    T.DELEGATION_CHANGE: _l("ändrade vad en närstående får göra"),
    T.DELEGATION_REVOKE: _l("tog bort en närstående"),
    T.REPRESENTATIVE_RECORD: _l("registrerade en legal företrädare"),
    T.REPRESENTATIVE_END: _l("registrerade att en legal företrädares uppdrag har upphört"),
    T.INVITATION_CREATE: _l("skapade en inbjudan till portalen"),
    T.INVITATION_REDEEM: _l("tog emot en inbjudan och skapade en nyckel"),
    T.INVITATION_REVOKE: _l("drog tillbaka en inbjudan"),
    T.INVITATION_APPROVE: _l("godkände en inbjudan (fyra ögon)"),
    T.INVITATION_PRINT: _l("skrev ut ett brev med inbjudan"),
    T.INVITATION_EID_PROVEN: _l("visade med e-legitimation att brevet var till hen"),
    T.INVITATION_EID_REFUSED: _l("försökte använda ett brev med någon annans e-legitimation"),
    T.ACCOUNT_DISABLE: _l("stängde av ett konto"),
    T.ACCOUNT_EID_ENROL: _l("skapade ett konto med e-legitimation"),
    T.ACCOUNT_EID_RECOVER: _l("kom in igen med e-legitimation och lade till en nyckel"),
    T.ACCOUNT_SIGN_IN: _l("loggade in"),
    T.ACCOUNT_CONFIRM: _l("bekräftade med sin nyckel"),
    T.ACCOUNT_SIGN_OUT_EVERYWHERE: _l("loggade ut överallt"),
    T.ACCOUNT_LOCALE: _l("bytte språk"),
    T.PASSKEY_ADD: _l("lade till en nyckel"),
    T.PASSKEY_REMOVE: _l("tog bort en nyckel"),
    T.PASSKEY_RENAME: _l("bytte namn på en nyckel"),
    T.CALENDAR_FEED_CREATE: _l("skapade en kalenderprenumeration"),
    T.CALENDAR_FEED_REVOKE: _l("stängde av en kalenderprenumeration"),
    T.CONTACT_ADD: _l("lade till en adress för meddelanden"),
    T.CONTACT_CONFIRM: _l("bekräftade en adress för meddelanden"),
    T.CONTACT_PUSH: _l("slog på pushnotiser på en enhet"),
    T.CONTACT_REMOVE: _l("tog bort en adress för meddelanden"),
    T.OUTBOX_RETRY: _l("skickade ett meddelande igen"),
    T.ACCESSIBILITY_REPORT: _l("rapporterade ett tillgänglighetsproblem"),
    T.DEMO_LOAD: _l("lade in demonstrationsdata"),
}

# A staff read of the plan names what was opened (object_type of a "plan.read").
PLAN_PARTS: dict[str, LazyString] = {
    "meeting": _l("läste om ett möte"),
    "plan_version": _l("läste en version av planen"),
    "consent": _l("läste samtycket"),
    "coordinator": _l("läste om vem som är samordningsansvarig"),
}

ROLES: dict[str, LazyString] = {
    "individual": _l("den enskilde"),
    "relative": _l("närstående"),
    "representative": _l("legal företrädare"),
    "staff": _l("personal"),
    "system": _l("portalen"),
}

READ_FALLBACK = _l("läste uppgifter")
WRITE_FALLBACK = _l("ändrade uppgifter")


def describe(type_: str, object_type: str = "") -> str:
    """Plain words for one event. A type not yet in the table still gets words, never a code."""
    if type_ == T.PLAN_READ and object_type in PLAN_PARTS:
        return str(PLAN_PARTS[object_type])
    try:
        return str(WORDS[T(type_)])
    except (KeyError, ValueError):
        return str(READ_FALLBACK if type_.endswith("read") else WRITE_FALLBACK)


def role_words(role: str) -> str:
    known = ROLES.get(role)
    return str(known) if known is not None else ""
