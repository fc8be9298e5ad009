"""Loaders for the individual's pages (a relative uses them acting for the individual).

Flaskr's `get_post(id, check_author)` shape, as `portal/web/staff/loaders.py` for staff: a view
asks for the individual in focus, or one of their plans, with what it needs to do; the loader
reads the access facts once, asks `portal.rules.access`, and answers 404 for a plan that is not
the individual's and 403 when the viewer may not do this. The `PersonPlan` it returns carries
the rule results the page shows, so no view or template works out a permission itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import sqlalchemy as sa
from flask import abort, redirect, url_for
from flask_login import current_user
from sqlalchemy.orm.interfaces import ORMOption
from werkzeug.wrappers import Response

from portal import db
from portal.models import Account, Individual, Plan
from portal.models.audit_types import EventType
from portal.models.content_counter import GENERATION
from portal.rules import access
from portal.rules.access import PlanFacts, Viewer
from portal.rules.vocabulary import AccountKind
from portal.services import reads
from portal.services.person_view import WHOLE_PLAN, plans_of
from portal.services.viewers import plan_facts, plan_facts_many, viewer_for
from portal.web.acting import individual_in_focus


class Need(StrEnum):
    """What the view will do with the individual's data."""

    DATES = "dates"  # see when and where the meetings are (the calendar)
    VIEW = "view"  # see the plan's content
    PREPARE = "prepare"  # write the preparation for a meeting
    WRITE = "write"  # see the plan and write requests or a coordinator wish
    CHANGE_CONSENT = "change_consent"  # see the plan and give or withdraw consent
    MANAGE_DELEGATIONS = "manage_delegations"  # invite, change and revoke relatives
    READ_ACCESS_LOG = "read_access_log"  # "Vem har tittat?"


@dataclass(frozen=True)
class PersonPlan:
    """One of the individual's plans as the signed-in person may use it; facts read once."""

    plan: Plan
    viewer: Viewer
    facts: PlanFacts

    @property
    def individual(self) -> Individual:
        return self.plan.individual

    @property
    def may_view(self) -> bool:
        return access.may_view_plan(self.viewer, self.facts)

    @property
    def may_see_dates(self) -> bool:
        return access.may_see_meeting_dates(self.viewer, self.facts)

    @property
    def may_see_meeting_content(self) -> bool:
        return access.may_see_meeting_content(self.viewer, self.facts)

    @property
    def may_prepare(self) -> bool:
        return access.may_prepare(self.viewer, self.facts)

    @property
    def may_write(self) -> bool:
        return access.may_write_requests(self.viewer, self.facts)

    @property
    def may_change_consent(self) -> bool:
        """Give or withdraw consent on this plan (never on a closed one)."""
        return access.may_change_plan_consent(self.viewer, self.facts)

    @property
    def consent_count(self) -> tuple[int, int]:
        """(units with consent in force, units taking part), as the home page tells them."""
        taking_part = self.facts.participating_unit_ids  # rules.participation
        return len(access.taking_part_with_consent(self.facts)), len(taking_part)


def focus_or_choose() -> Individual | Response:
    """The individual in focus; a relative who has not chosen is sent to choose."""
    individual = individual_in_focus()
    if individual is not None:
        return individual
    if current_user.kind is AccountKind.RELATIVE:
        return redirect(url_for("person.choose_person"))
    abort(403)


def on_behalf_of(individual: Individual) -> int | None:
    return individual.id if current_user.kind is AccountKind.RELATIVE else None


def _viewer() -> Viewer:
    return viewer_for(current_user)


_INDIVIDUAL_NEEDS = {
    Need.MANAGE_DELEGATIONS: access.may_manage_delegations,
    Need.READ_ACCESS_LOG: access.may_read_access_log,
}


