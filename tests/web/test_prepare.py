"""Preparing for the meeting: saved as you type, shared when you choose, read by consented staff."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import Plan, Preparation
from tests.conftest import Demo, sign_in
from tests.support.pages import PageClient

ANSWERS = {
    "needs_wishes": "Jag behöver hjälp att handla.",
    "what_matters": "Att få träffa mina barnbarn.",
    "topics": "Trygghetslarmet.",
    "preferred_form": "home",
}


def _astrid_plan(app: Flask) -> int:
    with app.app_context():
        return db.session().scalar(sa.select(Plan.id).where(Plan.number == "SIP-2026-0011"))


def test_home_asks_her_to_prepare_and_tells_what_is_happening(signed_in, demo: Demo) -> None:
    home = signed_in("astrid").get_page("/me/")
    assert "Ditt första SIP-möte är" in home.text and "hemma hos dig" in home.text
    assert "Förbered dig inför mötet" in home.text
    assert "3 av 3 enheter får dela information." in home.text


def test_staff_read_the_preparation_only_after_it_is_shared(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id = _astrid_plan(app)
    client = signed_in("astrid")
    page = client.get_page(f"/me/plans/{plan_id}/prepare")
    assert "Vad är viktigt för dig?" in page.text
    assert (
        client.post_form(f"/me/plans/{plan_id}/prepare", {**ANSWERS, "action": "save"}).status_code
        == 303
    )
    eva = PageClient(app.test_client())
    sign_in(eva, demo, "eva")
    assert "Att få träffa mina barnbarn." not in eva.get_page(f"/staff/plans/{plan_id}").text

    client.post_form(f"/me/plans/{plan_id}/prepare", {**ANSWERS, "action": "share"})
    page = client.get_page(f"/me/plans/{plan_id}/prepare")
    assert "Delat med mötet sedan" in page.text
    staff_page = eva.get_page(f"/staff/plans/{plan_id}")
    assert "Den enskildes förberedelse" in staff_page.text
    assert "Att få träffa mina barnbarn." in staff_page.text
    assert "Förbered dig inför mötet" not in client.get_page("/me/").text  # done


def test_autosave_answers_htmx_with_a_saved_line(signed_in, app: Flask, demo: Demo) -> None:
    plan_id = _astrid_plan(app)
    client = signed_in("astrid")
    client.get_page(f"/me/plans/{plan_id}/prepare")
    response = client.post_form(
        f"/me/plans/{plan_id}/prepare/draft",
        {"needs_wishes": "Hjälp med duschen"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Utkastet sparades" in response.get_data(as_text=True)
    with app.app_context():
        saved = db.session().scalar(sa.select(Preparation).where(Preparation.plan_id == plan_id))
        assert saved.needs_wishes == "Hjälp med duschen" and saved.shared_at is None


@pytest.mark.parametrize(
    ("text", "said"),
    [("Mycket att säga. " * 300, "Högst 4\u00a0000 tecken"), ("baklänges \u202etxet", "tecken")],
    ids=["too-long", "bidi-override"],
)
def test_autosave_of_a_text_that_cannot_be_saved_says_so_and_saves_nothing(
    signed_in, app: Flask, demo: Demo, text: str, said: str
) -> None:
    """The line says the text cannot be saved as it is, whatever the reason (a text too long,
    a character no text may hold); Spara shows which field and why, and keeps the text."""
    plan_id = _astrid_plan(app)
    client = signed_in("astrid")
    client.get_page(f"/me/plans/{plan_id}/prepare")
    response = client.post_form(
        f"/me/plans/{plan_id}/prepare/draft", {"topics": text}, headers={"HX-Request": "true"}
    )
    assert "Inte sparat: en text går inte att spara som den är" in response.get_data(as_text=True)
    with app.app_context():
        stored = db.session().scalars(sa.select(Preparation.topics)).all()
        assert text not in stored
    shown = client.post_form(f"/me/plans/{plan_id}/prepare", {"topics": text, "action": "save"})
    assert shown.status_code == 422
    html = shown.get_data(as_text=True)
    assert said in html and 'id="topics-error"' in html


def test_too_long_text_is_refused_and_kept(signed_in, app: Flask, demo: Demo) -> None:
    plan_id = _astrid_plan(app)
    client = signed_in("astrid")
    client.get_page(f"/me/plans/{plan_id}/prepare")
    long_text = "Mycket att säga. " * 300
    response = client.post_form(
        f"/me/plans/{plan_id}/prepare", {"topics": long_text, "action": "save"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Högst 4\u00a0000 tecken" in html and long_text.strip() in html


def test_a_relative_who_helps_prepare_is_named_as_the_writer(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id = _astrid_plan(app)
    client = signed_in("karin")
    client.get_page(f"/me/plans/{plan_id}/prepare")
    client.post_form(f"/me/plans/{plan_id}/prepare", {**ANSWERS, "action": "share"})
    eva = PageClient(app.test_client())
    sign_in(eva, demo, "eva")
    assert (
        "Senast ändrat av Karin Lindqvist för Astrid"
        in eva.get_page(f"/staff/plans/{plan_id}").text
    )


def test_the_individual_sees_what_her_relative_wrote_for_her(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id = _astrid_plan(app)
    karin = signed_in("karin")
    karin.get_page(f"/me/plans/{plan_id}/prepare")
    karin.post_form(f"/me/plans/{plan_id}/prepare", {**ANSWERS, "action": "save"})
    astrid = PageClient(app.test_client())
    sign_in(astrid, demo, "astrid")
    page = astrid.get_page(f"/me/plans/{plan_id}/prepare")
    assert "Senast ändrat av Karin Lindqvist för Astrid" in page.text
    assert "Att få träffa mina barnbarn." in page.one("textarea", id="what_matters").text
