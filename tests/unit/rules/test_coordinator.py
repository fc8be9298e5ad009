"""The coordinator table of [000] (SIP-DOMAIN.md, "Choosing the coordinator"), row by row."""

from __future__ import annotations

import pytest

from portal.rules.coordinator import (
    Candidate,
    CareSituation,
    CoordinatorRow,
    HomeHealth,
    InterventionFact,
    Wish,
    WishOutcome,
    situation_from,
    suggest,
)
from portal.rules.vocabulary import LegalBasis, Principal, Profession, UnitKind

P, U = Profession, UnitKind
REGION, MUNICIPALITY = Principal.REGION, Principal.MUNICIPALITY

# Everyone who may take part in a plan: (id, profession, unit, principal, interventions)
CARE_CONTACT = Candidate(1, P.DISTRICT_NURSE, U.HEALTH_CENTRE, REGION, 1, care_contact=True)
PHYSICIAN = Candidate(2, P.PHYSICIAN, U.HEALTH_CENTRE, REGION, 2)
ALSA_NURSE = Candidate(3, P.NURSE, U.ALSA_TEAM, REGION, 1)
NEEDS_ASSESSOR = Candidate(4, P.NEEDS_ASSESSOR, U.NEEDS_ASSESSMENT, MUNICIPALITY, 0)
OT = Candidate(5, P.OCCUPATIONAL_THERAPIST, U.HOME_HEALTH_CARE, MUNICIPALITY, 1)
PT = Candidate(6, P.PHYSIOTHERAPIST, U.HOME_HEALTH_CARE, MUNICIPALITY, 1)
MUNICIPAL_NURSE = Candidate(7, P.DISTRICT_NURSE, U.HOME_HEALTH_CARE, MUNICIPALITY, 3)
HOME_HELP_MANAGER = Candidate(8, P.UNIT_MANAGER, U.HOME_HELP, MUNICIPALITY, 2)
EVERYONE = [
    CARE_CONTACT,
    PHYSICIAN,
    ALSA_NURSE,
    NEEDS_ASSESSOR,
    OT,
    PT,
    MUNICIPAL_NURSE,
    HOME_HELP_MANAGER,
]

ROWS = [
    # (row of the table, the situation, whom it suggests)
    ("short-term municipal stay", CareSituation(short_term_stay=True), NEEDS_ASSESSOR),
    ("ordinary home, no municipal home health care", CareSituation(), CARE_CONTACT),
    (
        "home help plus some home health (no recurring visits by licensed staff)",
        CareSituation(home_help=True, home_health=HomeHealth.SOME),
        HOME_HELP_MANAGER,
    ),
    (
        "extensive municipal home health with recurring visits",
        CareSituation(home_help=True, home_health=HomeHealth.EXTENSIVE),
        MUNICIPAL_NURSE,
    ),
    (
        "connected to ÄlSa",
        CareSituation(alsa=True, home_health=HomeHealth.EXTENSIVE),
        ALSA_NURSE,
    ),
    ("only social interventions (SoL, LSS)", CareSituation(only_social=True), None),
]
EXPECTED_ROW = {
    "short-term municipal stay": CoordinatorRow.SHORT_TERM_STAY,
    "ordinary home, no municipal home health care": CoordinatorRow.PRIMARY_CARE,
    "home help plus some home health (no recurring visits by licensed staff)": (
        CoordinatorRow.HOME_HELP_SOME_HOME_HEALTH
    ),
    "extensive municipal home health with recurring visits": CoordinatorRow.EXTENSIVE_HOME_HEALTH,
    "connected to ÄlSa": CoordinatorRow.ALSA,
    "only social interventions (SoL, LSS)": CoordinatorRow.ONLY_SOCIAL,
}


@pytest.mark.parametrize(("row", "situation", "expected"), ROWS, ids=[r[0] for r in ROWS])
def test_each_row_of_the_table_suggests_its_function(
    row: str, situation: CareSituation, expected: Candidate | None
) -> None:
    suggestion = suggest(situation, EVERYONE, None)
    assert suggestion.row is EXPECTED_ROW[row]
    assert suggestion.staff_id == (expected.staff_id if expected else None)
    assert suggestion.wish is WishOutcome.NO_WISH and suggestion.wish_met is None
    assert suggestion.may_close_after_first_meeting is (row.startswith("only social"))


def test_only_social_interventions_name_nobody_but_say_the_plan_may_close() -> None:
    suggestion = suggest(CareSituation(only_social=True), EVERYONE, None)
    assert suggestion.staff_id is None and suggestion.by_table is None
    assert suggestion.may_close_after_first_meeting


def test_the_individuals_wish_wins_over_the_table() -> None:
    suggestion = suggest(CareSituation(alsa=True), EVERYONE, Wish(staff_id=PT.staff_id))
    assert suggestion.staff_id == PT.staff_id
    assert suggestion.by_table == ALSA_NURSE.staff_id, "the table's answer is still shown"
    assert suggestion.wish is WishOutcome.MET and suggestion.wish_met is True


