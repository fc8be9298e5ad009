"""Point 4: a representative's letter is for the representative, whose identity is proven at
redemption — by e-legitimation (the claim must be the identity number recorded with the
decision) or on the in-person route (document recorded, a second approver). A staff account
can never redeem it, and the representative's access ends at the end date. Each abuse is
tried here and fails; a real OpenID Connect provider runs as its own process."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import (
    Account,
    AccountInvitation,
    AuditEvent,
    ContactPoint,
    Delegation,
    Individual,
    Notification,
    OutboxMessage,
    Plan,
)
from portal.models.audit_types import EventType
from portal.services.demo_world import test_pin as make_pin
from portal.timeutil import now, today_stockholm
from tests.conftest import Demo, sign_in
from tests.support.authenticator import SoftAuthenticator
from tests.support.eid_flow import eid_app, prove
from tests.support.letters import (
    enter_code,
    held_by_relative,
    letter_code,
    passkey_options,
    register_passkey,
    representative_form,
)
from tests.support.oidc_provider import oidc_provider
from tests.support.pages import PageClient, check_page
from tests.support.passkey_flows import add_passkey, sign_in_with

OLLE = make_pin("19700202", "995")  # the representative the decision names
IMPOSTOR = make_pin("19800303", "992")  # anyone else with a real e-legitimation
GUNNEL_PLAN = "SIP-2026-0004"  # Fatima coordinates it; Peter (home help) sees it


@pytest.fixture(scope="module")
def issuer() -> Iterator[str]:
    users = [
        {"sub": "olle", "personal_identity_number": OLLE},
        {"sub": "impostor", "personal_identity_number": IMPOSTOR},
    ]
    with oidc_provider(users) as url:
        yield url


@pytest.fixture
def world(migrated: str, tmp_path, issuer: str) -> Iterator[tuple[Flask, Demo]]:
    with eid_app(migrated, tmp_path, issuer) as made:
        yield made


def _form(**changes: str) -> dict[str, str]:
    return representative_form(OLLE, **changes)


def _staff(app: Flask, demo: Demo, name: str) -> PageClient:
    client = PageClient(app.test_client())
    sign_in(client, demo, name)
    return client


def _letter(app: Flask, demo: Demo, **changes: str) -> tuple[int, str]:
    """Fatima records, Peter approves, Fatima prints: the letter's id and typed code."""
    with app.app_context():
        plan_id = db.session().scalar(sa.select(Plan.id).where(Plan.number == GUNNEL_PLAN))
    fatima = _staff(app, demo, "fatima")
    fatima.get_page(f"/staff/plans/{plan_id}/representative")
    recorded = fatima.post_form(f"/staff/plans/{plan_id}/representative", _form(**changes))
    assert recorded.status_code == 303, recorded.get_data(as_text=True)[:3000]
    with app.app_context():
        letter_id = db.session().scalar(sa.select(sa.func.max(AccountInvitation.id)))
    peter = _staff(app, demo, "peter")
    assert peter.post_form(f"/staff/account-invitations/{letter_id}/approve").status_code == 303
    page = check_page(fatima.post_form(f"/staff/account-invitations/{letter_id}/letter"))
    return letter_id, letter_code(page)


def _used(app: Flask, letter_id: int) -> bool:
    with app.app_context():
        return db.session().get(AccountInvitation, letter_id).used_at is not None


def _events(app: Flask, type_: EventType) -> int:
    with app.app_context():
        return db.session().scalar(
            sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.type == type_.value)
        )


def test_the_representative_proves_with_e_legitimation_that_the_decision_names_them(
    world: tuple[Flask, Demo],
) -> None:
    app, demo = world
    letter_id, code = _letter(app, demo)
    holder = PageClient(app.test_client())
    enter_code(holder, code)
    asked = holder.get_page("/invitation/register")
    assert "Legitimera dig med e-legitimation" in asked.text
    assert passkey_options(holder) == 403, "a passkey could be made before the e-legitimation"
    # someone else holding the letter, with their own real e-legitimation: refused
    refused = prove(holder, "impostor", {"for": "invitation"})
    assert refused.status_code == 403
    assert passkey_options(holder) == 403 and not _used(app, letter_id)
    assert _events(app, EventType.INVITATION_EID_REFUSED) == 1
    # the representative the decision names
    assert prove(holder, "olle", {"for": "invitation"}).status_code == 303
    assert register_passkey(holder) == 303
    assert _used(app, letter_id)
    holder.get_page("/me/")
    assert _events(app, EventType.INVITATION_EID_PROVEN) == 1


def test_a_staff_member_signed_in_cannot_redeem_a_representative_letter(
    world: tuple[Flask, Demo],
) -> None:
    app, demo = world
    letter_id, code = _letter(app, demo, proof="in_person", identity_document="passport")
    fatima = _staff(app, demo, "fatima")  # the recorder herself
    enter_code(fatima, code)
    assert "Brevet är till någon annan" in fatima.get_page("/invitation/register").text
    assert passkey_options(fatima) == 403
    assert fatima.post_form("/invitation/register", {"credential": "{}"}).status_code == 403
    assert not _used(app, letter_id)


