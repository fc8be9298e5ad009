"""A signed plan version cannot change; a draft can."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.models import EvaluatedGoal, Goal, OwnResponsibility, PlanVersion
from portal.models.guards import SignedVersionIsImmutableError
from portal.rules.vocabulary import GoalEvaluation, VersionStatus
from portal.services import demo_data


def _signed_version(db: Session) -> PlanVersion:
    demo_data.load(db)
    return db.scalars(
        sa.select(PlanVersion).where(PlanVersion.status == VersionStatus.SIGNED)
    ).first()


def test_signed_version_refuses_a_changed_goal(db: Session) -> None:
    version = _signed_version(db)
    version.goals[0].text = "Något annat"
    with pytest.raises(SignedVersionIsImmutableError):
        db.flush()
    db.rollback()


def test_signed_version_refuses_new_content(db: Session) -> None:
    version = _signed_version(db)
    version.own_responsibilities.append(OwnResponsibility(text="Nytt", position=9))
    with pytest.raises(SignedVersionIsImmutableError):
        db.flush()
    db.rollback()


def test_signed_version_refuses_a_new_follow_up_date(db: Session) -> None:
    version = _signed_version(db)
    version.follow_up_how = "ändrat"
    with pytest.raises(SignedVersionIsImmutableError):
        db.flush()
    db.rollback()


def test_signed_version_refuses_evaluations_added_to_it(db: Session) -> None:
    version = _signed_version(db)
    version.evaluated_goals.append(
        EvaluatedGoal(goal=version.goals[0], position=0, evaluation=GoalEvaluation.MET)
    )
    with pytest.raises(SignedVersionIsImmutableError):
        db.flush()
    db.rollback()


def test_signed_version_refuses_a_changed_evaluation(db: Session) -> None:
    demo_data.load(db)
    evaluated = db.scalars(sa.select(EvaluatedGoal)).first()
    assert evaluated.version.status is VersionStatus.SIGNED
    evaluated.comment = "ändrat i efterhand"
    with pytest.raises(SignedVersionIsImmutableError):
        db.flush()
    db.rollback()


def test_evaluation_at_follow_up_belongs_to_the_new_draft(db: Session) -> None:
    version = _signed_version(db)
    draft = PlanVersion(plan_id=version.plan_id, number=99)
    draft.evaluated_goals.append(
        EvaluatedGoal(goal=version.goals[0], position=0, evaluation=GoalEvaluation.PARTLY_MET)
    )
    db.add(draft)
    db.commit()
    assert db.get(PlanVersion, draft.id).evaluated_goals[0].goal_id == version.goals[0].id


def test_draft_version_can_change_and_then_be_signed(db: Session) -> None:
    version = _signed_version(db)
    draft = PlanVersion(plan_id=version.plan_id, number=99)
    draft.goals.append(Goal(text="Utkast", position=0))
    db.add(draft)
    db.commit()
    draft.goals[0].text = "Ändrat utkast"
    draft.status = VersionStatus.SIGNED
    db.commit()
    draft.goals[0].text = "Efter underskrift"
    with pytest.raises(SignedVersionIsImmutableError):
        db.commit()
    db.rollback()
