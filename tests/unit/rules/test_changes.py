"""What changed between versions, in the words the individual reads."""

from __future__ import annotations

from datetime import date

from portal.rules.changes import (
    Change,
    ChangeKind,
    InterventionFacts,
    VersionFacts,
    changes_between,
)

HELP = InterventionFacts("Hemtjänst", "Hjälp morgon och kväll", "Peter Strand", "Varje dag")
WALK = InterventionFacts("Hemsjukvård", "Gångträning", "Lena Holm", "Två gånger i veckan")
BEFORE = VersionFacts(
    goals=("Bo kvar hemma",),
    interventions=(HELP, WALK),
    own=("Promenad",),
    follow_up_on=date(2026, 12, 7),
)


def test_no_change_says_nothing() -> None:
    assert changes_between(BEFORE, BEFORE) == []


def test_every_kind_of_change_is_told() -> None:
    after = VersionFacts(
        goals=("Bo kvar hemma", "Gå till affären"),
        interventions=(
            InterventionFacts(
                "Hemtjänst", "Hjälp morgon och kväll", "Peter Strand", "Tre gånger om dagen"
            ),
            InterventionFacts("ÄlSa", "Hembesök", "Fatima Al-Hassan", "Varannan vecka"),
        ),
        own=("Promenad", "Handla själv"),
        follow_up_on=date(2027, 1, 11),
    )
    assert changes_between(BEFORE, after) == [
        Change(ChangeKind.GOAL_ADDED, "Gå till affären"),
        Change(ChangeKind.INTERVENTION_REMOVED, "Gångträning", "Hemsjukvård"),
        Change(
            ChangeKind.INTERVENTION_CHANGED,
            "Hjälp morgon och kväll",
            "Hemtjänst",
            "Tre gånger om dagen, Peter Strand",
        ),
        Change(ChangeKind.INTERVENTION_ADDED, "Hembesök", "ÄlSa"),
        Change(ChangeKind.OWN_ADDED, "Handla själv"),
        Change(ChangeKind.FOLLOW_UP_MOVED, "2027-01-11"),
    ]


def test_removed_goals_and_own_responsibilities_are_told() -> None:
    after = VersionFacts(
        goals=(), interventions=(HELP, WALK), own=(), follow_up_on=BEFORE.follow_up_on
    )
    assert changes_between(BEFORE, after) == [
        Change(ChangeKind.GOAL_REMOVED, "Bo kvar hemma"),
        Change(ChangeKind.OWN_REMOVED, "Promenad"),
    ]
