"""Whoever leads a plan records a legal representative (god man, förvaltare) from the court's
decision: reference, date, deciding authority, kind and a required end date. A second staff
member approves before it takes effect; then the recorder prints the representative's letter.
When the decision ends before its end date, whoever leads a plan records that, and the
representative's access ends at once (ADR 0116).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal import db
from portal.auth.kept_input import take
from portal.auth.permissions import allow
from portal.models.audit_types import EventType
from portal.rules.letters import (
    DECISION_MOST,
    IdentityDocument,
    IdentityProof,
    RepresentativeKind,
    needs_document,
)
from portal.rules.vocabulary import Role
from portal.services import delegations, letters, reads
from portal.web import fields
from portal.web.fields import (
    PAST_ONLY,
    ChoiceField,
    DayField,
    PinField,
    PortalForm,
    TextField,
    Window,
)
from portal.web.staff import blueprint
from portal.web.staff.account_invitations import document_labels
from portal.web.staff.loaders import (
    load_representative_to_end,
    load_representatives,
    visible_plan,
)


def kind_labels() -> dict[str, str]:
    return {
        RepresentativeKind.GOD_MAN: _("God man"),
        RepresentativeKind.FORVALTARE: _("Förvaltare"),
    }


def proof_labels() -> dict[str, str]:
    return {
        IdentityProof.EID: _(
            "Med e-legitimation (BankID eller Freja eID) när brevet används. "
            "Personnumret måste stämma."
        ),
        IdentityProof.IN_PERSON: _("Jag har träffat företrädaren och sett en legitimation"),
    }


class RepresentativeForm(PortalForm):
    """The court's decision, as the issue's four-eyes route needs it (rules.letters)."""

    kind = ChoiceField(
        [k.value for k in RepresentativeKind],
        required=True,
        missing=lambda: _("Välj god man eller förvaltare."),
    )
    given_name = TextField(max=100, required=True, missing=lambda: _("Skriv förnamnet."))
    family_name = TextField(max=100, required=True, missing=lambda: _("Skriv efternamnet."))
    legal_reference = TextField(
        max=200,
        required=True,
        missing=lambda: _(
            "Skriv vilket beslut som ger rätten, till exempel överförmyndarens beslut med nummer."
        ),
    )
    deciding_authority = TextField(
        max=200,
        required=True,
        missing=lambda: _("Skriv vem som beslutade, till exempel tingsrätten."),
    )
    decision_date = DayField(
        window=PAST_ONLY,
        required=True,
        missing=lambda: _("Skriv datumet då beslutet fattades. Det kan inte vara i framtiden."),
    )
    valid_until = DayField(
        window=Window(back=0, ahead=10),
        required=True,
        missing=lambda: _("Skriv slutdatumet i beslutet. Det kan inte ha passerat."),
    )
    personal_identity_number = PinField(
        required=True, missing=lambda: _("Skriv företrädarens personnummer från beslutet.")
    )
    proof = ChoiceField(
        [p.value for p in IdentityProof],
        required=True,
        missing=lambda: _("Välj hur företrädaren visar vem hen är."),
    )
    identity_document = ChoiceField([d.value for d in IdentityDocument])

    def problems(self) -> dict[str, str]:
        errors = super().problems()
        proof = self.value("proof")
        if proof and needs_document(IdentityProof(proof)) and not self.value("identity_document"):
            errors.setdefault("identity_document", _("Välj vilken legitimation du såg."))
        return errors


def _page(plan, form, errors, kept=False) -> str:  # type: ignore[no-untyped-def]
    return render_template(
        "staff/representative.html",
        plan=plan,
        form=form,
        errors=errors,
        kept=kept,
        kinds=kind_labels(),
        proofs=proof_labels(),
        documents=document_labels(),
    )


@blueprint.get("/plans/<int:plan_id>/representative")
@allow(Role.STAFF)
def new_representative(plan_id: int) -> str:
    plan = visible_plan(plan_id)
    kept = take(account_id=current_user.id, path=request.path)
    return _page(plan, kept or {}, {}, kept is not None)


@blueprint.post("/plans/<int:plan_id>/representative")
@allow(Role.STAFF)
def record_representative(plan_id: int) -> Response | tuple[str, int]:
    plan = visible_plan(plan_id)
    typed = fields.read(RepresentativeForm, request.form)
    errors = typed.problems()
    if errors:
        return _page(plan, request.form, errors), 400
    try:
        letters.record_representative(
            individual=plan.individual,
            given_name=typed.value("given_name").strip(),
            family_name=typed.value("family_name").strip(),
            kind=RepresentativeKind(typed.value("kind")),
            legal_reference=typed.value("legal_reference").strip(),
            decision_date=typed.value("decision_date"),
            deciding_authority=typed.value("deciding_authority").strip(),
            valid_until=typed.value("valid_until"),
            personal_identity_number=typed.value("personal_identity_number"),
            proof=IdentityProof(typed.value("proof")),
            identity_document=typed.value("identity_document") or "",
            by=current_user,
        )
    except letters.LetterRefusedError:
        db.session().rollback()
        abort(403)
    flash(
        _(
            "Den legala företrädaren är registrerad. När en kollega har godkänt det gäller det, "
            "och du kan skriva ut brevet till företrädaren."
        ),
        "success",
    )
    return redirect(url_for("staff.plan", plan_id=plan.id), code=303)


class EndForm(PortalForm):
    """The decision that ended the representative's right, as the recorder read it."""

    decision = TextField(
        max=DECISION_MOST,
        required=True,
        missing=lambda: _(
            "Skriv vilket beslut som avslutade uppdraget, till exempel överförmyndarens beslut "
            "med nummer."
        ),
    )


