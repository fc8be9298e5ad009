"""The glossary of SIP-DOMAIN.md as enums: one name for one thing, everywhere.

Pure: no Flask, no SQLAlchemy. Models store these by value; rules reason about them;
templates show them through `portal.labels` (translated words for each value).
"""

from __future__ import annotations

from enum import StrEnum


class Principal(StrEnum):
    """Huvudman: who runs an organisation."""

    REGION = "region"
    MUNICIPALITY = "municipality"


class UnitKind(StrEnum):
    """Enhet / verksamhet."""

    HEALTH_CENTRE = "health_centre"  # vårdcentral / hälsocentral (region)
    HOSPITAL_WARD = "hospital_ward"  # slutenvård (region)
    PSYCHIATRY_OUTPATIENT = "psychiatry_outpatient"  # psykiatrisk öppenvård (region)
    ALSA_TEAM = "alsa_team"  # ÄlSa-team (region)
    HOME_HELP = "home_help"  # hemtjänst (municipality)
    HOME_HEALTH_CARE = "home_health_care"  # hemsjukvård (municipality)
    NEEDS_ASSESSMENT = "needs_assessment"  # biståndshandläggning (municipality)
    SHORT_TERM_STAY = "short_term_stay"  # korttidsboende (municipality)
    PERSONAL_ASSISTANCE = "personal_assistance"  # personlig assistans (municipality)


class Profession(StrEnum):
    """Staff professions that appear as conveners and coordinators [000]."""

    NEEDS_ASSESSOR = "needs_assessor"  # biståndshandläggare
    DISTRICT_NURSE = "district_nurse"  # distriktssköterska
    OCCUPATIONAL_THERAPIST = "occupational_therapist"  # arbetsterapeut
    PHYSIOTHERAPIST = "physiotherapist"  # fysioterapeut
    UNIT_MANAGER = "unit_manager"  # enhetschef
    PHYSICIAN = "physician"  # läkare
    NURSE = "nurse"  # sjuksköterska
    SOCIAL_WORKER = "social_worker"  # socialsekreterare / kurator


class PlanContext(StrEnum):
    """Why and from where the SIP starts."""

    AFTER_DISCHARGE = "after_discharge"
    BEFORE_DISCHARGE = "before_discharge"
    AT_HOME = "at_home"  # no hospital stay
    AFTER_SHORT_TERM_STAY = "after_short_term_stay"


class PlanState(StrEnum):
    """The life of a plan; transitions are in `portal.rules.lifecycle`."""

    INITIATED = "initiated"
    DEFERRED = "deferred"  # wanted, but deferred during a short-term stay [002]
    INVITED = "invited"
    ESTABLISHED = "established"
    FOLLOWING_UP = "following_up"
    CLOSED = "closed"


class CloseReason(StrEnum):
    GOALS_MET = "goals_met"
    NO_LONGER_NEEDED = "no_longer_needed"
    NO_LONGER_WANTED = "no_longer_wanted"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    DECEASED = "deceased"
    ONLY_SOCIAL_INTERVENTIONS = "only_social_interventions"
    HOME_HEALTH_ENDED = "home_health_ended"
    REPLACED_BY_NEW_PLAN = "replaced_by_new_plan"


class ConsentStatus(StrEnum):
    GIVEN = "given"
    WITHDRAWN = "withdrawn"
    REFUSED = "refused"  # never given: each unit plans alone [004]
    CANNOT_CONSENT = "cannot_consent"  # health reasons; OSL 25:13 applies [004]
    # Asked, waiting for the individual to answer in the portal: nothing is shared yet.
    REQUESTED = "requested"


class ConsentMethod(StrEnum):
    DIGITAL = "digital"  # by the individual (or a representative) in the portal
    RECORDED_BY_STAFF = "recorded_by_staff"  # verbal, written down by staff with a date


class MeetingKind(StrEnum):
    FIRST = "first"  # establishes the plan
    FOLLOW_UP = "follow_up"
    HOME_HEALTH_HANDOVER = "home_health_handover"  # NOT a SIP meeting [002]


class MeetingForm(StrEnum):
    PHONE = "phone"
    VIDEO = "video"
    HOME = "home"
    HEALTH_CENTRE = "health_centre"
    OTHER_PLACE = "other_place"


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class ParticipantRole(StrEnum):
    CALLED = "called"  # staff: obliged to attend [003][004]
    INVITED = "invited"  # relatives and others the individual wants


class AttendeeRole(StrEnum):
    """In what role someone was at the meeting, as the signed plan states it."""

    INDIVIDUAL = "individual"  # the plan is theirs
    CONVENER = "convener"  # called the meeting
    CALLED = "called"  # staff called to take part [003]
    INVITED = "invited"  # relatives and others the individual wanted there


class Approval(StrEnum):
    """The individual's answer to the changes at a follow-up [004]."""

    APPROVED = "approved"
    NOT_APPROVED = "not_approved"
    NOT_ASKED = "not_asked"  # with a reason: e.g. could not take part


class LegalBasis(StrEnum):
    SOL = "SoL"
    HSL = "HSL"
    LSS = "LSS"
    LOS = "LOS"


class GoalEvaluation(StrEnum):
    MET = "met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"
    NO_LONGER_RELEVANT = "no_longer_relevant"


class VersionStatus(StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"
    SUPERSEDED = "superseded"  # a draft replaced before it was signed


class AccountKind(StrEnum):
    INDIVIDUAL = "individual"
    RELATIVE = "relative"  # also representatives: their right is a Delegation
    STAFF = "staff"


class Role(StrEnum):
    """Who may use an endpoint; see `portal.auth.permissions`."""

    ANONYMOUS = "anonymous"
    INDIVIDUAL = "individual"
    RELATIVE = "relative"
    REPRESENTATIVE = "representative"
    STAFF = "staff"
    UNIT_ADMIN = "unit_admin"
    SYSTEM_ADMIN = "system_admin"


class DelegationKind(StrEnum):
    RELATIVE = "relative"  # granted by the individual, within scopes
    REPRESENTATIVE = "representative"  # god man / förvaltare / guardian, recorded by staff


class Scope(StrEnum):
    """What an individual lets a relative do."""

    VIEW_PLAN = "view_plan"  # se min plan
    PREPARE = "prepare"  # hjälpa mig förbereda möten
    MEETING_DATES = "meeting_dates"  # få mina mötestider


class RequestKind(StrEnum):
    SOONER_FOLLOW_UP = "sooner_follow_up"
    END_PLAN = "end_plan"
    CHANGE_COORDINATOR = "change_coordinator"
