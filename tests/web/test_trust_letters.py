"""Exploits 1 and 2: a staff letter took an account over, and a self-made representative got
every scope. Now a letter for someone with a passkey, and a representative, need whoever
leads the plan, an identity document checked in person, and a second staff member's
approval; the secrets are shown once, in a POST answer; a signed-in staff member cannot
redeem a letter for someone else."""

from __future__ import annotations

from types import SimpleNamespace

import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import AccountInvitation, Delegation, Individual, Notification, Plan
from portal.services.demo_world import test_pin as make_pin
from portal.services.invitations import create_invitation
from portal.timeutil import today_stockholm
from tests.conftest import Demo
from tests.support.authenticator import SoftAuthenticator
from tests.support.letters import (
    BENGT_PLAN,
    bengt_with_a_passkey,
    held_by_relative,
    representative_form,
    start_plan_for_bengt,
)
from tests.support.pages import PageClient, check_page
from tests.support.passkey_flows import redeem_code

OLLE_PIN = make_pin("19700202", "995")  # the representative named in the decision


def _letters(app: Flask) -> list[SimpleNamespace]:
    """What the database holds about each letter (a snapshot)."""
    names = ("id", "needs_approval", "approved_at", "letter_shown_at", "identity_document")
    with app.app_context():
        found = db.session().scalars(sa.select(AccountInvitation).order_by(AccountInvitation.id))
        return [
            SimpleNamespace(**{n: getattr(f, n) for n in (*names, "delegation_id")}) for f in found
        ]


def test_a_staff_member_cannot_take_over_an_account_with_a_lost_device_letter(
    signed_in, app: Flask, demo: Demo
) -> None:
    _key, phone = bengt_with_a_passkey(app)
    sara = signed_in("sara")
    plan_id = start_plan_for_bengt(app, sara)
    with app.app_context():
        old_plan = db.session().scalar(sa.select(Plan.id).where(Plan.number == BENGT_PLAN))
    assert sara.get(f"/staff/plans/{old_plan}").status_code == 404, "starting gave other plans"
    response = sara.post_form(
        f"/staff/plans/{plan_id}/account-invitation", {"identity_document": "passport"}
    )
    assert response.status_code == 303, "a recovery letter was shown without a second approval"
    letter = _letters(app)[-1]
    assert letter.needs_approval and letter.approved_at is None and letter.letter_shown_at is None
    assert sara.post_form(f"/staff/account-invitations/{letter.id}/approve").status_code == 403
    assert sara.post_form(f"/staff/account-invitations/{letter.id}/letter").status_code == 403
    phone.get_page("/me/")  # Bengt is still signed in: nothing was redeemed
    with app.app_context():
        kinds = db.session().scalars(sa.select(Notification.kind)).all()
        assert "security.recovery_letter" in kinds, "Bengt was not told"


def test_a_recovery_letter_needs_a_second_staff_member_and_is_shown_once(
    signed_in, app: Flask, demo: Demo
) -> None:
    _key, phone = bengt_with_a_passkey(app)
    with app.app_context():
        plan_id = db.session().scalar(sa.select(Plan.id).where(Plan.number == BENGT_PLAN))
    maria = signed_in("maria")
    assert maria.post_form(f"/staff/plans/{plan_id}/account-invitation", {}).status_code == 400
    response = maria.post_form(
        f"/staff/plans/{plan_id}/account-invitation", {"identity_document": "driving_licence"}
    )
    assert response.status_code == 303
    letter = _letters(app)[-1]
    assert letter.identity_document == "driving_licence"
    nina = PageClient(app.test_client())
    from tests.conftest import sign_in

    sign_in(nina, demo, "nina")
    assert nina.post_form(f"/staff/account-invitations/{letter.id}/approve").status_code == 303
    assert nina.post_form(f"/staff/account-invitations/{letter.id}/letter").status_code == 403
    printed = maria.post_form(f"/staff/account-invitations/{letter.id}/letter")
    assert printed.status_code == 200
    page = check_page(printed)
    code = next(t for t in page.text.split() if len(t) == 9 and t[4] == "-")
    link = next(a.attrs["href"] for a in page.all("a") if "/invitation#" in a.attrs.get("href", ""))
    with maria.client.session_transaction() as session:
        assert code.replace("-", "") not in str(dict(session)), "the secret is in the session"
        assert link.split("#")[1] not in str(dict(session))
    again = maria.post_form(f"/staff/account-invitations/{letter.id}/letter")
    assert again.status_code == 403, "the letter could be shown again"
    redeemed = redeem_code(PageClient(app.test_client()), code, SoftAuthenticator())
    assert redeemed.status_code == 303
    assert phone.get("/me/").status_code == 302, "the lost phone is still signed in"


