"""Acting for an individual: an individual acts for themselves; a relative, for whom they chose."""

from __future__ import annotations

from flask import g, session
from flask_login import current_user

from portal import db
from portal.models import Delegation, Individual
from portal.rules.vocabulary import AccountKind
from portal.services.delegations import active_delegations_for_relative
from portal.timeutil import today_stockholm

ACTING_FOR = "acting_for"


def acting_for_individual() -> Individual | None:
    """The individual a relative is acting for right now (None for everyone else)."""
    if "acting_for" in g:
        return g.acting_for
    g.acting_for = None
    if current_user.is_authenticated and current_user.kind is AccountKind.RELATIVE:
        delegation = current_delegation()
        g.acting_for = delegation.individual if delegation else None
    return g.acting_for


def current_delegation() -> Delegation | None:
    wanted = session.get(ACTING_FOR)
    delegations = active_delegations_for_relative(current_user.relative_id, today_stockholm())
    for delegation in delegations:
        if delegation.individual_id == wanted:
            return delegation
    if len(delegations) == 1:
        session[ACTING_FOR] = delegations[0].individual_id
        return delegations[0]
    return None


def individual_in_focus() -> Individual | None:
    """Whose pages these are: the individual's own, or the one a relative acts for."""
    if not current_user.is_authenticated:
        return None
    if current_user.kind is AccountKind.INDIVIDUAL:
        return db.session().get(Individual, current_user.individual_id)
    return acting_for_individual()
