"""Letters that give an account (recovery letters, representatives' letters): who may ask for
one, and when a second staff member must approve it first (four eyes). Pure.

A letter for a person who already has a passkey would take their account over, and a
representative's letter gives every scope, consent included. Each needs: the issuer leads
one of the person's plans; the identity checked in person, with the document named; and a
second staff member's approval. Only the issuer prints the letter, once.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from portal.rules.access import PlanFacts, Viewer, leads_plan, staff_may_view


class IdentityDocument(StrEnum):
    """What the person showed when the identity was checked in person."""

    PASSPORT = "passport"
    NATIONAL_ID_CARD = "national_id_card"
    DRIVING_LICENCE = "driving_licence"
    ID_CARD = "id_card"  # SIS-märkt id-kort, tjänstekort


class RepresentativeKind(StrEnum):
    GOD_MAN = "god_man"
    FORVALTARE = "forvaltare"


def may_ask_for_letter(viewer: Viewer, plans: Iterable[PlanFacts]) -> bool:
    """Only someone who leads one of the person's plans asks for a letter."""
    return any(leads_plan(viewer, plan) for plan in plans)


DECISION_MOST = 200  # characters of the decision that ended a representative's appointment


def may_end_representative(viewer: Viewer, plans: Iterable[PlanFacts]) -> bool:
    """Whoever may record a representative (leads one of the person's plans) records that the
    decision has ended. Ending only takes access away, so no second person approves it."""
    return may_ask_for_letter(viewer, plans)


def needs_approval(*, has_passkey: bool, representative: bool) -> bool:
    """A recovery (the account exists with a passkey) or a representative: four eyes."""
    return has_passkey or representative


def may_approve(
    viewer: Viewer, *, issuer_account_id: int | None, plans: Iterable[PlanFacts]
) -> bool:
    """A second staff member, not the issuer, who may see one of the person's plans."""
    if viewer.staff_id is None or viewer.account_id == issuer_account_id:
        return False
    return any(staff_may_view(viewer, plan) for plan in plans)


def may_print(
    viewer: Viewer,
    *,
    issuer_account_id: int | None,
    approval_needed: bool,
    approved: bool,
    already_shown: bool,
) -> bool:
    """The issuer prints the letter once, after the approval it needs."""
    if viewer.account_id != issuer_account_id or already_shown:
        return False
    return approved or not approval_needed


class IdentityProof(StrEnum):
    """How a representative proves at redemption that they are the one the decision names."""

    EID = "eid"  # e-legitimation: the identity-number claim must be the recorded number
    IN_PERSON = "in_person"  # identity document checked in person, and a second approver


def needs_document(proof: IdentityProof) -> bool:
    """The in-person route names the document the recorder saw; e-legitimation needs none."""
    return proof is IdentityProof.IN_PERSON


def eid_at_redemption(*, proof: IdentityProof | None, named_pin: str | None, eid: bool) -> bool:
    """Must the letter be redeemed after an e-legitimation? A representative on the e-ID
    route always; a relative whose letter names an identity number whenever e-ID is set up."""
    if proof is IdentityProof.EID:
        return True
    return proof is None and bool(named_pin) and eid


def claim_matches(claimed: str | None, named: str | None) -> bool:
    """The proven identity number is the one the letter or decision names (both 12 digits)."""
    return bool(claimed) and bool(named) and claimed == named