def test_a_wish_for_someone_not_taking_part_cannot_be_met() -> None:
    suggestion = suggest(CareSituation(), EVERYONE, Wish(staff_id=999))
    assert suggestion.staff_id == CARE_CONTACT.staff_id
    assert suggestion.wish is WishOutcome.NOT_ELIGIBLE and suggestion.wish_met is False


def test_a_wish_in_own_words_is_shown_beside_the_table() -> None:
    suggestion = suggest(CareSituation(), EVERYONE, Wish(description="Sköterskan som kommer"))
    assert suggestion.staff_id == CARE_CONTACT.staff_id
    assert suggestion.wish is WishOutcome.DESCRIBED and suggestion.wish_met is None


def test_alsa_beats_every_other_row() -> None:
    everything = CareSituation(
        short_term_stay=True, alsa=True, home_help=True, home_health=HomeHealth.EXTENSIVE
    )
    suggestion = suggest(everything, EVERYONE, None)
    assert suggestion.row is CoordinatorRow.ALSA
    assert suggestion.staff_id == ALSA_NURSE.staff_id


def test_for_home_health_the_function_with_most_interventions_wins() -> None:
    ot_a = Candidate(10, P.OCCUPATIONAL_THERAPIST, U.HOME_HEALTH_CARE, MUNICIPALITY, 2)
    ot_b = Candidate(11, P.OCCUPATIONAL_THERAPIST, U.HOME_HEALTH_CARE, MUNICIPALITY, 2)
    nurse = Candidate(12, P.DISTRICT_NURSE, U.HOME_HEALTH_CARE, MUNICIPALITY, 3)
    region_nurse = Candidate(13, P.DISTRICT_NURSE, U.HEALTH_CENTRE, REGION, 9)
    situation = CareSituation(home_health=HomeHealth.EXTENSIVE)
    # Occupational therapy has 4 interventions in all, district nursing 3: the OT function.
    suggestion = suggest(situation, [nurse, ot_a, ot_b, region_nurse], None)
    assert suggestion.staff_id == ot_a.staff_id
    # With more on the nurse, the nurse; the region's nurse never counts (not home health).
    busier = Candidate(12, P.DISTRICT_NURSE, U.HOME_HEALTH_CARE, MUNICIPALITY, 5)
    assert suggest(situation, [ot_a, ot_b, busier, region_nurse], None).staff_id == 12


def test_a_row_whose_function_does_not_take_part_suggests_nobody() -> None:
    suggestion = suggest(CareSituation(short_term_stay=True), [CARE_CONTACT], None)
    assert suggestion.row is CoordinatorRow.SHORT_TERM_STAY and suggestion.staff_id is None


def test_some_home_health_without_home_help_fits_no_row() -> None:
    suggestion = suggest(CareSituation(home_health=HomeHealth.SOME), EVERYONE, None)
    assert suggestion.row is CoordinatorRow.NO_ROW and suggestion.staff_id is None


def _fact(kind: UnitKind, basis: LegalBasis, licensed: bool = False) -> InterventionFact:
    return InterventionFact(kind, basis, licensed)


def test_situation_from_the_plans_interventions() -> None:
    alsa = situation_from(
        [],
        [
            _fact(U.ALSA_TEAM, LegalBasis.HSL, True),
            _fact(U.HOME_HELP, LegalBasis.SOL),
            _fact(U.HOME_HEALTH_CARE, LegalBasis.HSL, True),
            _fact(U.HOME_HEALTH_CARE, LegalBasis.HSL, True),
        ],
        in_short_term_stay=False,
    )
    assert alsa == CareSituation(alsa=True, home_help=True, home_health=HomeHealth.EXTENSIVE)
    some = situation_from(
        [],
        [_fact(U.HOME_HELP, LegalBasis.SOL), _fact(U.HOME_HEALTH_CARE, LegalBasis.HSL, True)],
        in_short_term_stay=False,
    )
    assert some == CareSituation(home_help=True, home_health=HomeHealth.SOME)
    social = situation_from(
        [],
        [_fact(U.HOME_HELP, LegalBasis.SOL), _fact(U.PERSONAL_ASSISTANCE, LegalBasis.LSS)],
        in_short_term_stay=False,
    )
    assert social.only_social and social.home_help
    stay = situation_from([U.NEEDS_ASSESSMENT], [], in_short_term_stay=True)
    assert stay == CareSituation(short_term_stay=True)


def test_staff_may_say_how_extensive_the_home_health_is() -> None:
    told = situation_from(
        [U.HOME_HEALTH_CARE], [], in_short_term_stay=False, home_health=HomeHealth.EXTENSIVE
    )
    assert told.home_health is HomeHealth.EXTENSIVE
