"""Roles and the endpoint-level gate. Deny by default.

Every view states who may use it with `@allow(...)`. A `before_request` hook refuses any
endpoint that states nothing, and answers 403 (or a sign-in redirect) when the current
person holds none of the roles named. Object-level questions are in `portal.rules.access`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from flask import Flask, abort, current_app, request
from flask_login import current_user

from portal.auth.returning import remember_where, to_sign_in
from portal.rules.vocabulary import AccountKind, DelegationKind, Role

PUBLIC = "public"  # anyone, signed in or not
F = TypeVar("F", bound=Callable[..., Any])
ALLOWED_ATTR = "_sip_allowed"


def allow(*roles: Role | str) -> Callable[[F], F]:
    """Declare who may use a view: `@allow(Role.STAFF)`, or `@allow(PUBLIC)`."""
    if not roles:
        raise ValueError("allow() needs at least one role")

    def decorate(view: F) -> F:
        setattr(view, ALLOWED_ATTR, frozenset(str(r) for r in roles))
        return view

    return decorate


def allowed_roles(endpoint: str | None, app: Flask) -> frozenset[str] | None:
    if endpoint is None:
        return None
    view = app.view_functions.get(endpoint)
    return getattr(view, ALLOWED_ATTR, None)


def roles_of(account: Any, today: date) -> frozenset[Role]:
    """The roles an account holds today."""
    if account is None or not getattr(account, "is_authenticated", False):
        return frozenset({Role.ANONYMOUS})
    if account.kind is AccountKind.INDIVIDUAL:
        return frozenset({Role.INDIVIDUAL})
    if account.kind is AccountKind.STAFF:
        roles = {Role.STAFF}
        if account.staff.is_unit_admin:
            roles.add(Role.UNIT_ADMIN)
        if account.staff.is_system_admin:
            roles.add(Role.SYSTEM_ADMIN)
        return frozenset(roles)
    from portal.services.delegations import active_delegations_for_relative

    roles = {Role.RELATIVE}
    if any(
        d.kind is DelegationKind.REPRESENTATIVE
        for d in active_delegations_for_relative(account.relative_id, today)
    ):
        roles.add(Role.REPRESENTATIVE)
    return frozenset(roles)


def current_roles() -> frozenset[Role]:
    from portal.timeutil import today_stockholm

    return roles_of(current_user, today_stockholm())


def gate() -> Any:
    """The before_request hook: deny by default."""
    declared = allowed_roles(request.endpoint, current_app)
    if request.endpoint is None:
        return None  # 404 follows
    if declared is None:
        current_app.logger.error("endpoint %s declares no roles: denied", request.endpoint)
        abort(403)
    if PUBLIC in declared:
        return None
    if not current_user.is_authenticated:
        remember_where()
        return to_sign_in()
    if not declared & {str(r) for r in current_roles()}:
        abort(403)
    return None
