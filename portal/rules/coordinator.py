"""Who suits as coordinator after the first meeting: the table of [000]. Pure.

The table (SIP-DOMAIN.md, "Choosing the coordinator") gives suggestions, never absolute
answers; they are decided case by case, and the individual's own wish is met as far as
possible. So: a wish that names a candidate (a named staff member of a municipality or a
region who takes part in the plan) wins over the table; the row the table gives is still
shown, so staff see both.

Order of the rows when more than one fits: ÄlSa first ("as long as the individual is
connected"), then the short-term stay, then only social interventions, then home health by
its extent, and last the primary-care row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from portal.rules.vocabulary import LegalBasis, Principal, Profession, UnitKind


class CoordinatorRow(StrEnum):
    """The row of the table that applied."""

    ALSA = "alsa"  # connected to ÄlSa: the ÄlSa team, as long as connected
    SHORT_TERM_STAY = "short_term_stay"  # the municipality's needs assessor
    ONLY_SOCIAL = "only_social"  # SoL/LSS only: the SIP can be closed after the first meeting
    EXTENSIVE_HOME_HEALTH = "extensive_home_health"  # municipal OT, PT or district nurse
    HOME_HELP_SOME_HOME_HEALTH = "home_help_some_home_health"  # unit manager, home help
    PRIMARY_CARE = "primary_care"  # no municipal home health: stays with primary care
    NO_ROW = "no_row"  # no row fits (e.g. some home health without home help)


class HomeHealth(StrEnum):
    """Municipal home health care, by its extent [000]."""

    NONE = "none"
    SOME = "some"  # without recurring home visits by licensed staff
    EXTENSIVE = "extensive"  # with recurring home visits by licensed staff


class WishOutcome(StrEnum):
    NO_WISH = "no_wish"
    MET = "met"  # the wished staff member is the suggestion
    NOT_ELIGIBLE = "not_eligible"  # the wished person does not take part in the plan
    DESCRIBED = "described"  # a wish in the individual's own words: staff judge it


@dataclass(frozen=True)
class CareSituation:
    short_term_stay: bool = False  # in a short-term municipal stay
    alsa: bool = False  # connected to an ÄlSa team
    home_help: bool = False  # home help or personal assistance
    home_health: HomeHealth = HomeHealth.NONE
    only_social: bool = False  # only social interventions (SoL, LSS)


@dataclass(frozen=True)
class Candidate:
    """A staff member who could be coordinator (takes part in the plan)."""

    staff_id: int
    profession: Profession
    unit_kind: UnitKind
    principal: Principal
    interventions: int = 0  # interventions they are responsible for in the plan
    care_contact: bool = False  # fast vårdkontakt


@dataclass(frozen=True)
class Wish:
    """The individual's wish: a named staff member, or words of their own."""

    staff_id: int | None = None
    description: str = ""


@dataclass(frozen=True)
class Suggestion:
    row: CoordinatorRow
    staff_id: int | None  # whom to appoint: the wish where it can be met, else the table
    by_table: int | None  # whom the table alone suggests
    wish: WishOutcome
    may_close_after_first_meeting: bool = False

    @property
    def wish_met(self) -> bool | None:
        """True/False when the wish names someone; None when there is no wish or only words."""
        if self.wish is WishOutcome.MET:
            return True
        if self.wish is WishOutcome.NOT_ELIGIBLE:
            return False
        return None


HOME_HEALTH_FUNCTIONS = frozenset(
    {Profession.OCCUPATIONAL_THERAPIST, Profession.PHYSIOTHERAPIST, Profession.DISTRICT_NURSE}
)
LICENSED = HOME_HEALTH_FUNCTIONS | {Profession.NURSE, Profession.PHYSICIAN}
ELIGIBLE_PRINCIPALS = frozenset({Principal.REGION, Principal.MUNICIPALITY})
HOME_HELP_UNITS = frozenset({UnitKind.HOME_HELP, UnitKind.PERSONAL_ASSISTANCE})
SOCIAL_BASES = frozenset({LegalBasis.SOL, LegalBasis.LSS})


def row_for(situation: CareSituation) -> CoordinatorRow:
    """The row of the table that fits the situation."""
    if situation.alsa:
        return CoordinatorRow.ALSA
    if situation.short_term_stay:
        return CoordinatorRow.SHORT_TERM_STAY
    if situation.only_social:
        return CoordinatorRow.ONLY_SOCIAL
    if situation.home_health is HomeHealth.EXTENSIVE:
        return CoordinatorRow.EXTENSIVE_HOME_HEALTH
    if situation.home_health is HomeHealth.SOME:
        if situation.home_help:
            return CoordinatorRow.HOME_HELP_SOME_HOME_HEALTH
        return CoordinatorRow.NO_ROW
    return CoordinatorRow.PRIMARY_CARE


def _most_interventions(candidates: Sequence[Candidate]) -> Candidate | None:
    """The one with most interventions; on a tie, the first given (a stable answer)."""
    best: Candidate | None = None
    for candidate in candidates:
        if best is None or candidate.interventions > best.interventions:
            best = candidate
    return best


