"""The factories build valid, distinct data for tests that need their own shapes."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.rules.identity import parse_pin
from portal.timeutil import today_stockholm
from tests import factories


def test_factories_build_a_plan_of_the_asked_size(db: Session) -> None:
    made = factories.plan(db, goals=3, interventions_per_goal=2, meetings=4, versions=2)
    db.commit()
    assert len(made.versions) == 2
    assert [len(g.interventions) for g in made.versions[0].goals] == [2, 2, 2]
    assert len(made.meetings) == 4
    pin = made.individual.personal_identity_number
    assert parse_pin(pin, today_stockholm()) == pin


def test_factories_make_distinct_people(db: Session) -> None:
    people = [factories.individual(db) for _ in range(5)]
    db.commit()
    assert len({p.personal_identity_number for p in people}) == 5
