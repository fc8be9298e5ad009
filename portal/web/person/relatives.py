"""Närstående: who may act for me, with which scopes; invite, change, revoke."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from portal import db
from portal.auth import eid
from portal.auth.kept_input import take
from portal.auth.permissions import allow
from portal.models import Delegation, Individual
from portal.models.audit_types import EventType
from portal.rules.vocabulary import Role, Scope
from portal.services import access
from portal.services.invitations import IssuedInvitation
from portal.timeutil import today_stockholm
from portal.web import fields, nav
from portal.web.fields import (
    DayField,
    EnumListField,
    FlagField,
    PinField,
    PortalForm,
    TextField,
    Window,
)
from portal.web.person import blueprint
from portal.web.person.loaders import Need, audit_read, load_individual, on_behalf_of

MANAGERS = (Role.INDIVIDUAL, Role.REPRESENTATIVE)
nav.register("person.relatives", _l("Närstående"), 60, *MANAGERS)


def _managed_individual() -> Individual | Response:
    return load_individual(Need.MANAGE_DELEGATIONS)


def _delegations(individual_id: int) -> list[Delegation]:
    return list(
        db.session().scalars(
            sa.select(Delegation)
            .where(Delegation.individual_id == individual_id)
            .order_by(Delegation.revoked_at.is_not(None), Delegation.created_at.desc())
        )
    )


class RelativeForm(PortalForm):
    given_name = TextField(max=100, required=True, missing=lambda: _("Skriv förnamnet."))
    family_name = TextField(max=100, required=True, missing=lambda: _("Skriv efternamnet."))
    valid_until = DayField(window=Window(back=0, ahead=10))
    personal_identity_number = PinField()
    scopes = EnumListField(
        Scope,
        required=True,
        missing=lambda: _("Välj minst en sak som personen får hjälpa dig med."),
    )


class RevokeForm(PortalForm):
    confirmed = FlagField()


def _form_errors(
    typed: RelativeForm, individual_pin: str
) -> tuple[dict[str, str], frozenset[Scope], date | None, str | None]:
    errors = typed.problems()
    pin = typed.value("personal_identity_number")
    if pin and pin == individual_pin:
        errors["personal_identity_number"] = _(
            "Skriv den närståendes personnummer, inte ditt eget."
        )
    scopes = frozenset(typed.value("scopes"))
    until = typed.value("valid_until")
    return errors, scopes, until, pin


@blueprint.get("/relatives")
@allow(*MANAGERS)
def relatives() -> str | Response:
    individual = _managed_individual()
    if isinstance(individual, Response):
        return individual
    audit_read(individual, EventType.DELEGATIONS_READ)
    kept = take(account_id=current_user.id, path=request.path)
    return render_template(
        "person/relatives.html",
        individual=individual,
        delegations=_delegations(individual.id),
        form=kept or {},
        errors={},
        chosen=set(kept.getlist("scopes")) if kept else set(),
        scopes=list(Scope),
        today=today_stockholm(),
        kept=kept is not None,
    )


@blueprint.post("/relatives")
@allow(*MANAGERS)
def invite_relative() -> str | Response | tuple[str, int]:
    individual = _managed_individual()
    if isinstance(individual, Response):
        return individual
    typed = fields.read(RelativeForm, request.form)
    errors, scopes, until, pin = _form_errors(typed, individual.personal_identity_number)
    if errors:
        page = render_template(
            "person/relatives.html",
            individual=individual,
            delegations=_delegations(individual.id),
            form=request.form,
            errors=errors,
            chosen=set(typed["scopes"].raw),
            scopes=list(Scope),
            today=today_stockholm(),
        )
        return page, 400
    issued = access.invite_relative(
        individual=individual,
        given_name=typed.value("given_name"),
        family_name=typed.value("family_name"),
        scopes=scopes,
        valid_until=until,
        by=current_user,
        on_behalf_of=on_behalf_of(individual),
        personal_identity_number=pin,
        eid=eid.configured(),
    )
    return _show_letter(individual, issued)


def _show_letter(individual: Individual, issued: IssuedInvitation) -> str:
    """The letter, once, as the answer to the POST that made its secrets: not kept in the
    session, not in a URL path (the link's token is a fragment), and no page shows it again."""
    from portal.web.letters import invitation_letter_context

    delegation = issued.invitation.delegation
    assert delegation is not None
    return render_template(
        "person/relative_letter.html",
        delegation=delegation,
        individual_name=individual.name,
        individual_given=individual.given_name,
        scope_lines=_scope_lines(delegation, individual.given_name),
        valid_until=delegation.valid_until,
        **invitation_letter_context(
            issued.token,
            issued.code,
            delegation.relative.given_name,
            issued.invitation.expires_at,
        ),
    )


def _scope_lines(delegation: Delegation, given_name: str) -> list[str]:
    """What the relative may do, said to the relative about the individual."""
    from portal.web.context import possessive

    owner = possessive(given_name)
    words = {
        Scope.VIEW_PLAN: _(
            "se %(owner)s plan, möten och vem som är samordningsansvarig", owner=owner
        ),
        Scope.PREPARE: _("hjälpa %(name)s att förbereda mötena", name=given_name),
        Scope.MEETING_DATES: _("se när %(owner)s möten är", owner=owner),
    }
    return [words[scope] for scope in sorted(delegation.scopes)]


def _own_delegation(individual_id: int, delegation_id: int) -> Delegation:
    delegation = db.session().get(Delegation, delegation_id)
    if delegation is None or delegation.individual_id != individual_id:
        abort(404)
    return delegation


@blueprint.get("/relatives/<int:delegation_id>/revoke")
@allow(*MANAGERS)
def confirm_revoke_relative(delegation_id: int) -> str | Response:
    """Ta bort en närstående: what it means, then one button that does it."""
    individual = _managed_individual()
    if isinstance(individual, Response):
        return individual
    delegation = _own_delegation(individual.id, delegation_id)
    if delegation.revoked_at is not None:
        return redirect(url_for("person.relatives"), code=303)
    return render_template(
        "person/relative_revoke.html", individual=individual, delegation=delegation
    )


@blueprint.post("/relatives/<int:delegation_id>/revoke")
@allow(*MANAGERS)
def revoke_relative(delegation_id: int) -> str | Response:
    individual = _managed_individual()
    if isinstance(individual, Response):
        return individual
    delegation = _own_delegation(individual.id, delegation_id)
    confirmed = fields.read(RevokeForm, request.form)
    if confirmed.problems():
        abort(400)  # the page's one button sends "yes"; a forged value is not a confirmation
    if not confirmed.value("confirmed"):
        return redirect(
            url_for("person.confirm_revoke_relative", delegation_id=delegation.id), code=303
        )
    access.revoke_delegation(
        delegation=delegation, by=current_user, on_behalf_of=on_behalf_of(individual)
    )
    flash(
        _("%(name)s kan inte längre se eller göra något åt dig.", name=delegation.relative.name),
        "success",
    )
    return redirect(url_for("person.relatives"), code=303)
