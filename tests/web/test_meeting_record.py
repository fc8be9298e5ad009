"""Eva, the convener, records Astrid's first meeting: the plan is established as a draft."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import (
    Account,
    AuditEvent,
    FollowUp,
    Individual,
    Meeting,
    Plan,
    Preparation,
    Staff,
    Unit,
)
from portal.rules.vocabulary import MeetingKind, MeetingStatus, PlanState, VersionStatus
from portal.timeutil import now, today_stockholm


def _ids(app: Flask) -> dict[str, Any]:
    with app.app_context():
        session = db.session()
        plan = session.scalar(
            sa.select(Plan)
            .join(Individual)
            .where(Individual.given_name == "Astrid", Plan.state != PlanState.CLOSED)
        )
        meeting = next(m for m in plan.meetings if m.kind is MeetingKind.FIRST)
        # The day of the meeting has come: it began an hour ago (one is recorded once begun).
        meeting.starts_at = now() - timedelta(hours=1)
        meeting.ends_at = meeting.starts_at + timedelta(hours=1)
        session.commit()
        staff = {s.given_name: s.id for s in session.scalars(sa.select(Staff))}
        units = {u.name: u.id for u in session.scalars(sa.select(Unit))}
        return {
            "plan": plan.id,
            "meeting": meeting.id,
            "version": meeting.row_version,
            "day": meeting.starts_at.date(),
            "participants": [p.id for p in meeting.participants],
            "staff": staff,
            "hhc": units["Hemsjukvården Norrsund"],
            "hh": units["Hemtjänst Centrum"],
        }


def _form(ids: dict[str, Any], **changes: str) -> dict[str, str]:
    form = {
        "row_version": str(ids["version"]),
        "individual_present": "yes",
        "notes": "Astrid vill klara duschen själv till jul.",
        "goal_rows": "2",
        "goal-0-item_rows": "2",
        "goal-1-item_rows": "2",
        "goal-0-text": "Jag vill kunna duscha själv igen.",
        "goal-0-item-0-what": "Träning i badrummet",
        "goal-0-item-0-unit": str(ids["hhc"]),
        "goal-0-item-0-responsible": str(ids["staff"]["Anders"]),
        "goal-0-item-0-basis": "HSL",
        "goal-0-item-0-frequency": "Två gånger i veckan",
        "goal-0-item-0-follow_up_by": str(ids["staff"]["Lena"]),
        "goal-1-text": "Jag vill sitta i trädgården till våren.",
        "goal-1-item-0-what": "Hjälp att handla",
        "goal-1-item-0-unit": str(ids["hh"]),
        "goal-1-item-0-responsible": str(ids["staff"]["Peter"]),
        "goal-1-item-0-basis": "SoL",
        "goal-1-item-0-follow_up_by": str(ids["staff"]["Peter"]),
        "own_rows": "1",
        "own-0": "Jag går ut med rollatorn varje dag.",
        "follow_up_on": (ids["day"] + timedelta(days=30)).isoformat(),
        "follow_up_form": "home",
        "follow_up_how": "Hemma hos Astrid.",
        "coordinator": str(ids["staff"]["Lena"]),
        "coordinator_reason": "Omfattande hemsjukvård [000]",
        "wish_met": "",
    }
    form |= {f"attended-{p}": "yes" for p in ids["participants"]}
    return form | changes


def test_convener_sees_the_shared_preparation_beside_the_record_form(
    signed_in, app: Flask, demo
) -> None:
    ids = _ids(app)
    with app.app_context():
        preparation = db.session().scalar(sa.select(Preparation))
        preparation.shared_at = now()
        db.session().commit()
    client = signed_in("eva")
    page = client.get_page(f"/staff/meetings/{ids['meeting']}/record")
    assert page.text_of("h1") == ["Dokumentera mötet"]
    html = client.get(f"/staff/meetings/{ids['meeting']}/record").get_data(as_text=True)
    assert re.search(r'<p class="lead">[^<]*<span class="nowrap">SIP-\d{4}-\d{4}</span>', html), (
        "the plan number in the lead is one token at 360 px"
    )
    aside = page.one("aside")
    assert "Jag behöver hjälp med duschen och att handla." in aside.text
    assert "Lägg till mål" in page.text and "Samordningsansvarig" in page.text


def test_recording_the_first_meeting_establishes_the_plan_and_appoints_the_coordinator(
    signed_in, app: Flask, demo
) -> None:
    ids = _ids(app)
    client = signed_in("eva")
    response = client.post_form(f"/staff/meetings/{ids['meeting']}/record", _form(ids))
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    plan_page = client.get_page(response.headers["Location"])
    assert "Utkast, version 1, väntar på signering." in plan_page.text
    with app.app_context():
        plan = db.session().get(Plan, ids["plan"])
        assert plan.state is PlanState.ESTABLISHED
        [draft] = plan.versions
        assert draft.status is VersionStatus.DRAFT and draft.number == 1
        assert [g.text for g in draft.goals] == [
            "Jag vill kunna duscha själv igen.",
            "Jag vill sitta i trädgården till våren.",
        ]
        item = draft.goals[0].interventions[0]
        assert (item.what, item.legal_basis.value, item.responsible.given_name) == (
            "Träning i badrummet",
            "HSL",
            "Anders",
        )
        assert item.follow_up_by.given_name == "Lena"
        assert [o.text for o in draft.own_responsibilities] == [
            "Jag går ut med rollatorn varje dag."
        ]
        meeting = db.session().get(Meeting, ids["meeting"])
        assert meeting.status is MeetingStatus.HELD and meeting.individual_present is True
        assert all(p.attended for p in meeting.participants)
        follow_up = db.session().scalar(sa.select(FollowUp).where(FollowUp.plan_id == plan.id))
        assert follow_up.due_on == ids["day"] + timedelta(days=30)
        [assignment] = plan.coordinator_assignments
        assert assignment.staff.given_name == "Lena" and assignment.accepted_at is not None
        types = set(db.session().scalars(sa.select(AuditEvent.type)))
        assert {"meeting.record", "coordinator.appoint"} <= types
    client.post_form("/sign-out")
    home = signed_in("astrid").get_page("/me/")
    assert "Du har fått en samordningsansvarig." in home.text
    assert "Din samordningsansvarige" in home.text and "Lena Holm" in home.text


def test_missing_follow_up_is_refused_and_every_typed_goal_is_kept(
    signed_in, app: Flask, demo
) -> None:
    ids = _ids(app)
    client = signed_in("eva")
    form = _form(ids, follow_up_on="", follow_up_form="")
    response = client.post_form(f"/staff/meetings/{ids['meeting']}/record", form)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Skriv datum för uppföljning. En plan kan inte upprättas utan det." in html
    for name in ("goal-0-text", "goal-1-text", "goal-0-item-0-what", "own-0", "notes"):
        assert form[name] in html, name
    with app.app_context():
        plan = db.session().get(Plan, ids["plan"])
        assert plan.state is PlanState.INVITED and plan.versions == []


def test_add_goal_shows_one_more_row_and_keeps_what_was_typed(signed_in, app, demo) -> None:
    ids = _ids(app)
    form = _form(ids, add="goal")
    response = signed_in("eva").post_form(f"/staff/meetings/{ids['meeting']}/record", form)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'name="goal-2-text"' in html and form["goal-1-text"] in html


def test_coordinator_must_be_chosen_from_the_units_taking_part(signed_in, app, demo) -> None:
    ids = _ids(app)
    client = signed_in("eva")
    url = f"/staff/meetings/{ids['meeting']}/record"
    outside = client.post_form(url, _form(ids, coordinator=str(ids["staff"]["Nina"])))
    assert outside.status_code == 400
    assert "Välj samordningsansvarig bland personalen" in outside.get_data(as_text=True)
    missing = client.post_form(url, _form(ids, coordinator=""))
    assert missing.status_code == 400
    assert "Utse en samordningsansvarig" in missing.get_data(as_text=True)
    with app.app_context():
        plan = db.session().get(Plan, ids["plan"])
        assert plan.coordinator_assignments == [] and plan.state is PlanState.INVITED


def test_only_the_convener_records_the_first_meeting(signed_in, app, demo) -> None:
    ids = _ids(app)
    client = signed_in("peter")
    client.get_page(f"/staff/meetings/{ids['meeting']}/record", status=403)
    response = client.post_form(f"/staff/meetings/{ids['meeting']}/record", _form(ids))
    assert response.status_code == 403
    client.post_form("/sign-out")
    signed_in("fatima").get_page(f"/staff/meetings/{ids['meeting']}/record", status=404)


def test_a_stale_record_shows_the_change_and_keeps_the_input(signed_in, app, demo) -> None:
    ids = _ids(app)
    with app.app_context():  # someone changes the invitation while Eva writes
        db.session().get(Meeting, ids["meeting"]).place = "Hälsocentralen Björkhagen"
        db.session().commit()
    client = signed_in("eva")
    url = f"/staff/meetings/{ids['meeting']}/record"
    stale = client.post_form(url, _form(ids, **{"goal-0-text": "Jag vill baka bullar igen."}))
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert "Någon annan har sparat under tiden" in html and "Mötet har ändrats." in html
    assert "Jag vill baka bullar igen." in html
    with app.app_context():
        assert db.session().get(Plan, ids["plan"]).versions == []


def test_plan_page_links_the_convener_to_the_record_and_then_to_the_draft(
    signed_in, app, demo
) -> None:
    ids = _ids(app)
    client = signed_in("eva")
    before = client.get_page(f"/staff/plans/{ids['plan']}")
    record_url = f"/staff/meetings/{ids['meeting']}/record"
    assert before.one("a", href=record_url).text.strip() == "Dokumentera mötet"
    client.post_form(record_url, _form(ids))
    after = client.get_page(f"/staff/plans/{ids['plan']}")
    assert not after.all("a", href=record_url)
    assert "Nästa uppföljning:" in after.text and "Utkast, version 1" in after.text


def test_record_page_is_translated_to_english(signed_in, app, demo) -> None:
    ids = _ids(app)
    client = signed_in("eva")
    page = client.get_page(f"/staff/meetings/{ids['meeting']}/record?lang=en")
    assert page.text_of("h1") == ["Record the meeting"]
    assert "Add a goal" in page.text


def test_the_appointed_coordinator_signs_the_recorded_draft(signed_in, app, demo) -> None:
    ids = _ids(app)
    client = signed_in("eva")
    client.post_form(f"/staff/meetings/{ids['meeting']}/record", _form(ids))
    client.post_form("/sign-out")
    client = signed_in("lena")
    page = client.get_page(f"/staff/plans/{ids['plan']}")
    link = next(a for a in page.all("a") if a.attrs.get("href", "").endswith("/sign"))
    preview = client.get_page(link.attrs["href"])
    sign = next(f for f in preview.all("form") if f.attrs["action"].endswith("/sign"))
    digest = preview.one("input", name="previewed").attrs["value"]
    assert client.post_form(sign.attrs["action"], {"previewed": digest}).status_code == 303
    with app.app_context():
        [version] = db.session().get(Plan, ids["plan"]).versions
        assert version.status is VersionStatus.SIGNED and version.signed_by.given_name == "Lena"


def test_the_individuals_wish_is_shown_beside_the_coordinator_choice(signed_in, app, demo) -> None:
    ids = _ids(app)
    with app.app_context():
        from portal.services.requests import wish_coordinator

        plan = db.session().get(Plan, ids["plan"])
        astrid = db.session().get(Account, demo.account_id("astrid"))
        wish_coordinator(
            plan=plan,
            staff=db.session().get(Staff, ids["staff"]["Anders"]),
            description="",
            reason="Han har hjälpt mig förut.",
            by=astrid,
            on_behalf_of=None,
        )
    page = signed_in("eva").get_page(f"/staff/meetings/{ids['meeting']}/record")
    coordinator = next(f for f in page.all("fieldset") if "Samordningsansvarig" in f.text)
    assert "Anders Öberg" in coordinator.text and "Han har hjälpt mig förut." in coordinator.text
    assert "Vägledningen:" in coordinator.text  # the table's suggestion beside the wish


def test_a_meeting_that_has_not_begun_cannot_be_recorded_as_held(signed_in, app, demo) -> None:
    ids = _ids(app)
    with app.app_context():
        session = db.session()
        meeting = session.get(Meeting, ids["meeting"])
        meeting.starts_at = now() + timedelta(days=2)  # documented two days early
        session.commit()
        ids["version"] = meeting.row_version
    form = _form(ids, follow_up_on=(today_stockholm() + timedelta(days=30)).isoformat())
    response = signed_in("eva").post_form(f"/staff/meetings/{ids['meeting']}/record", form)
    assert response.status_code == 400
    assert "Mötet har inte börjat ännu." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session().get(Meeting, ids["meeting"]).status is MeetingStatus.PLANNED


def test_follow_up_date_before_the_meeting_is_refused(signed_in, app, demo) -> None:
    ids = _ids(app)
    form = _form(ids, follow_up_on=(ids["day"] - timedelta(days=1)).isoformat())
    response = signed_in("eva").post_form(f"/staff/meetings/{ids['meeting']}/record", form)
    assert response.status_code == 400
    assert "Uppföljningen ska vara efter mötet." in response.get_data(as_text=True)


def test_an_intervention_without_who_follows_it_up_cannot_be_recorded(signed_in, app, demo) -> None:
    ids = _ids(app)
    form = _form(ids, **{"goal-1-item-0-follow_up_by": ""})
    response = signed_in("eva").post_form(f"/staff/meetings/{ids['meeting']}/record", form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Välj vem som följer upp insatsen." in page  # beside the field
    # the summary at the top says which intervention, and links to its field
    assert (
        '<a href="#goal-1-item-0-follow_up_by">Mål 2, insats 1: Välj vem som följer upp insatsen.</a>'
        in page
    )
