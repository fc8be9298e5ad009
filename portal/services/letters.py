"""Letters staff give out: a letter to the portal (also a recovery after a lost device) and a
representative's letter. Four eyes where a letter could take an account over or give every
scope (`rules.letters`); the secrets are made when the letter is printed and shown once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from portal import db
from portal.auth.invitations import digest, new_code, new_token
from portal.models import Account, AccountInvitation, Delegation, Individual, Plan, Relative
from portal.models.audit_types import EventType
from portal.rules import letters as rules
from portal.rules.access import PlanFacts
from portal.rules.text import storable
from portal.rules.vocabulary import DelegationKind
from portal.services import access, audit
from portal.services.invitations import IssuedInvitation, create_invitation
from portal.services.notifications import notify_individual_side
from portal.services.viewers import plan_facts_many, viewer_for
from portal.timeutil import now, today_stockholm


class LetterRefusedError(Exception):
    """The letter may not be asked for, approved or printed by this person (or any more)."""


@dataclass(frozen=True)
class AskedLetter:
    invitation: AccountInvitation
    printed: IssuedInvitation | None  # the secrets, when the letter may be printed at once


def _plans_of(individual_id: int) -> tuple[list[Plan], list[PlanFacts]]:
    plans = list(db.session().scalars(sa.select(Plan).where(Plan.individual_id == individual_id)))
    facts = plan_facts_many(plans)
    return plans, [facts[p.id] for p in plans]


def _check_issuer(
    individual: Individual, by: Account, document: str, *, needs_document: bool = True
) -> list[Plan]:
    plans, facts = _plans_of(individual.id)
    if not rules.may_ask_for_letter(viewer_for(by), facts):
        raise LetterRefusedError("only someone who leads one of the person's plans")
    known = {d.value for d in rules.IdentityDocument}
    if (needs_document or document) and document not in known:
        raise LetterRefusedError("the identity document checked in person is required")
    return plans


def has_passkey(individual: Individual) -> bool:
    account = db.session().scalar(sa.select(Account).where(Account.individual_id == individual.id))
    return bool(account and account.passkeys)


def _notify(plans: list[Plan], kind: str) -> None:
    for plan in plans[:1]:  # one notice on the account, not one per plan
        notify_individual_side(plan, kind)


def ask_for_account_letter(
    *, individual: Individual, identity_document: str, by: Account
) -> AskedLetter:
    """A letter to the portal. For someone who already has a passkey it is a recovery: a
    second staff member approves before it can be printed, and the individual is told."""
    plans = _check_issuer(individual, by, identity_document)
    recovery = has_passkey(individual)
    issued = create_invitation(individual=individual, by=by)
    invitation = issued.invitation
    invitation.identity_document = identity_document
    invitation.needs_approval = rules.needs_approval(has_passkey=recovery, representative=False)
    if recovery:
        _notify(plans, "security.recovery_letter")
        db.session().commit()
        return AskedLetter(invitation, None)
    db.session().commit()
    return AskedLetter(invitation, print_letter(invitation=invitation, by=by))


def record_representative(
    *,
    individual: Individual,
    given_name: str,
    family_name: str,
    kind: rules.RepresentativeKind,
    legal_reference: str,
    decision_date: date,
    deciding_authority: str,
    valid_until: date,
    personal_identity_number: str,
    proof: rules.IdentityProof,
    identity_document: str = "",
    by: Account,
) -> AccountInvitation:
    """A god man or förvaltare, recorded by whoever leads a plan of the individual from the
    court's decision, with the representative's identity number. Not in effect, and its
    letter not printable, until a second staff member approves. At redemption the
    representative proves who they are: by e-legitimation (the claim must be the recorded
    number) or, on the in-person route, by the document the recorder saw."""
    plans = _check_issuer(
        individual, by, identity_document, needs_document=rules.needs_document(proof)
    )
    if not legal_reference.strip() or not deciding_authority.strip():
        raise LetterRefusedError("the decision's reference and deciding authority are required")
    if valid_until < today_stockholm() or decision_date > today_stockholm():
        raise LetterRefusedError("the decision is in the past and the end date in the future")
    if not re.fullmatch(r"[0-9]{12}", personal_identity_number):
        raise LetterRefusedError("the representative's identity number is required")
    if personal_identity_number == individual.personal_identity_number:
        raise LetterRefusedError("nobody is their own representative")
    relative = Relative(
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        personal_identity_number=personal_identity_number,
    )
    delegation = Delegation(
        individual=individual,
        relative=relative,
        kind=DelegationKind.REPRESENTATIVE,
        representative_kind=kind.value,
        valid_from=today_stockholm(),
        valid_until=valid_until,
        legal_reference=legal_reference.strip(),
        decision_date=decision_date,
        deciding_authority=deciding_authority.strip(),
        granted_by=by,
    )
    session = db.session()
    session.add_all([relative, delegation])
    session.flush()
    audit.record(
        session,
        type=EventType.REPRESENTATIVE_RECORD,
        by=by,
        subject_individual_id=individual.id,
        object_type="delegation",
        object_id=delegation.id,
        detail=kind.value,
    )
    invitation = create_invitation(relative=relative, delegation=delegation, by=by).invitation
    invitation.identity_document = identity_document
    invitation.needs_approval = True
    invitation.requires_eid = rules.eid_at_redemption(
        proof=proof, named_pin=personal_identity_number, eid=False
    )
    _notify(plans, "security.representative")
    session.commit()
    return invitation


def _individual_id(invitation: AccountInvitation) -> int:
    if invitation.individual_id:
        return invitation.individual_id
    if invitation.delegation is not None:
        return invitation.delegation.individual_id
    raise LetterRefusedError("not a letter staff give out")


def approve_letter(*, invitation: AccountInvitation, by: Account) -> None:
    """The second pair of eyes. Approving a representative's letter puts the representative
    into effect."""
    check_usable_or_refuse(invitation)
    _plans, facts = _plans_of(_individual_id(invitation))
    if not invitation.needs_approval or invitation.approved_at is not None:
        raise LetterRefusedError("nothing to approve")
    if not rules.may_approve(
        viewer_for(by), issuer_account_id=invitation.created_by_account_id, plans=facts
    ):
        raise LetterRefusedError("a second staff member, not the issuer, approves")
    invitation.approved_at = now()
    invitation.approved_by_account_id = by.id
    if invitation.delegation is not None:
        invitation.delegation.approved_at = invitation.approved_at
        invitation.delegation.approved_by_account_id = by.id
    audit.record(
        db.session(),
        type=EventType.INVITATION_APPROVE,
        by=by,
        subject_individual_id=_individual_id(invitation),
        object_type="account_invitation",
        object_id=invitation.id,
    )
    db.session().commit()


def check_usable_or_refuse(invitation: AccountInvitation) -> None:
    """Not revoked, used or expired (an approval may still be missing)."""
    if invitation.revoked_at or invitation.used_at or invitation.expires_at <= now():
        raise LetterRefusedError("the invitation is no longer open")


def print_letter(*, invitation: AccountInvitation, by: Account) -> IssuedInvitation:
    """New secrets, made now and shown once: only their hashes are kept."""
    check_usable_or_refuse(invitation)
    if not rules.may_print(
        viewer_for(by),
        issuer_account_id=invitation.created_by_account_id,
        approval_needed=invitation.needs_approval,
        approved=invitation.approved_at is not None,
        already_shown=invitation.letter_shown_at is not None,
    ):
        raise LetterRefusedError("only the issuer prints the letter, once, after any approval")
    token, code = new_token(), new_code()
    invitation.token_hash, invitation.code_hash = digest(token), digest(code)
    invitation.letter_shown_at = now()
    audit.record(
        db.session(),
        type=EventType.INVITATION_PRINT,
        by=by,
        subject_individual_id=_individual_id(invitation),
        object_type="account_invitation",
        object_id=invitation.id,
    )
    db.session().commit()
    return IssuedInvitation(invitation, token, code)


_INDIVIDUAL_ID = sa.bindparam("individual_id")
_PENDING_LETTERS = (  # built once: the staff plan page asks on every request (ADR 0098)
    sa.select(AccountInvitation)
    .where(
        sa.or_(
            AccountInvitation.individual_id == _INDIVIDUAL_ID,
            AccountInvitation.delegation_id.in_(
                sa.select(Delegation.id).where(Delegation.individual_id == _INDIVIDUAL_ID)
            ),
        ),
        AccountInvitation.used_at.is_(None),
        AccountInvitation.revoked_at.is_(None),
        AccountInvitation.expires_at > sa.bindparam("now"),
    )
    .order_by(AccountInvitation.created_at.desc())
)


def pending_letters_for(individual_id: int) -> list[AccountInvitation]:
    """Open letters of the individual and of their representatives, newest first."""
    bound = {"individual_id": individual_id, "now": now()}
    return list(db.session().scalars(_PENDING_LETTERS, bound))


def end_representative(*, delegation: Delegation, decision: str, by: Account) -> bool:
    """Record that a representative's decision ended before its end date (a new god man, the
    decision lifted): their access ends at once, as when a relative is removed, with any
    letter not yet used; the representative and the individual are told (ADR 0116). False
    when it had already ended (another tab, a colleague at the same moment)."""
    if delegation.kind is not DelegationKind.REPRESENTATIVE or delegation.revoked_at is not None:
        raise LetterRefusedError("only a representative whose decision is still in force")
    if not decision.strip() or len(decision) > rules.DECISION_MOST or not storable(decision):
        raise LetterRefusedError(
            "the decision that ended it is required: one line of typed text, "
            f"at most {rules.DECISION_MOST} characters"
        )
    if not rules.may_end_representative(viewer_for(by), _plans_of(delegation.individual_id)[1]):
        raise LetterRefusedError("only someone who leads one of the person's plans")
    return access.revoke_delegation(
        delegation=delegation,
        by=by,
        type=EventType.REPRESENTATIVE_END,
        detail=delegation.representative_kind,
        ended_reference=decision.strip(),
    )
