"""A new hospital episode with changed needs starts a new plan, linked to the earlier one [000].

The care contact in primary care handles it: the health-centre staff member who starts it
becomes its convener. The earlier plan's information is kept; it is either kept open (to be
followed up or revised) or closed as "replaced by a new plan" [004]. Consent is carried over
only when the staff member confirms that the individual agreed again; otherwise the new plan
has no consent yet and nothing is shared until it is recorded [003].
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from portal import db
from portal.models import Account, Plan, Unit
from portal.rules.closing import may_start_new_episode
from portal.rules.participation import units_with_consent
from portal.rules.vocabulary import CloseReason, ConsentStatus, PlanContext, PlanState
from portal.services.errors import NotAllowedError
from portal.services.plans import ConsentChoice, PlanInputError, close_plan_now, start_plan
from portal.services.viewers import consent_by_unit
from portal.timeutil import now


@dataclass(frozen=True)
class Episode:
    context: PlanContext
    ready_for_discharge_at: datetime | None = None
    preliminary_discharge_on: date | None = None
    reassess_before_home_on: date | None = None
    close_previous: bool = False  # else kept open, to be followed up or revised
    consent_confirmed: bool = False  # the individual agreed again to the same units


def consented_units(plan: Plan) -> list[Unit]:
    """Units whose consent is in force on the earlier plan (what may be carried over)."""
    units = {e.unit_id: e.unit for e in plan.consent_events}
    current = consent_by_unit(plan.id)
    given = [units[u] for u in units_with_consent(current)]
    return sorted(given, key=lambda unit: unit.name)


def start_new_episode(*, previous: Plan, episode: Episode, by: Account) -> Plan:
    """One transaction: the earlier plan closed as replaced (if chosen) and the new plan."""
    staff = by.staff
    if staff is None or not may_start_new_episode(staff.unit.kind):
        raise NotAllowedError("the care contact at a health centre starts the new plan [000]")
    note = str(_l("Samtycket bekräftat på nytt vid en ny vårdepisod."))
    consents = (
        [ConsentChoice(u.id, ConsentStatus.GIVEN, now(), note) for u in consented_units(previous)]
        if episode.consent_confirmed
        else []
    )
    session = db.session()
    try:
        if episode.close_previous and previous.state is not PlanState.CLOSED:
            close_plan_now(previous, CloseReason.REPLACED_BY_NEW_PLAN, by)
        return start_plan(
            individual=previous.individual,
            context=episode.context,
            ready_for_discharge_at=episode.ready_for_discharge_at,
            preliminary_discharge_on=episode.preliminary_discharge_on,
            reassess_before_home_on=episode.reassess_before_home_on,
            convener=staff,
            by=by,
            consents=consents,
            previous_plan=previous,
        )
    except PlanInputError:
        session.rollback()  # the earlier plan stays as it was
        raise
