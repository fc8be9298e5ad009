"""Words for every enum value, in Swedish (source) and translated through Babel.

Templates use `labels.of(value)`; the PDF gets already translated words from here too.
"""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from portal.rules.closing import ReassessOutcome
from portal.rules.coordinator import CoordinatorRow, HomeHealth, WishOutcome
from portal.rules.vocabulary import (
    Approval,
    AttendeeRole,
    CloseReason,
    ConsentMethod,
    ConsentStatus,
    GoalEvaluation,
    MeetingForm,
    MeetingKind,
    MeetingStatus,
    PlanContext,
    PlanState,
    Principal,
    Profession,
    RequestKind,
    Scope,
    UnitKind,
    VersionStatus,
)

_PAIRS: tuple[tuple[StrEnum, object], ...] = (
    (Principal.REGION, _l("Region")),
    (Principal.MUNICIPALITY, _l("Kommun")),
    (UnitKind.HEALTH_CENTRE, _l("Hälsocentral")),
    (UnitKind.HOSPITAL_WARD, _l("Sjukhusavdelning")),
    (UnitKind.PSYCHIATRY_OUTPATIENT, _l("Psykiatrisk öppenvård")),
    (UnitKind.ALSA_TEAM, _l("ÄlSa-team")),
    (UnitKind.HOME_HELP, _l("Hemtjänst")),
    (UnitKind.HOME_HEALTH_CARE, _l("Hemsjukvård")),
    (UnitKind.NEEDS_ASSESSMENT, _l("Biståndshandläggning")),
    (UnitKind.SHORT_TERM_STAY, _l("Korttidsboende")),
    (UnitKind.PERSONAL_ASSISTANCE, _l("Personlig assistans")),
    (Profession.NEEDS_ASSESSOR, _l("Biståndshandläggare")),
    (Profession.DISTRICT_NURSE, _l("Distriktssköterska")),
    (Profession.OCCUPATIONAL_THERAPIST, _l("Arbetsterapeut")),
    (Profession.PHYSIOTHERAPIST, _l("Fysioterapeut")),
    (Profession.UNIT_MANAGER, _l("Enhetschef")),
    (Profession.PHYSICIAN, _l("Läkare")),
    (Profession.NURSE, _l("Sjuksköterska")),
    (Profession.SOCIAL_WORKER, _l("Socialsekreterare")),
    (PlanContext.AFTER_DISCHARGE, _l("Efter utskrivning från sjukhus")),
    (PlanContext.BEFORE_DISCHARGE, _l("Före utskrivning från sjukhus")),
    (PlanContext.AT_HOME, _l("Hemma, utan sjukhusvistelse")),
    (PlanContext.AFTER_SHORT_TERM_STAY, _l("Efter korttidsvistelse")),
    (PlanState.INITIATED, _l("Påbörjad")),
    (PlanState.DEFERRED, _l("Vilande under korttidsvistelse")),
    (PlanState.INVITED, _l("Kallad till möte")),
    (PlanState.ESTABLISHED, _l("Upprättad")),
    (PlanState.FOLLOWING_UP, _l("Följs upp")),
    (PlanState.CLOSED, _l("Avslutad")),
    (CloseReason.GOALS_MET, _l("Målen är uppfyllda")),
    (CloseReason.NO_LONGER_NEEDED, _l("Samordning behövs inte längre")),
    (CloseReason.NO_LONGER_WANTED, _l("Samordning önskas inte längre")),
    (CloseReason.CONSENT_WITHDRAWN, _l("Samtycket har återkallats")),
    (CloseReason.DECEASED, _l("Personen har avlidit")),
    (CloseReason.ONLY_SOCIAL_INTERVENTIONS, _l("Enbart sociala insatser efter första mötet")),
    (CloseReason.HOME_HEALTH_ENDED, _l("Hemsjukvårdsinsatsen har avslutats")),
    (CloseReason.REPLACED_BY_NEW_PLAN, _l("Ersatt av en ny plan")),
    (ConsentStatus.GIVEN, _l("Samtycke lämnat")),
    (ConsentStatus.WITHDRAWN, _l("Samtycke återkallat")),
    (ConsentStatus.REFUSED, _l("Samtycke inte lämnat")),
    (ConsentStatus.CANNOT_CONSENT, _l("Kan inte lämna samtycke (OSL 25:13)")),
    (ConsentStatus.REQUESTED, _l("Samtycke efterfrågat, väntar på svar i portalen")),
    (ConsentMethod.DIGITAL, _l("digitalt i portalen")),
    (ConsentMethod.RECORDED_BY_STAFF, _l("muntligt, antecknat av personal")),
    (MeetingKind.FIRST, _l("Första SIP-mötet")),
    (MeetingKind.FOLLOW_UP, _l("Uppföljningsmöte")),
    (
        MeetingKind.HOME_HEALTH_HANDOVER,
        _l("Planeringsmöte om överlämning av hemsjukvård – inte ett SIP-möte"),
    ),
    (MeetingForm.PHONE, _l("Telefon")),
    (MeetingForm.VIDEO, _l("Video")),
    (MeetingForm.HOME, _l("Hemma hos dig")),
    (MeetingForm.HEALTH_CENTRE, _l("På hälsocentralen")),
    (MeetingForm.OTHER_PLACE, _l("På annan plats")),
    (MeetingStatus.PLANNED, _l("Planerat")),
    (MeetingStatus.HELD, _l("Genomfört")),
    (MeetingStatus.CANCELLED, _l("Inställt")),
    (GoalEvaluation.MET, _l("Uppfyllt")),
    (GoalEvaluation.PARTLY_MET, _l("Delvis uppfyllt")),
    (GoalEvaluation.NOT_MET, _l("Inte uppfyllt")),
    (GoalEvaluation.NO_LONGER_RELEVANT, _l("Inte längre aktuellt")),
    (VersionStatus.DRAFT, _l("Utkast, väntar på underskrift")),
    (AttendeeRole.INDIVIDUAL, _l("Den som planen gäller")),
    (AttendeeRole.CONVENER, _l("Kallade till mötet")),
    (AttendeeRole.CALLED, _l("Kallad att delta")),
    (AttendeeRole.INVITED, _l("Inbjuden")),
    (Approval.APPROVED, _l("Den enskilde godkände ändringarna")),
    (Approval.NOT_APPROVED, _l("Den enskilde godkände inte ändringarna")),
    (Approval.NOT_ASKED, _l("Den enskilde tillfrågades inte")),
    (VersionStatus.SIGNED, _l("Underskriven")),
    (VersionStatus.SUPERSEDED, _l("Ersatt utkast")),
    (Scope.VIEW_PLAN, _l("Se min plan")),
    (Scope.PREPARE, _l("Hjälpa mig förbereda möten")),
    (Scope.MEETING_DATES, _l("Få mina mötestider")),
    (RequestKind.SOONER_FOLLOW_UP, _l("Uppföljning tidigare")),
    (RequestKind.END_PLAN, _l("Avsluta planen")),
    (RequestKind.CHANGE_COORDINATOR, _l("Byta samordningsansvarig")),
    # Choosing the coordinator [000] (portal.rules.coordinator)
    (CoordinatorRow.ALSA, _l("Ansluten till ÄlSa: ÄlSa-teamet, så länge personen är ansluten")),
    (CoordinatorRow.SHORT_TERM_STAY, _l("Korttidsvistelse i kommunen: biståndshandläggaren")),
    (
        CoordinatorRow.ONLY_SOCIAL,
        _l("Enbart sociala insatser (SoL, LSS): SIP kan avslutas efter första mötet"),
    ),
    (
        CoordinatorRow.EXTENSIVE_HOME_HEALTH,
        _l(
            "Omfattande kommunal hemsjukvård med återkommande hembesök: arbetsterapeut, "
            "fysioterapeut eller distriktssköterska i kommunen, den funktion som har flest insatser"
        ),
    ),
    (
        CoordinatorRow.HOME_HELP_SOME_HOME_HEALTH,
        _l("Hemtjänst och viss hemsjukvård: enhetschefen i hemtjänst eller personlig assistans"),
    ),
    (
        CoordinatorRow.PRIMARY_CARE,
        _l("Ordinärt boende utan kommunal hemsjukvård: samordningsansvaret stannar i primärvården"),
    ),
    (
        CoordinatorRow.NO_ROW,
        _l("Ingen rad i vägledningen passar: bestäm utifrån förutsättningarna"),
    ),
    (HomeHealth.NONE, _l("Ingen kommunal hemsjukvård")),
    (HomeHealth.SOME, _l("Viss hemsjukvård, utan återkommande hembesök av legitimerad personal")),
    (HomeHealth.EXTENSIVE, _l("Omfattande hemsjukvård med återkommande hembesök")),
    (WishOutcome.NO_WISH, _l("Den enskilde har inte önskat någon")),
    (WishOutcome.MET, _l("Förslaget följer den enskildes önskemål")),
    (
        WishOutcome.NOT_ELIGIBLE,
        _l("Den som önskas deltar inte i planen och kan inte föreslås – prata med den enskilde"),
    ),
    (WishOutcome.DESCRIBED, _l("Den enskilde har beskrivit sitt önskemål med egna ord")),
    (ReassessOutcome.NEED_REMAINS, _l("Behovet finns kvar – SIP i hemmet")),
    (ReassessOutcome.HEALTH_CARE_ONLY, _l("Behovet gäller bara hälso- och sjukvård")),
    (ReassessOutcome.NO_NEED, _l("Inget kvarvarande behov av samordning")),
    (ReassessOutcome.NOT_WANTED, _l("Den enskilde vill inte längre ha en SIP")),
    (ReassessOutcome.PLAN_CHANGED, _l("Hem eller särskilt boende i stället för korttidsvistelse")),
)

