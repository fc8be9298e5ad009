"""Small builders for tests that need their own shapes of data (the demo world is fixed).

Each returns the object added to the session (flushed, not committed).
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from portal.models import (
    Account,
    Goal,
    Individual,
    Intervention,
    Meeting,
    Organisation,
    Plan,
    PlanVersion,
    Staff,
    Unit,
)
from portal.rules.vocabulary import (
    AccountKind,
    LegalBasis,
    MeetingForm,
    MeetingKind,
    PlanContext,
    PlanState,
    Principal,
    Profession,
    UnitKind,
)
from portal.services.demo_world import test_pin

_birth_day = itertools.count()
_number = itertools.count(9000)


def unit(
    db: Session, *, kind: UnitKind = UnitKind.HEALTH_CENTRE, principal: Principal = Principal.REGION
) -> Unit:
    organisation = Organisation(name=f"Org {next(_number)}", principal=principal)
    made = Unit(organisation=organisation, name=f"Enhet {next(_number)}", kind=kind)
    db.add(made)
    db.flush()
    return made


def staff(
    db: Session, *, at: Unit | None = None, profession: Profession = Profession.DISTRICT_NURSE
) -> Staff:
    made = Staff(
        unit=at or unit(db),
        given_name="Test",
        family_name=f"Personal{next(_number)}",
        profession=profession,
    )
    db.add_all([made, Account(kind=AccountKind.STAFF, staff=made)])
    db.flush()
    return made


def individual(db: Session, *, given_name: str = "Testa") -> Individual:
    birth = date(1930, 1, 1) + timedelta(days=next(_birth_day))
    made = Individual(
        personal_identity_number=test_pin(birth.strftime("%Y%m%d"), "989"),
        given_name=given_name,
        family_name=f"Testsson{next(_number)}",
    )
    db.add_all([made, Account(kind=AccountKind.INDIVIDUAL, individual=made)])
    db.flush()
    return made


def plan(
    db: Session,
    *,
    person: Individual | None = None,
    convener: Staff | None = None,
    state: PlanState = PlanState.ESTABLISHED,
    goals: int = 1,
    interventions_per_goal: int = 1,
    meetings: int = 1,
    versions: int = 1,
) -> Plan:
    convener = convener or staff(db)
    made = Plan(
        number=f"SIP-TEST-{next(_number)}",
        individual=person or individual(db),
        convener=convener,
        context=PlanContext.AFTER_DISCHARGE,
        state=state,
        ready_for_discharge_at=datetime.now(UTC) - timedelta(days=2),
    )
    db.add(made)
    with db.no_autoflush:  # the versions are added whole, once built
        for number in range(1, versions + 1):
            version = PlanVersion(plan=made, number=number)
            for g in range(goals):
                goal = Goal(text=f"Mål {g}", position=g)
                for i in range(interventions_per_goal):
                    goal.interventions.append(
                        Intervention(
                            what=f"Insats {g}.{i}",
                            unit=convener.unit,
                            responsible=convener,
                            legal_basis=LegalBasis.HSL,
                            position=i,
                        )
                    )
                version.goals.append(goal)
            db.add(version)
    for m in range(meetings):
        db.add(
            Meeting(
                plan=made,
                kind=MeetingKind.FOLLOW_UP if m else MeetingKind.FIRST,
                convener=convener,
                form=MeetingForm.HOME,
                starts_at=datetime.now(UTC) + timedelta(days=m + 1),
            )
        )
    db.flush()
    return made