def test_a_signed_in_staff_member_cannot_redeem_a_letter_for_someone_else(
    signed_in, app: Flask, demo: Demo
) -> None:
    with app.app_context():
        bengt = db.session().scalar(sa.select(Individual).where(Individual.given_name == "Bengt"))
        code = create_invitation(individual=bengt, by=None).code
    eva = signed_in("eva")
    assert eva.post_form("/invitation", {"code": code}).status_code == 303
    warned = eva.get_page("/invitation/register")
    assert "Brevet är till någon annan" in warned.text
    options = eva.client.post("/invitation/register/options", headers={"X-CSRFToken": eva.token()})
    assert options.status_code == 403
    finish = eva.post_form("/invitation/register", {"credential": "{}", "name": "x"})
    assert finish.status_code == 403
    with app.app_context():
        assert (
            db.session().scalar(
                sa.select(sa.func.count())
                .select_from(AccountInvitation)
                .where(AccountInvitation.used_at.is_not(None))
            )
            == 0
        )


def _representative_form(**changes: str) -> dict[str, str]:
    """A god man, met in person with a passport."""
    chosen = {"kind": "god_man", "proof": "in_person", "identity_document": "passport"}
    return representative_form(OLLE_PIN, **(chosen | changes))


def _gunnel_plan(app: Flask) -> int:
    with app.app_context():
        return db.session().scalar(sa.select(Plan.id).where(Plan.number == "SIP-2026-0004"))


def test_only_whoever_leads_the_plan_records_a_representative(
    signed_in, app: Flask, demo: Demo
) -> None:
    """Peter (home help, consent) sees Gunnel's plan; Fatima coordinates it."""
    plan_id = _gunnel_plan(app)
    peter = signed_in("peter")
    response = peter.post_form(f"/staff/plans/{plan_id}/representative", _representative_form())
    assert response.status_code == 403
    assert held_by_relative(app, Delegation, given_name="Olle") == 0


def test_a_representative_needs_its_decision_and_an_end_date(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id = _gunnel_plan(app)
    fatima = signed_in("fatima")
    for missing in (
        "valid_until",
        "decision_date",
        "deciding_authority",
        "kind",
        "identity_document",
        "personal_identity_number",
        "proof",
    ):
        response = fatima.post_form(
            f"/staff/plans/{plan_id}/representative", _representative_form(**{missing: ""})
        )
        assert response.status_code == 400, missing
    # what to do, not a fact about a date nobody wrote
    empty_date = fatima.post_form(
        f"/staff/plans/{plan_id}/representative", _representative_form(decision_date="")
    )
    assert "Skriv datumet då beslutet fattades. Det kan inte vara i framtiden." in empty_date.text


def test_a_representative_takes_effect_only_after_a_second_staff_member_approves(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id = _gunnel_plan(app)
    fatima = signed_in("fatima")
    response = fatima.post_form(f"/staff/plans/{plan_id}/representative", _representative_form())
    assert response.status_code == 303
    letter = _letters(app)[-1]
    assert letter.needs_approval and letter.delegation_id
    assert fatima.post_form(f"/staff/account-invitations/{letter.id}/letter").status_code == 403
    assert fatima.post_form(f"/staff/account-invitations/{letter.id}/approve").status_code == 403
    with app.app_context():
        from portal.services.delegations import active_delegations_for_relative

        delegation = db.session().get(Delegation, letter.delegation_id)
        assert active_delegations_for_relative(delegation.relative_id, today_stockholm()) == []
    peter = PageClient(app.test_client())
    from tests.conftest import sign_in

    sign_in(peter, demo, "peter")
    assert peter.post_form(f"/staff/account-invitations/{letter.id}/approve").status_code == 303
    printed = fatima.post_form(f"/staff/account-invitations/{letter.id}/letter")
    assert printed.status_code == 200
    with app.app_context():
        from portal.services.delegations import active_delegations_for_relative

        delegation = db.session().get(Delegation, letter.delegation_id)
        assert len(active_delegations_for_relative(delegation.relative_id, today_stockholm())) == 1
        assert delegation.valid_until is not None and delegation.deciding_authority
        kinds = db.session().scalars(sa.select(Notification.kind)).all()
        assert "security.representative" in kinds, "Gunnel was not told"