# Keyed by (enum class, value): two vocabularies may share a value ("met"), and StrEnum
# members compare and hash as their string, so a plain dict lets one overwrite the other.
LABELS: dict[tuple[type, str], object] = {
    (type(value), str(value)): words for value, words in _PAIRS
}


STAFF_WORDS: dict[tuple[type, str], object] = {
    # The individual reads "Hemma hos dig"; staff read of the individual's home (issue 13.7).
    (MeetingForm, str(MeetingForm.HOME)): _l("Hemma hos den enskilde"),
}


def for_staff(value: StrEnum | None) -> str:
    """The word staff pages use for an enum value: `of`, unless it was written for the
    individual ("Hemma hos dig")."""
    if value is None:
        return ""
    words = STAFF_WORDS.get((type(value), str(value)))
    return str(words) if words is not None else of(value)


def of(value: StrEnum | None) -> str:
    """The word for an enum value in the current locale ('' for None)."""
    if value is None:
        return ""
    return str(LABELS[(type(value), str(value))])


# Notification kinds (portal.services.notifications) and their words. The individual's side
# reads them on the home page; staff see the same events on the worklist.
NOTIFICATION_TEXT: dict[str, object] = {
    "coordinator.appointed": _l("Du har fått en samordningsansvarig."),
    "coordinator.handed_over": _l("Du har fått en ny samordningsansvarig."),
    "meeting.invited": _l("Du är kallad till ett möte."),
    "meeting.changed": _l("Tiden eller platsen för ett möte har ändrats."),
    "meeting.cancelled": _l("Ett möte är inställt."),
    "plan.new_version": _l("Det finns ett nytt förslag till plan."),
    "plan.signed": _l("Din plan är underskriven. Du kan ladda ner den."),
    "plan.closed": _l("Din SIP är avslutad."),
    "request.answered": _l("Du har fått svar på din fråga."),
    "request.sooner_follow_up": _l("Den enskilde vill ha uppföljning tidigare."),
    "request.end_plan": _l("Den enskilde vill avsluta planen."),
    "request.change_coordinator": _l("Den enskilde vill byta samordningsansvarig."),
    "coordinator.wish": _l("Den enskilde har önskat en samordningsansvarig."),
    "security.recovery_letter": _l(
        "Personalen har begärt ett nytt brev för att komma in på ditt konto. Bad du inte om det? "
        "Kontakta din samordningsansvarige. Dina nycklar och när de lades till står under Mitt konto."
    ),
    "consent.recorded_by_staff": _l(
        "Personalen har antecknat ett besked om samtycke åt dig. Se Samtycke i din plan."
    ),
    "plan.unit_added": _l(
        "Personalen har lagt till en enhet som deltar i din plan. Se Samtycke i din plan."
    ),
    "security.representative": _l(
        "Personalen har registrerat en legal företrädare (god man eller förvaltare) för dig."
    ),
    "consent.given": _l("Den enskilde har gett samtycke."),
    "consent.withdrawn": _l("Den enskilde har tagit tillbaka samtycke."),
}