def load_individual(need: Need | None = None) -> Individual | Response:
    """The individual in focus (or the page to choose one), if the viewer may do `need` with
    their data (else 403); without a need, only whose pages these are."""
    individual = focus_or_choose()
    if isinstance(individual, Response) or need is None:
        return individual
    if not _INDIVIDUAL_NEEDS[need](_viewer(), individual.id):
        abort(403)
    return individual


def may_change_consent(individual: Individual) -> bool:
    """May the signed-in person give or withdraw the individual's consent at all?"""
    return access.may_change_consent(_viewer(), individual.id)


def _refuse(found: PersonPlan, need: Need) -> PersonPlan:
    if need is Need.DATES:
        allowed = found.may_see_dates
    elif need is Need.PREPARE:
        allowed = found.may_prepare
    else:
        allowed = found.may_view
    if not allowed:
        abort(403)
    if need is Need.WRITE and not found.may_write:
        abort(403)
    if need is Need.CHANGE_CONSENT:
        if not access.may_change_consent(found.viewer, found.individual.id):
            abort(403)
        if not found.may_change_consent:  # a closed plan: its consent stands [004]
            abort(404)
    return found


def load_plan(
    plan_id: int, need: Need = Need.VIEW, *, loads: tuple[ORMOption, ...] = ()
) -> PersonPlan | Response:
    """A plan of the individual in focus (404 for anyone else's), if the viewer may do `need`
    with it (403); or the page where a relative chooses whom they act for. The plan is loaded
    once, with the loader options `loads` for what the page shows (ADR 0081)."""
    individual = focus_or_choose()
    if isinstance(individual, Response):
        return individual
    if loads:
        statement = sa.select(Plan).where(Plan.id == plan_id).options(*loads)
        plan = db.session().scalars(statement).one_or_none()
    else:
        plan = db.session().get(Plan, plan_id)
    if plan is None or plan.individual_id != individual.id:
        abort(404)
    return _refuse(PersonPlan(plan, _viewer(), plan_facts(plan)), need)


_PLAN_ROW = db.BuiltOnce(
    lambda loads: (
        sa.select(Plan, GENERATION)
        .where(Plan.id == sa.bindparam("plan_id"))
        .options(*loads)
        .execution_options(populate_existing=True)
    )
)


def load_plan_row(
    plan_id: int, need: Need = Need.VIEW, *, loads: tuple[ORMOption, ...] = ()
) -> tuple[PersonPlan, int] | Response:
    """As `load_plan`, but only the plan's row (with the many-to-ones `loads`), read fresh
    with the content cache's generation in the same statement (ADR 0084): the plan page
    decides access and audits from this, and loads the plan's parts only on a cache miss."""
    individual = focus_or_choose()
    if isinstance(individual, Response):
        return individual
    row = db.session().execute(_PLAN_ROW(loads), {"plan_id": plan_id}).one_or_none()
    if row is None or row[0].individual_id != individual.id:
        abort(404)
    plan, generation = row
    return _refuse(PersonPlan(plan, _viewer(), plan_facts(plan)), need), int(generation)


def dated_plans(
    individual_id: int, options: tuple = WHOLE_PLAN, account: Account | None = None
) -> list[PersonPlan]:
    """The individual's plans (current first, `options` loaded) whose meeting dates `account`
    may see: the signed-in person unless named (the calendar feed has no session)."""
    plans = plans_of(individual_id, options)
    viewer = viewer_for(account if account is not None else current_user)
    facts = plan_facts_many(plans)
    return [p for p in (PersonPlan(p, viewer, facts[p.id]) for p in plans) if p.may_see_dates]


def audit_read(individual: Individual, type: EventType, object_id: int | None = None) -> None:
    """A read of the individual's data; the object is what the type names ("plan.read": plan)."""
    reads.read(
        type=type,
        by=current_user,
        subject_individual_id=individual.id,
        on_behalf_of=on_behalf_of(individual),
        object_type=type.value.removesuffix(".read"),
        object_id=object_id,
    )