def _home_health_function(candidates: Sequence[Candidate]) -> Candidate | None:
    """[000]: 'the function with most interventions' — first the profession, then the person."""
    fitting = [
        c
        for c in candidates
        if c.profession in HOME_HEALTH_FUNCTIONS and c.principal is Principal.MUNICIPALITY
    ]
    totals: Counter[Profession] = Counter()
    for candidate in fitting:
        totals[candidate.profession] += candidate.interventions
    if not totals:
        return None
    first_seen = {c.profession: i for i, c in reversed(list(enumerate(fitting)))}
    function = max(totals, key=lambda p: (totals[p], -first_seen[p]))
    return _most_interventions([c for c in fitting if c.profession is function])


def by_table(row: CoordinatorRow, candidates: Sequence[Candidate]) -> Candidate | None:
    """Whom the row suggests among the candidates (None when nobody fits)."""
    if row is CoordinatorRow.ALSA:
        return _most_interventions([c for c in candidates if c.unit_kind is UnitKind.ALSA_TEAM])
    if row is CoordinatorRow.SHORT_TERM_STAY:
        return _most_interventions(
            [
                c
                for c in candidates
                if c.profession is Profession.NEEDS_ASSESSOR
                and c.principal is Principal.MUNICIPALITY
            ]
        )
    if row is CoordinatorRow.EXTENSIVE_HOME_HEALTH:
        return _home_health_function(candidates)
    if row is CoordinatorRow.HOME_HELP_SOME_HOME_HEALTH:
        return _most_interventions(
            [
                c
                for c in candidates
                if c.profession is Profession.UNIT_MANAGER and c.unit_kind in HOME_HELP_UNITS
            ]
        )
    if row is CoordinatorRow.PRIMARY_CARE:
        primary = [c for c in candidates if c.unit_kind is UnitKind.HEALTH_CENTRE]
        contacts = [c for c in primary if c.care_contact]
        return _most_interventions(contacts or primary)
    return None  # only social interventions, or no row: nobody by the table


def suggest(
    situation: CareSituation, candidates: Sequence[Candidate], wish: Wish | None
) -> Suggestion:
    """The table's suggestion, with the individual's wish winning where it can be met."""
    row = row_for(situation)
    table_pick = by_table(row, candidates)
    table_id = table_pick.staff_id if table_pick else None
    may_close = row is CoordinatorRow.ONLY_SOCIAL
    if wish is None or (wish.staff_id is None and not wish.description.strip()):
        return Suggestion(row, table_id, table_id, WishOutcome.NO_WISH, may_close)
    if wish.staff_id is None:
        return Suggestion(row, table_id, table_id, WishOutcome.DESCRIBED, may_close)
    wished = next((c for c in candidates if c.staff_id == wish.staff_id), None)
    if wished is None or wished.principal not in ELIGIBLE_PRINCIPALS:
        return Suggestion(row, table_id, table_id, WishOutcome.NOT_ELIGIBLE, may_close)
    return Suggestion(row, wished.staff_id, table_id, WishOutcome.MET, may_close)


@dataclass(frozen=True)
class InterventionFact:
    """One intervention of the plan as the situation needs it."""

    unit_kind: UnitKind
    legal_basis: LegalBasis | None  # None: not chosen yet on a form being typed
    by_licensed_staff: bool  # the responsible person is licensed (nurse, OT, PT, physician)


def situation_from(
    unit_kinds: Iterable[UnitKind],
    interventions: Iterable[InterventionFact],
    *,
    in_short_term_stay: bool,
    home_health: HomeHealth | None = None,
) -> CareSituation:
    """The situation read from the plan: the units that take part and the interventions.

    Home health counts as extensive when licensed staff are responsible for two or more
    home-health interventions (recurring visits), as some when there is home health
    otherwise; staff who know better pass `home_health` (the table is never absolute).
    """
    facts = list(interventions)
    kinds = set(unit_kinds) | {f.unit_kind for f in facts}
    home_health_facts = [f for f in facts if f.unit_kind is UnitKind.HOME_HEALTH_CARE]
    if home_health is None:
        licensed = sum(1 for f in home_health_facts if f.by_licensed_staff)
        if licensed >= 2:
            home_health = HomeHealth.EXTENSIVE
        elif home_health_facts or UnitKind.HOME_HEALTH_CARE in kinds:
            home_health = HomeHealth.SOME
        else:
            home_health = HomeHealth.NONE
    only_social = bool(facts) and all(f.legal_basis in SOCIAL_BASES for f in facts)
    return CareSituation(
        short_term_stay=in_short_term_stay or UnitKind.SHORT_TERM_STAY in kinds,
        alsa=UnitKind.ALSA_TEAM in kinds,
        home_help=bool(kinds & HOME_HELP_UNITS),
        home_health=home_health,
        only_social=only_social,
    )
