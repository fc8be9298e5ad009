"""Who may be called, invited and convene a meeting, and what is wrong with an invitation.

Called staff come from units the individual consented to [003]; invited relatives are those
acting for the individual today; the place asked for depends on the meeting's form
(portal.rules.invitation).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from portal import db
from portal.models import Account, Delegation, Plan, Relative, Staff
from portal.rules.invitation import WhereProblem, where_problem
from portal.rules.vocabulary import MeetingForm
from portal.services import offered
from portal.services.delegations import in_effect
from portal.services.plans import PlanInputError
from portal.timeutil import now, today_stockholm

WHERE_MESSAGES = {
    WhereProblem.ADDRESS_MISSING: _l("Skriv adressen där mötet hålls."),
    WhereProblem.HEALTH_CENTRE_MISSING: _l("Skriv vilken hälsocentral och gärna rummet."),
    WhereProblem.PHONE_MISSING: _l("Skriv telefonnumret som ska användas för mötet."),
    WhereProblem.PHONE_INVALID: _l("Skriv ett telefonnummer, till exempel 0601-12 34 00."),
    WhereProblem.LINK_MISSING: _l("Skriv länken till videomötet."),
    WhereProblem.LINK_INVALID: _l("Skriv hela länken till videomötet, den börjar med https://."),
}


class InvitationRefusedError(PlanInputError):
    """Every problem with an invitation at once, by form field."""

    def __init__(self, problems: dict[str, object]) -> None:
        field, message = next(iter(problems.items()))
        super().__init__(field, message)
        self.problems = problems


@dataclass(frozen=True)
class Invitation:
    """What an invitation says; the same for a new meeting and a changed one."""

    purpose: str
    questions: str
    convener: Staff
    called_staff_ids: Sequence[int]
    invited_relative_ids: Sequence[int]
    starts_at: datetime
    ends_at: datetime | None
    form: MeetingForm
    place: str = ""
    join_info: str = ""
    other_invited: Sequence[str] = ()


def relatives_of(individual_id: int) -> list[Relative]:
    """Relatives and representatives acting for the individual today (for the invited list)."""
    today = today_stockholm()
    statement = (
        sa.select(Relative)
        .join(Delegation, Delegation.relative_id == Relative.id)
        .where(
            Delegation.individual_id == individual_id,
            in_effect(today),
        )
        .distinct()
        .order_by(Relative.given_name, Relative.family_name)
    )
    return list(db.session().scalars(statement))


def callable_staff(plan: Plan) -> list[Staff]:
    """Staff at units taking part that the individual consented to share with [003]."""
    return offered.callable_staff(plan)


def possible_conveners(plan: Plan, by: Account) -> list[Staff]:
    """Who may convene: the one sending, the plan's convener, or staff who may be called."""
    return offered.conveners(plan, by)


def problems(plan: Plan, invitation: Invitation, by: Account) -> dict[str, object]:
    """Everything wrong with an invitation, by form field (empty when it may be sent)."""
    found: dict[str, object] = {}
    if not invitation.purpose.strip():
        found["purpose"] = _l("Skriv syftet med mötet.")
    if not invitation.questions.strip():
        found["questions"] = _l("Skriv vilka frågor som ska tas upp.")
    if invitation.convener.id not in {s.id for s in possible_conveners(plan, by)}:
        found["convener"] = _l("Välj sammankallande bland personalen på planen.")
    called = set(invitation.called_staff_ids) - {invitation.convener.id}
    if not called:
        found["called"] = _l("Välj minst en person att kalla, utöver den sammankallande.")
    elif not called <= {s.id for s in callable_staff(plan)}:
        found["called"] = _l("Du kan bara kalla personal från enheter som personen samtyckt till.")
    if not set(invitation.invited_relative_ids) <= {r.id for r in relatives_of(plan.individual_id)}:
        found["invited"] = _l("Välj bland personens närstående.")
    if invitation.starts_at <= now():
        found["day"] = _l("Mötet måste ligga framåt i tiden.")
    if invitation.ends_at is not None and invitation.ends_at <= invitation.starts_at:
        found["ends"] = _l("Sluttiden måste vara efter starttiden.")
    where = where_problem(invitation.form, invitation.place, invitation.join_info)
    if where:
        found[where[0]] = WHERE_MESSAGES[where[1]]
    return found
