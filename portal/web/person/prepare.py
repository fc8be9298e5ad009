"""Förbered dig inför mötet: the questions of [001], saved as you type, shared when you choose."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth.kept_input import take
from portal.auth.permissions import allow
from portal.models import Individual, Plan
from portal.models.audit_types import EventType
from portal.rules.vocabulary import MeetingForm, Role
from portal.services import preparations
from portal.services.preparations import PreparationInput
from portal.timeutil import now
from portal.web import fields
from portal.web.fields import ChoiceField, EnumField, TextField, form_class
from portal.web.htmx import render
from portal.web.person import blueprint
from portal.web.person.loaders import Need, audit_read, load_plan, on_behalf_of
from portal.web.person.requests import wish_context

PERSON = (Role.INDIVIDUAL, Role.RELATIVE)


def _preparing(plan_id: int) -> tuple[Individual, Plan, bool] | Response:
    found = load_plan(plan_id, Need.PREPARE)
    if isinstance(found, Response):
        return found
    return found.individual, found.plan, found.may_write


PreparationForm = form_class(
    "PreparationForm",
    {name: TextField(max=limit, lines=True) for name, limit in preparations.MAX_LENGTH.items()}
    | {
        "preferred_form": EnumField(MeetingForm),
        "action": ChoiceField(("save", "share", "unshare")),
    },
)


def _input() -> tuple[PreparationInput, dict[str, str], str]:
    typed = fields.read(PreparationForm)
    errors = typed.problems()
    data = PreparationInput(
        texts={name: typed.value(name) or "" for name in preparations.TEXT_FIELDS},
        preferred_form=typed.value("preferred_form"),
    )
    return data, errors, typed.value("action") or "save"


def preparation_page(
    individual: Individual, plan: Plan, may_write: bool, status: int = 200, **context: object
):
    """The preparation page, with the one coordinator wish (person.requests) beside it."""
    current = preparations.current_preparation(plan)
    values = context.pop("values", None) or (
        {name: getattr(current, name) for name in preparations.TEXT_FIELDS}
        | {
            "preferred_form": current.preferred_form.value
            if current and current.preferred_form
            else ""
        }
        if current
        else {}
    )
    return render_template(
        "person/prepare.html",
        individual=individual,
        plan=plan,
        preparation=current,
        meeting=preparations.next_meeting(plan),
        earlier=preparations.earlier_preparations(plan),
        values=values,
        forms=list(MeetingForm),
        may_write=may_write,
        **wish_context(plan),
        **context,
    ), status


@blueprint.get("/plans/<int:plan_id>/prepare")
@allow(*PERSON)
def prepare(plan_id: int) -> Response | tuple[str, int]:
    found = _preparing(plan_id)
    if isinstance(found, Response):
        return found
    individual, plan, may_write = found
    audit_read(individual, EventType.PREPARATION_READ, plan.id)
    kept = take(account_id=current_user.id, path=request.path) or take(
        account_id=current_user.id, path=f"{request.path}/draft"
    )
    return preparation_page(individual, plan, may_write, values=kept, kept=bool(kept), errors={})


@blueprint.post("/plans/<int:plan_id>/prepare")
@allow(*PERSON)
def save_preparation(plan_id: int) -> Response | tuple[str, int]:
    found = _preparing(plan_id)
    if isinstance(found, Response):
        return found
    individual, plan, may_write = found
    data, errors, action = _input()
    if errors:
        return preparation_page(
            individual, plan, may_write, 422, values=request.form, errors=errors
        )
    share = {"share": True, "unshare": False}.get(action)
    saved = preparations.save(
        plan=plan, data=data, by=current_user, on_behalf_of=on_behalf_of(individual), share=share
    )
    if action == "share":
        message = _("Sparat och delat. De som kallats till mötet kan nu läsa det.")
    elif action == "unshare":
        message = _("Sparat. Det är inte längre delat med mötet.")
    elif saved.shared_at is not None:
        message = _("Sparat. Det är delat med mötet, så de som kallats ser ändringen.")
    else:
        message = _("Sparat. Det är inte delat med mötet.")
    flash(message, "success")
    return redirect(url_for("person.prepare", plan_id=plan.id), code=303)


@blueprint.post("/plans/<int:plan_id>/prepare/draft")
@allow(*PERSON)
def save_draft(plan_id: int) -> Response | str:
    """Autosave (fetch or sendBeacon, static/js/autosave.js): the line that says it is saved."""
    found = _preparing(plan_id)
    if isinstance(found, Response):
        return found
    individual, plan, _may_write = found
    data, errors, _action = _input()
    if errors:
        return render("person/_draft_status.html", saved_at=None, refused=True)
    saved = preparations.save(
        plan=plan, data=data, by=current_user, on_behalf_of=on_behalf_of(individual)
    )
    return render(
        "person/_draft_status.html",
        saved_at=now(),
        refused=False,
        shared=saved.shared_at is not None,
    )