# The same notifications as a relative reads them, acting for the individual: they name the
# individual and never say "du/din" about her (issue 14 point 3).
NOTIFICATION_FOR_RELATIVE: dict[str, object] = {
    "coordinator.appointed": _l("%(name)s har fått en samordningsansvarig."),
    "coordinator.handed_over": _l("%(name)s har fått en ny samordningsansvarig."),
    "meeting.invited": _l("%(name)s är kallad till ett möte."),
    "plan.signed": _l("Planen för %(name)s är underskriven. Den kan laddas ner."),
    "plan.closed": _l("SIP:en för %(name)s är avslutad."),
    "request.answered": _l("En fråga om planen för %(name)s har fått svar."),
    "security.recovery_letter": _l("Personalen har begärt ett nytt inloggningsbrev åt %(name)s."),
    "consent.recorded_by_staff": _l(
        "Personalen har antecknat ett besked om samtycke åt %(name)s. Se Samtycke i planen."
    ),
    "security.representative": _l(
        "Personalen har registrerat en legal företrädare (god man eller förvaltare) för %(name)s."
    ),
}


NEUTRAL_NOTIFICATIONS = frozenset({"meeting.changed", "meeting.cancelled", "plan.new_version"})


def notification(kind: str, for_name: str | None = None) -> str:
    """The words of a notification; an unknown key (from a newer release) reads plainly.
    With `for_name` (a relative acting for the individual) the words name the individual."""
    if for_name:
        words = NOTIFICATION_FOR_RELATIVE.get(kind)
        if words is not None:
            return str(words) % {"name": for_name}
        if kind in NEUTRAL_NOTIFICATIONS:
            return str(NOTIFICATION_TEXT[kind])
        return str(_l("Något har ändrats i planen för %(name)s.")) % {"name": for_name}
    return str(NOTIFICATION_TEXT.get(kind, _l("Något har ändrats i din plan.")))


# Words that change when a relative reads them: "Hemma hos Astrid", "Se Astrids plan".
FOR_RELATIVE: dict[tuple[type, str], object] = {
    (MeetingForm, str(MeetingForm.HOME)): _l("Hemma hos %(name)s"),
    (Scope, str(Scope.VIEW_PLAN)): _l("Se planen för %(name)s"),
    (Scope, str(Scope.PREPARE)): _l("Hjälpa %(name)s förbereda möten"),
    (Scope, str(Scope.MEETING_DATES)): _l("Få mötestiderna för %(name)s"),
}


def for_(value: StrEnum | None, name: str | None) -> str:
    """The word for an enum value as a relative acting for `name` reads it (`of` without a
    name, or when the word does not speak to the individual)."""
    if value is None:
        return ""
    words = FOR_RELATIVE.get((type(value), str(value))) if name else None
    return str(words) % {"name": name} if words is not None else of(value)
