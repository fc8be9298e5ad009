"""Issue 13 point 4: one coordinator wish. The preparation page and the wish page state the
same record, and staff read that one wish on the plan, coordinator and record pages."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import CoordinatorWish, Meeting, Plan, Staff
from portal.rules.vocabulary import MeetingKind
from tests.conftest import Demo, sign_in
from tests.support.pages import PageClient

ASTRID = "SIP-2026-0011"
LENA = "Lena Holm"


def _ids(app: Flask) -> tuple[int, int, int]:
    with app.app_context():
        session = db.session()
        plan_id = session.scalar(sa.select(Plan.id).where(Plan.number == ASTRID))
        meeting_id = session.scalar(
            sa.select(Meeting.id).where(
                Meeting.plan_id == plan_id, Meeting.kind == MeetingKind.FIRST
            )
        )
        lena = session.scalar(sa.select(Staff.id).where(Staff.given_name == "Lena"))
        return plan_id, meeting_id, lena


def _standing(app: Flask, plan_id: int) -> list[tuple[int | None, str, str]]:
    """The wishes in force: (staff id, description, reason)."""
    with app.app_context():
        wishes = db.session().scalars(
            sa.select(CoordinatorWish).where(
                CoordinatorWish.plan_id == plan_id, CoordinatorWish.withdrawn_at.is_(None)
            )
        )
        return [(w.staff_id, w.description, w.reason) for w in wishes]


def _staff_pages(app: Flask, demo: Demo, plan_id: int, meeting_id: int) -> dict[str, str]:
    eva = PageClient(app.test_client())
    sign_in(eva, demo, "eva")
    return {
        path: eva.get_page(path).text
        for path in (
            f"/staff/plans/{plan_id}",
            f"/staff/plans/{plan_id}/coordinator",
            f"/staff/meetings/{meeting_id}/record",
        )
    }


def test_the_wish_stated_in_the_preparation_is_the_wish_everywhere(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id, meeting_id, lena = _ids(app)
    astrid = signed_in("astrid")
    prepare = astrid.get_page(f"/me/plans/{plan_id}/prepare")
    assert prepare.one("input", type="hidden", name="back").attrs["value"] == "prepare"
    assert not prepare.all("textarea", name="wished_coordinator")
    response = astrid.post_form(
        f"/me/plans/{plan_id}/coordinator-wish",
        {"staff": str(lena), "reason": "Hon känner mig.", "back": "prepare"},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/me/plans/{plan_id}/prepare#wish")
    assert _standing(app, plan_id) == [(lena, "", "Hon känner mig.")]
    for text in (
        astrid.get_page(f"/me/plans/{plan_id}/prepare").text,
        astrid.get_page(f"/me/plans/{plan_id}/coordinator-wish").text,
    ):
        assert f"{LENA}, distriktssköterska" in text and "Hon känner mig." in text
    for path, text in _staff_pages(app, demo, plan_id, meeting_id).items():
        assert LENA in text and "Hon känner mig." in text, path
        assert "inte skrivit något önskemål" not in text, path
    # the record form does not ask whether a wish naming a person was met: who is appointed
    # decides it (services.meeting_records._wish_met)
    record = _staff_pages(app, demo, plan_id, meeting_id)[f"/staff/meetings/{meeting_id}/record"]
    assert "Blev den enskildes önskemål uppfyllt?" not in record
    assert f"Den enskilde önskade {LENA}. Om {LENA} utses" in record


def test_a_wish_changed_on_the_wish_page_is_what_the_preparation_and_staff_show(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id, meeting_id, lena = _ids(app)
    astrid = signed_in("astrid")
    astrid.get_page(f"/me/plans/{plan_id}/prepare")
    astrid.post_form(
        f"/me/plans/{plan_id}/coordinator-wish", {"staff": str(lena), "back": "prepare"}
    )
    astrid.post_form(
        f"/me/plans/{plan_id}/coordinator-wish",
        {"staff": "other", "description": "Sjuksköterskan Kim på vårdcentralen", "back": "wish"},
    )
    assert _standing(app, plan_id) == [(None, "Sjuksköterskan Kim på vårdcentralen", "")]
    prepare = astrid.get_page(f"/me/plans/{plan_id}/prepare").text
    assert "Sjuksköterskan Kim på vårdcentralen" in prepare
    assert f"{LENA}, distriktssköterska" not in prepare.split("Ändra ditt önskemål")[0]
    for path, text in _staff_pages(app, demo, plan_id, meeting_id).items():
        assert "Sjuksköterskan Kim på vårdcentralen" in text, path
    record = _staff_pages(app, demo, plan_id, meeting_id)[f"/staff/meetings/{meeting_id}/record"]
    assert "Blev den enskildes önskemål uppfyllt?" in record  # someone described: staff judge


def test_a_wish_refused_from_the_preparation_comes_back_there_with_the_input_kept(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id, _meeting, _lena = _ids(app)
    astrid = signed_in("astrid")
    astrid.get_page(f"/me/plans/{plan_id}/prepare")
    response = astrid.post_form(
        f"/me/plans/{plan_id}/coordinator-wish",
        {"staff": "other", "reason": "Någon jag litar på.", "back": "prepare"},
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Förbered dig inför mötet" in text
    assert "Beskriv vem du önskar" in text and "Någon jag litar på." in text
    assert _standing(app, plan_id) == []