def test_a_staff_member_signing_in_with_their_own_passkey_cannot_redeem_it(
    world: tuple[Flask, Demo],
) -> None:
    app, demo = world
    letter_id, code = _letter(app, demo, proof="in_person", identity_document="passport")
    staff_key = SoftAuthenticator()
    fatima = _staff(app, demo, "fatima")
    assert add_passkey(fatima, staff_key).status_code == 303  # her own first passkey
    browser = PageClient(app.test_client())
    enter_code(browser, code)  # the letter is open in this browser …
    assert sign_in_with(browser, staff_key).status_code == 303  # … then she signs in
    assert passkey_options(browser) in {403, 410}
    finish = browser.post_form("/invitation/register", {"credential": "{}"})
    assert finish.status_code in {403, 410}
    assert not _used(app, letter_id)
    assert held_by_relative(app, Account, given_name="Olle") == 0


def test_on_the_in_person_route_the_document_and_a_second_approver_are_needed(
    world: tuple[Flask, Demo],
) -> None:
    app, demo = world
    with app.app_context():
        plan_id = db.session().scalar(sa.select(Plan.id).where(Plan.number == GUNNEL_PLAN))
    fatima = _staff(app, demo, "fatima")
    missing = fatima.post_form(f"/staff/plans/{plan_id}/representative", _form(proof="in_person"))
    assert missing.status_code == 400, "the in-person route without a document"
    letter_id, code = _letter(app, demo, proof="in_person", identity_document="passport")
    with app.app_context():
        letter = db.session().get(AccountInvitation, letter_id)
        assert letter.approved_by_account_id != letter.created_by_account_id
        assert letter.identity_document == "passport" and not letter.requires_eid
    holder = PageClient(app.test_client())
    enter_code(holder, code)
    assert register_passkey(holder) == 303


def test_the_recorder_cannot_approve_and_a_bad_identity_number_is_refused(
    world: tuple[Flask, Demo],
) -> None:
    app, demo = world
    with app.app_context():
        plan_id = db.session().scalar(sa.select(Plan.id).where(Plan.number == GUNNEL_PLAN))
        gunnel = db.session().scalar(sa.select(Individual).where(Individual.given_name == "Gunnel"))
        gunnel_pin = gunnel.personal_identity_number
    wrong_check = OLLE[:-1] + str((int(OLLE[-1]) + 1) % 10)
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in OLLE)
    fatima = _staff(app, demo, "fatima")
    for pin, status in ((wrong_check, 400), (fullwidth, 400), ("", 400), (gunnel_pin, 403)):
        answer = fatima.post_form(
            f"/staff/plans/{plan_id}/representative", _form(personal_identity_number=pin)
        )
        assert answer.status_code == status, pin
    assert fatima.post_form(f"/staff/plans/{plan_id}/representative", _form()).status_code == 303
    with app.app_context():
        letter_id = db.session().scalar(sa.select(sa.func.max(AccountInvitation.id)))
        assert (
            db.session()
            .get(Delegation, db.session().get(AccountInvitation, letter_id).delegation_id)
            .relative.personal_identity_number
            == OLLE
        )
    assert fatima.post_form(f"/staff/account-invitations/{letter_id}/approve").status_code == 403
    with app.app_context():
        assert db.session().get(AccountInvitation, letter_id).approved_at is None


def test_an_expired_representative_letter_is_refused(world: tuple[Flask, Demo]) -> None:
    app, demo = world
    letter_id, code = _letter(app, demo)
    with app.app_context():
        db.session().get(AccountInvitation, letter_id).expires_at = now() - timedelta(minutes=1)
        db.session().commit()
    holder = PageClient(app.test_client())
    holder.get_page("/invitation")
    assert holder.post_form("/invitation", {"code": code}).status_code == 400
    assert not _used(app, letter_id)


def test_the_individual_is_told_and_access_ends_at_the_end_date(
    world: tuple[Flask, Demo],
) -> None:
    app, demo = world
    with app.app_context():
        gunnel = db.session().scalar(sa.select(Individual).where(Individual.given_name == "Gunnel"))
        account_id = db.session().scalar(
            sa.select(Account.id).where(Account.individual_id == gunnel.id)
        )
        db.session().add(
            ContactPoint(
                account_id=account_id,
                channel="email",
                address="gunnel.ek@example.se",
                confirmed_at=now(),
            )
        )
        db.session().commit()
    _letter_id, code = _letter(app, demo, proof="in_person", identity_document="passport")
    with app.app_context():
        told = db.session().scalars(
            sa.select(Notification.kind).where(Notification.account_id == account_id)
        )
        assert "security.representative" in set(told), "Gunnel was not told in the portal"
        sent = db.session().scalars(
            sa.select(OutboxMessage.kind).where(OutboxMessage.account_id == account_id)
        )
        assert "security.representative_recorded" in set(sent), "no security notice was sent"
    holder = PageClient(app.test_client())
    enter_code(holder, code)
    assert register_passkey(holder) == 303
    with app.app_context():
        plan_id = db.session().scalar(sa.select(Plan.id).where(Plan.number == GUNNEL_PLAN))
    assert holder.get(f"/me/plans/{plan_id}").status_code == 200
    with app.app_context():
        delegation = db.session().scalar(
            sa.select(Delegation).where(Delegation.relative.has(given_name="Olle"))
        )
        delegation.valid_until = today_stockholm() - timedelta(days=1)
        db.session().commit()
    assert holder.get(f"/me/plans/{plan_id}").status_code in {302, 403, 404}