@blueprint.get("/plans/<int:plan_id>/representatives")
@allow(Role.STAFF)
def representatives(plan_id: int) -> str:
    """The individual's legal representatives whose decision is in force, for whoever may see
    one of their plans; whoever leads one may record that a decision has ended."""
    plan, may_end = load_representatives(plan_id)
    shown = delegations.representatives_of(plan.individual_id)
    reads.read(
        type=EventType.DELEGATIONS_READ,
        by=current_user,
        subject_individual_id=plan.individual_id,
        object_type="plan",
        object_id=plan.id,
    )
    return render_template(
        "staff/representatives.html",
        plan=plan,
        representatives=shown,
        may_end=may_end,
        kinds=kind_labels(),
    )


def _end_page(plan, delegation, form, errors, kept=False) -> str:  # type: ignore[no-untyped-def]
    return render_template(
        "staff/representative_end.html",
        plan=plan,
        delegation=delegation,
        form=form,
        errors=errors,
        kept=kept,
        kinds=kind_labels(),
    )


@blueprint.get("/plans/<int:plan_id>/representatives/<int:delegation_id>/end")
@allow(Role.STAFF)
def confirm_end_representative(plan_id: int, delegation_id: int) -> str | Response:
    plan, delegation = load_representative_to_end(plan_id, delegation_id)
    if delegation.revoked_at is not None:
        return redirect(url_for("staff.representatives", plan_id=plan.id), code=303)
    kept = take(account_id=current_user.id, path=request.path)
    return _end_page(plan, delegation, kept or {}, {}, kept is not None)


@blueprint.post("/plans/<int:plan_id>/representatives/<int:delegation_id>/end")
@allow(Role.STAFF)
def end_representative(plan_id: int, delegation_id: int) -> Response | tuple[str, int]:
    plan, delegation = load_representative_to_end(plan_id, delegation_id)
    if delegation.revoked_at is not None:  # ended already (another tab, a colleague)
        flash(_("Uppdraget var redan avslutat i portalen."), "info")
        return redirect(url_for("staff.representatives", plan_id=plan.id), code=303)
    typed = fields.read(EndForm, request.form)
    errors = typed.problems()
    if errors:
        return _end_page(plan, delegation, request.form, errors), 400
    name = delegation.relative.name
    try:
        ended = letters.end_representative(
            delegation=delegation, decision=typed.value("decision"), by=current_user
        )
    except letters.LetterRefusedError:
        db.session().rollback()
        abort(403)
    if not ended:  # a colleague or another tab ended it at the same moment
        flash(_("Uppdraget var redan avslutat i portalen."), "info")
        return redirect(url_for("staff.representatives", plan_id=plan.id), code=303)
    flash(
        _(
            "%(name)s kan inte längre göra något i portalen för %(owner)s. "
            "Båda får ett meddelande om det.",
            name=name,
            owner=plan.individual.name,
        ),
        "success",
    )
    return redirect(url_for("staff.representatives", plan_id=plan.id), code=303)
