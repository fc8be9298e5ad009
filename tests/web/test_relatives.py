"""Relatives act within the scopes granted; the individual sees, grants and revokes."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urlparse

import sqlalchemy as sa
from babel.dates import format_date
from flask import Flask

from portal import db
from portal.models import AccountInvitation, AuditEvent, Delegation, Individual, Plan
from portal.rules.vocabulary import PlanState
from tests.conftest import Demo, sign_in
from tests.support.pages import PageClient, check_page


def _current_plan_id(app: Flask, given_name: str) -> int:
    with app.app_context():
        return db.session().scalar(
            sa.select(Plan.id)
            .join(Individual)
            .where(Individual.given_name == given_name, Plan.state != PlanState.CLOSED)
        )


def _set_scopes(app: Flask, relative_first_name: str, scopes: str) -> None:
    with app.app_context():
        delegation = db.session().scalar(
            sa.select(Delegation)
            .join(Delegation.relative)
            .where(sa.text("relatives.given_name = :n"))
            .params(n=relative_first_name)
        )
        delegation.scopes_text = scopes
        db.session().commit()


def test_relative_sees_acting_for_banner_and_the_plan_with_view_scope(
    signed_in, app: Flask, demo: Demo
) -> None:
    client = signed_in("karin")
    page = client.get_page("/me/")
    assert "Du agerar för Astrid Lindqvist" in page.text
    assert page.text_of("h1") == ["SIP för Astrid"]
    plan = client.get_page(f"/me/plans/{_current_plan_id(app, 'Astrid')}")
    assert "Du agerar för Astrid Lindqvist" in plan.text


def test_relative_with_only_meeting_dates_sees_dates_but_not_the_plan(
    signed_in, app: Flask, demo: Demo
) -> None:
    _set_scopes(app, "Karin", "meeting_dates")
    client = signed_in("karin")
    home = client.get_page("/me/")
    assert "Astrids nästa möte" in home.text
    assert "Se hela planen" not in home.text
    assert "Eva Sjöberg" not in home.text, "who leads the plan is plan content"
    client.get_page(f"/me/plans/{_current_plan_id(app, 'Astrid')}", status=403)


def test_relative_cannot_manage_delegations_or_read_the_access_log(signed_in, demo: Demo) -> None:
    client = signed_in("karin")
    client.get_page("/me/relatives", status=403)
    client.get_page("/me/access-log", status=403)
    assert client.post_form("/me/relatives", {"given_name": "X"}).status_code == 403


def test_individual_invites_a_relative_with_chosen_scopes(
    signed_in, app: Flask, demo: Demo
) -> None:
    client = signed_in("astrid")
    response = client.post_form(
        "/me/relatives",
        {"given_name": "Lars", "family_name": "Lindqvist", "scopes": ["meeting_dates"]},
    )
    assert response.status_code == 200, "the letter is the answer to the POST"
    letter = check_page(response)
    assert "Inbjudan till Lars Lindqvist" in letter.text
    assert letter.one("img").attrs["src"].startswith("data:image/svg+xml")
    with app.app_context():
        lars = db.session().scalar(
            sa.select(Delegation).join(Delegation.relative).where(sa.text("given_name = 'Lars'"))
        )
        assert lars.scopes_text == "meeting_dates" and lars.valid_until is None
        event = db.session().scalar(
            sa.select(AuditEvent).where(AuditEvent.type == "delegation.grant")
        )
        assert (
            event.actor_name == "Astrid Lindqvist"
            and event.subject_individual_id == lars.individual_id
        )
    listed = client.get_page("/me/relatives")
    assert "Lars Lindqvist" in listed.text and "Få mina mötestider" in listed.text


def test_invitation_form_errors_keep_what_was_typed(signed_in, demo: Demo) -> None:
    client = signed_in("astrid")
    response = client.post_form(
        "/me/relatives", {"given_name": "Lars", "family_name": "", "valid_until": "2001-01-01"}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'value="Lars"' in html
    assert "Skriv efternamnet." in html
    assert "Välj minst en sak" in html
    assert "Välj ett datum mellan" in html


def test_revoking_takes_the_relatives_access_away_at_once(
    signed_in, client: PageClient, app: Flask, demo: Demo
) -> None:
    relative = app.test_client()
    relative_client = PageClient(relative)
    sign_in(relative_client, demo, "karin")
    plan_id = _current_plan_id(app, "Astrid")
    relative_client.get_page(f"/me/plans/{plan_id}")
    astrid = signed_in("astrid")
    with app.app_context():
        delegation_id = db.session().scalar(
            sa.select(Delegation.id).join(Delegation.relative).where(sa.text("given_name='Karin'"))
        )
    unconfirmed = astrid.post_form(f"/me/relatives/{delegation_id}/revoke")
    assert unconfirmed.headers["Location"].endswith(f"/me/relatives/{delegation_id}/revoke")
    relative_client.get_page(f"/me/plans/{plan_id}")  # nothing happened without the yes
    confirm = astrid.get_page(f"/me/relatives/{delegation_id}/revoke")
    assert "Ta bort Karin Lindqvist?" in confirm.text
    assert "En inbjudan som Karin inte har använt än slutar gälla." in confirm.text
    confirmed = astrid.post_form(f"/me/relatives/{delegation_id}/revoke", {"confirmed": "yes"})
    assert confirmed.status_code == 303
    assert relative_client.get(f"/me/plans/{plan_id}").status_code in (302, 303, 403)
    choose = relative_client.get_page("/me/acting-for")
    assert "Ingen har gett dig rätt att hjälpa dem just nu" in choose.text
    assert "Karin Lindqvist – borttagen" in astrid.get_page("/me/relatives").text


def test_representative_may_manage_and_read_the_access_log(signed_in, demo: Demo) -> None:
    client = signed_in("per")
    assert "Du agerar för Gunnel Ek" in client.get_page("/me/").text
    client.get_page("/me/relatives")
    client.get_page("/me/access-log")


def test_relative_cannot_choose_to_act_for_a_stranger(signed_in, app: Flask, demo: Demo) -> None:
    client = signed_in("karin")
    with app.app_context():
        bengt = db.session().scalar(
            sa.select(Individual.id).where(Individual.given_name == "Bengt")
        )
    assert client.post_form("/me/acting-for", {"individual": str(bengt)}).status_code == 403


def test_the_letter_says_whose_plan_what_until_when_and_how_long_the_code_holds(
    signed_in, app: Flask, demo: Demo
) -> None:
    client = signed_in("astrid")
    until = date.today() + timedelta(days=200)  # inside the form's two-year window
    response = client.post_form(
        "/me/relatives",
        {
            "given_name": "Lars",
            "family_name": "Lindqvist",
            "scopes": ["meeting_dates", "prepare"],
            "valid_until": until.isoformat(),
        },
    )
    letter = check_page(response).text
    assert "Astrid Lindqvist har bjudit in dig som närstående till Astrids" in letter
    assert "se när Astrids möten är" in letter and "hjälpa Astrid att förbereda mötena" in letter
    assert "se Astrids plan" not in letter, "only what was granted"
    long_until = format_date(until, "EEEE d MMMM y", locale="sv")
    assert f"Det gäller till och med {long_until}, om inte Astrid tar bort dig" in letter
    assert re.search(r"Koden gäller till och med \w+ \d+ \w+ \d{4} kl\. \d\d\.\d\d", letter)


def test_removing_a_relative_makes_an_unredeemed_invitation_useless_at_once(
    signed_in, app: Flask, demo: Demo
) -> None:
    client = signed_in("astrid")
    response = client.post_form(
        "/me/relatives", {"given_name": "Lars", "family_name": "Lindqvist", "scopes": ["prepare"]}
    )
    letter = check_page(response)
    code = letter.one("strong", class_="code").text.strip()
    link = next(a.attrs["href"] for a in letter.all("a") if "/invitation#" in a.attrs["href"])
    with app.app_context():
        lars = db.session().scalar(
            sa.select(Delegation.id).join(Delegation.relative).where(sa.text("given_name='Lars'"))
        )
    removed = client.post_form(f"/me/relatives/{lars}/revoke", {"confirmed": "yes"})
    assert removed.status_code == 303
    stranger = PageClient(app.test_client())  # whoever holds the letter now
    by_link = stranger.post_form("/invitation", {"token": urlparse(link).fragment})
    assert by_link.status_code == 400 and "register" not in by_link.headers.get("Location", "")
    typed = stranger.post_form("/invitation", {"code": code})
    assert typed.status_code == 400 and "register" not in typed.headers.get("Location", "")
    with app.app_context():
        invitation = db.session().scalar(
            sa.select(AccountInvitation).where(AccountInvitation.delegation_id == lars)
        )
        assert invitation.revoked_at is not None and invitation.used_at is None
        types = db.session().scalars(sa.select(AuditEvent.type)).all()
    assert "invitation.revoke" in types
