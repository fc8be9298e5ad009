"""Point 2 for relatives and representatives, against a real OpenID Connect provider run as
its own process: a relative redeeming the individual's letter proves with e-legitimation
that they are the one it names; after a lost device a relative or representative recovers
with e-legitimation, without staff, while a delegation is in effect. Each abuse is tried
and fails: someone else's e-legitimation, a staff member with the letter, a relative
without a letter, a representative past the decision's end date."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import Account, AccountInvitation, Delegation, Passkey, Relative
from portal.rules.identity import format_pin
from portal.services.demo_world import test_pin as make_pin
from portal.timeutil import today_stockholm
from tests.conftest import Demo, sign_in
from tests.support.authenticator import SoftAuthenticator
from tests.support.eid_flow import eid_app, prove
from tests.support.letters import (
    enter_code,
    held_by_relative,
    letter_code,
    passkey_options,
    register_passkey,
)
from tests.support.oidc_provider import oidc_provider
from tests.support.pages import PageClient, check_page
from tests.support.passkey_flows import add_passkey, sign_in_with

LARS = make_pin("19720505", "996")  # Astrid's son, named in her letter
PER = make_pin("19600606", "997")  # Gunnel's god man in the demo world
IMPOSTOR = make_pin("19800303", "992")


@pytest.fixture(scope="module")
def issuer() -> Iterator[str]:
    users = [
        {"sub": "lars", "personal_identity_number": LARS},
        {"sub": "per", "personal_identity_number": PER},
        {"sub": "impostor", "personal_identity_number": IMPOSTOR},
    ]
    with oidc_provider(users) as url:
        yield url


@pytest.fixture
def world(migrated: str, tmp_path, issuer: str) -> Iterator[tuple[Flask, Demo]]:
    with eid_app(migrated, tmp_path, issuer) as made:
        yield made


def _astrid_invites_lars(app: Flask, demo: Demo, pin: str = LARS) -> str:
    """Astrid invites her son with his identity number: the letter's typed code."""
    astrid = PageClient(app.test_client())
    sign_in(astrid, demo, "astrid")
    astrid.get_page("/me/relatives")
    answer = astrid.post_form(
        "/me/relatives",
        {
            "given_name": "Lars",
            "family_name": "Lindqvist",
            "personal_identity_number": format_pin(pin) if pin else "",
            "scopes": "view_plan",
        },
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)[:2000]
    return letter_code(check_page(answer))


def _lars_letter_used(app: Flask) -> bool:
    with app.app_context():
        return (
            db.session().scalar(
                sa.select(AccountInvitation.used_at).where(
                    AccountInvitation.relative.has(given_name="Lars")
                )
            )
            is not None
        )


def test_a_relative_proves_who_they_are_then_recovers_without_staff(
    world: tuple[Flask, Demo],
) -> None:
    app, demo = world
    code = _astrid_invites_lars(app, demo)
    phone = PageClient(app.test_client())
    enter_code(phone, code)
    assert "Legitimera dig med e-legitimation" in phone.get_page("/invitation/register").text
    assert passkey_options(phone) == 403, "a passkey before the e-legitimation"
    assert prove(phone, "impostor", {"for": "invitation"}).status_code == 403
    assert passkey_options(phone) == 403 and not _lars_letter_used(app)
    assert prove(phone, "lars", {"for": "invitation"}).status_code == 303
    assert register_passkey(phone) == 303
    assert "Du agerar för Astrid" in phone.get_page("/me/").text
    # the phone is lost: a new one, e-legitimation from the sign-in page, no staff
    new_phone = PageClient(app.test_client())
    assert prove(new_phone, "lars").status_code == 303
    assert register_passkey(new_phone, "/e-id/passkey") == 303
    assert "Du agerar för Astrid" in new_phone.get_page("/me/").text
    assert phone.get("/me/").status_code == 302, "the lost phone is still signed in"
    assert held_by_relative(app, Passkey, given_name="Lars") == 2
    assert held_by_relative(app, Account, given_name="Lars") == 1


def test_a_relative_never_enrols_without_the_individuals_letter(
    world: tuple[Flask, Demo],
) -> None:
    app, demo = world
    _astrid_invites_lars(app, demo)  # named, but the letter is not redeemed
    stranger = PageClient(app.test_client())
    assert prove(stranger, "lars").status_code == 404
    assert stranger.get("/e-id/passkey").status_code == 410
    assert prove(PageClient(app.test_client()), "impostor").status_code == 404


def test_a_staff_member_cannot_redeem_a_relatives_letter(world: tuple[Flask, Demo]) -> None:
    app, demo = world
    code = _astrid_invites_lars(app, demo, pin="")  # a letter without a number: the weakest
    eva = PageClient(app.test_client())
    sign_in(eva, demo, "eva")
    enter_code(eva, code)
    assert "Brevet är till någon annan" in eva.get_page("/invitation/register").text
    assert passkey_options(eva) == 403
    assert eva.post_form("/invitation/register", {"credential": "{}"}).status_code == 403
    key = SoftAuthenticator()
    assert add_passkey(eva, key).status_code == 303  # her own passkey
    browser = PageClient(app.test_client())
    enter_code(browser, code)  # opened first, then she signs in with her own passkey
    assert sign_in_with(browser, key).status_code == 303
    assert passkey_options(browser) in {403, 410}
    assert browser.post_form("/invitation/register", {"credential": "{}"}).status_code in {
        403,
        410,
    }
    assert not _lars_letter_used(app)


def _per(app: Flask, *, until_days: int) -> None:
    """Per's identity number (recorded with the court's decision) and the decision's end."""
    with app.app_context():
        per = db.session().scalar(sa.select(Relative).where(Relative.given_name == "Per"))
        per.personal_identity_number = PER
        delegation = db.session().scalar(
            sa.select(Delegation).where(Delegation.relative_id == per.id)
        )
        delegation.valid_until = today_stockholm() + timedelta(days=until_days)
        db.session().commit()


def test_a_representative_recovers_with_e_legitimation_until_the_end_date(
    world: tuple[Flask, Demo],
) -> None:
    app, demo = world
    _per(app, until_days=30)
    phone = PageClient(app.test_client())
    sign_in(phone, demo, "per")  # signed in on the phone that is lost
    phone.get_page("/me/")
    new_phone = PageClient(app.test_client())
    assert prove(new_phone, "per").status_code == 303
    assert register_passkey(new_phone, "/e-id/passkey") == 303
    assert "Gunnel" in new_phone.get_page("/me/").text
    assert phone.get("/me/").status_code == 302, "the lost phone is still signed in"
    _per(app, until_days=-1)  # the decision has ended
    late = PageClient(app.test_client())
    assert prove(late, "per").status_code == 404
    assert late.get("/e-id/passkey").status_code == 410
