"""Every enum value has its own words, even where two vocabularies share a value."""

from __future__ import annotations

from flask import Flask

from portal import labels
from portal.rules.coordinator import WishOutcome
from portal.rules.vocabulary import GoalEvaluation


def test_labels_goal_met_is_not_the_coordinator_wish_outcome(app: Flask) -> None:
    with app.test_request_context():
        assert labels.of(GoalEvaluation.MET) == "Uppfyllt"
        assert labels.of(WishOutcome.MET) == "Förslaget följer den enskildes önskemål"


def test_labels_no_value_is_overwritten_by_another_vocabulary() -> None:
    assert len(labels.LABELS) == len(labels._PAIRS)
