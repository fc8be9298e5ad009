"""The person's forms refuse hostile values by their contract (ADR 0050): a 400/422 with the
bound beside the field and the input kept; never a 500, never silently accepted."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import Delegation, PlanRequest, Relative
from tests.conftest import Demo
from tests.support.hostile import (
    FAR_DAY,
    FULLWIDTH,
    HUGE,
    NEGATIVE,
    SUPERSCRIPT,
    refused_beside,
    too_long,
)
from tests.support.meeting_forms import current_plan_id


def test_relative_invitation_states_the_name_bound_and_keeps_the_rest(
    signed_in, app: Flask, demo: Demo
) -> None:
    client = signed_in("astrid")
    count = sa.select(sa.func.count(Delegation.id))
    with app.app_context():
        before = db.session().scalar(count)
    name = too_long(412)
    response = client.post_form(
        "/me/relatives",
        {"given_name": name, "family_name": "Lind", "scopes": ["meeting_dates"]},
    )
    refused_beside(response, "given_name", "Högst 100 tecken. Nu är det 412.", kept=name)
    assert 'value="Lind"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session().scalar(count) == before


def test_relative_invitation_refuses_a_scope_outside_its_vocabulary_and_a_far_date(
    signed_in, demo: Demo
) -> None:
    client = signed_in("astrid")
    response = client.post_form(
        "/me/relatives",
        {
            "given_name": "Lars",
            "family_name": "Lind",
            "scopes": ["meeting_dates", "everything"],
            "valid_until": FAR_DAY,
        },
    )
    page = refused_beside(response, "scopes", "Välj minst en sak", kept="Lars")
    refused_beside(response, "valid_until", "Välj ett datum mellan", kept=FAR_DAY)
    assert 'value="meeting_dates" checked' in page, "the ticked box stays ticked"


def test_acting_for_refuses_ids_that_are_not_ascii_digits_within_64_bits(
    signed_in, demo: Demo
) -> None:
    client = signed_in("karin")
    for value in (SUPERSCRIPT, HUGE, NEGATIVE, "abc"):
        assert client.post_form("/me/acting-for", {"individual": value}).status_code == 400


def test_request_refuses_a_kind_outside_the_vocabulary_and_states_the_text_bound(
    signed_in, app: Flask, demo: Demo
) -> None:
    client = signed_in("astrid")
    plan_id = current_plan_id(app, "Astrid")
    message = "ord " * 600
    response = client.post_form(
        f"/me/plans/{plan_id}/requests", {"kind": "free_money", "message": message}
    )
    refused_beside(response, "kind", "Välj", kept=message.strip())
    refused_beside(response, "message", "Högst 2\xa0000 tecken. Nu är det 2\xa0399.")
    with app.app_context():
        assert db.session().scalar(sa.select(sa.func.count(PlanRequest.id))) == 0


def test_coordinator_wish_refuses_a_forged_staff_id(signed_in, app: Flask, demo: Demo) -> None:
    client = signed_in("astrid")
    plan_id = current_plan_id(app, "Astrid")
    for value in (SUPERSCRIPT, HUGE, NEGATIVE):
        response = client.post_form(
            f"/me/plans/{plan_id}/coordinator-wish", {"staff": value, "reason": "Hon känner mig"}
        )
        refused_beside(response, "staff", "Välj en person", kept="Hon känner mig")


def test_consent_withdrawal_page_refuses_a_unit_that_is_not_one(
    signed_in, app: Flask, demo: Demo
) -> None:
    client = signed_in("astrid")
    plan_id = current_plan_id(app, "Astrid")
    path = f"/me/plans/{plan_id}/consent/withdraw"
    for value in (SUPERSCRIPT, HUGE, NEGATIVE):
        assert client.get(f"{path}?unit={value}").status_code == 404
    assert client.get(f"{path}?unit={'1' * 40}").status_code == 400


def test_access_log_states_the_window_and_ignores_a_forged_cursor(signed_in, demo: Demo) -> None:
    client = signed_in("astrid")
    response = client.get(f"/me/access-log?from={FAR_DAY}")
    assert response.status_code == 200  # a filter: the page shows, the field says why
    page = response.get_data(as_text=True)
    assert 'id="from-error"' in page and "Välj ett datum mellan" in page
    assert f'value="{FAR_DAY}"' in page
    for cursor in (f"2026-01-01T00:00:00+00:00_{HUGE}", "2026-01-01T00:00:00+00:00_²³", "x" * 200):
        assert client.get(f"/me/access-log?after={cursor}").status_code == 200


def _karins_delegation(app: Flask) -> int:
    with app.app_context():
        return db.session().scalar(
            sa.select(Delegation.id)
            .join(Delegation.relative)
            .where(Relative.given_name == "Karin", Delegation.revoked_at.is_(None))
        )


@pytest.mark.parametrize(
    "confirmed",
    [
        SUPERSCRIPT,
        "YES",
        "yes\x00",
        "\u202eyes",
        "y" * 5000,
        ["no", "yes"],  # a duplicated field counts once: the first
        FULLWIDTH,
    ],
)
def test_revoking_a_relative_with_a_forged_confirmation_is_refused_and_nothing_changes(
    signed_in, app: Flask, demo: Demo, confirmed: str | list[str]
) -> None:
    delegation_id = _karins_delegation(app)
    client = signed_in("astrid")
    url = f"/me/relatives/{delegation_id}/revoke"
    client.get_page(url)
    response = client.post_form(url, {"confirmed": confirmed})
    assert response.status_code == 400  # the page's one button sends "yes", nothing else
    assert "Sidan fick uppgifter som den inte förstod." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session().get(Delegation, delegation_id).revoked_at is None


def test_revoking_without_the_confirmation_asks_again_and_the_button_revokes(
    signed_in, app: Flask, demo: Demo
) -> None:
    delegation_id = _karins_delegation(app)
    client = signed_in("astrid")
    url = f"/me/relatives/{delegation_id}/revoke"
    response = client.post_form(url, {})
    assert response.status_code == 303 and response.headers["Location"] == url
    with app.app_context():
        assert db.session().get(Delegation, delegation_id).revoked_at is None
    assert client.post_form(url, {"confirmed": ["yes", "no"]}).status_code == 303
    with app.app_context():
        assert db.session().get(Delegation, delegation_id).revoked_at is not None
