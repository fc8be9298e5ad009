"""Fatima, Gunnel's coordinator, follows up the plan: evaluates, revises, books the next date."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import AuditEvent, FollowUp, Individual, Notification, Plan, Staff, Unit
from portal.rules.vocabulary import (
    GoalEvaluation,
    MeetingKind,
    MeetingStatus,
    PlanState,
    VersionStatus,
)
from portal.timeutil import now, today_stockholm
from tests.support.plans import sign_as_previewed, staff_account


def _ids(app: Flask) -> dict[str, Any]:
    with app.app_context():
        session = db.session()
        plan = session.scalar(
            sa.select(Plan).join(Individual).where(Individual.given_name == "Gunnel")
        )
        staff = {s.given_name: s.id for s in session.scalars(sa.select(Staff))}
        units = {u.name: u.id for u in session.scalars(sa.select(Unit))}
        # The day of the follow-up meeting has come: it began an hour ago.
        for meeting in plan.meetings:
            if meeting.kind is MeetingKind.FOLLOW_UP and meeting.status is MeetingStatus.PLANNED:
                meeting.starts_at = now() - timedelta(hours=1)
                meeting.ends_at = now()
        session.commit()
        return {
            "plan": plan.id,
            "row_version": plan.row_version,
            "goals": [g.id for g in plan.versions[0].goals],
            "staff": staff,
            "alsa": units["ÄlSa-teamet Norrsund"],
            "hh": units["Hemtjänst Centrum"],
        }


def _form(ids: dict[str, Any], **changes: str) -> dict[str, str]:
    first, second = ids["goals"]
    return {
        "row_version": str(ids["row_version"]),
        f"evaluation-{first}": "partly_met",
        f"comment-{first}": "Gunnel känner sig tryggare men är ensam på kvällarna.",
        f"evaluation-{second}": "met",
        f"comment-{second}": "Hon går till affären två gånger i veckan.",
        "goal_rows": "1",
        "goal-0-item_rows": "2",
        "goal-0-text": "Jag vill kunna bo kvar hemma och känna mig trygg på kvällen.",
        "goal-0-item-0-what": "Hembesök av ÄlSa-teamet",
        "goal-0-item-0-unit": str(ids["alsa"]),
        "goal-0-item-0-responsible": str(ids["staff"]["Fatima"]),
        "goal-0-item-0-basis": "HSL",
        "goal-0-item-0-frequency": "Varannan vecka",
        "goal-0-item-1-what": "Kvällsbesök av hemtjänsten",
        "goal-0-item-1-unit": str(ids["hh"]),
        "goal-0-item-1-responsible": str(ids["staff"]["Peter"]),
        "goal-0-item-1-basis": "SoL",
        "goal-0-item-1-frequency": "Varje kväll",
        "own_rows": "1",
        "own-0": "Jag ringer min syster varje söndag.",
        "follow_up_on": (today_stockholm() + timedelta(days=60)).isoformat(),
        "follow_up_form": "phone",
        "follow_up_how": "Fatima ringer Gunnel och Per.",
        "change_summary": "Gångträningen är klar; hemtjänsten kommer också på kvällen.",
        "goal-0-item-0-follow_up_by": str(ids["staff"]["Fatima"]),
        "goal-0-item-1-follow_up_by": str(ids["staff"]["Peter"]),
        "approval": "approved",
    } | changes


def test_follow_up_page_shows_each_goal_to_evaluate_and_the_plan_to_revise(
    signed_in, app: Flask, demo
) -> None:
    ids = _ids(app)
    page = signed_in("fatima").get_page(f"/staff/plans/{ids['plan']}/follow-up")
    assert page.text_of("h1") == ["Följ upp planen"]
    assert "Jag vill orka gå till affären själv." in page.text
    assert "Delvis uppfyllt" in page.text and "Inte längre aktuellt" in page.text
    # The revision starts from the unsigned draft, so its change (lunch) is not lost.
    assert page.one("input", id="goal-0-item-1-what").attrs["value"] == (
        "Hjälp morgon, lunch och kväll"
    )


def test_the_plan_number_in_the_lead_stays_on_one_line(signed_in, app: Flask, demo) -> None:
    """At 360 px the lead broke 'SIP-2026-' from '0004': the number is one token (.nowrap)."""
    ids = _ids(app)
    html = signed_in("fatima").get(f"/staff/plans/{ids['plan']}/follow-up").get_data(as_text=True)
    lead = re.search(r'<p class="lead">(.*?)</p>', html, re.S)
    assert lead and re.search(r'<span class="nowrap">SIP-\d{4}-\d{4}</span>', lead.group(1))


def test_follow_up_saves_evaluations_a_new_draft_the_next_date_and_the_approval(
    signed_in, app: Flask, demo
) -> None:
    ids = _ids(app)
    client = signed_in("fatima")
    response = client.post_form(f"/staff/plans/{ids['plan']}/follow-up", _form(ids))
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    plan_page = client.get_page(response.headers["Location"])
    assert "Utkast, version 3, väntar på signering." in plan_page.text
    assert "Antecknat av Fatima Al-Hassan." in plan_page.text
    with app.app_context():
        plan = db.session().get(Plan, ids["plan"])
        signed, old_draft, draft = plan.versions
        assert [(e.goal_id, e.evaluation) for e in draft.evaluated_goals] == [
            (signed.goals[0].id, GoalEvaluation.PARTLY_MET),
            (signed.goals[1].id, GoalEvaluation.MET),
        ]
        assert draft.evaluated_goals[1].comment == "Hon går till affären två gånger i veckan."
        assert old_draft.status is VersionStatus.SUPERSEDED
        assert draft.status is VersionStatus.DRAFT and draft.number == 3
        assert [i.what for i in draft.goals[0].interventions] == [
            "Hembesök av ÄlSa-teamet",
            "Kvällsbesök av hemtjänsten",
        ]
        assert draft.approved_by_individual_at is not None
        assert draft.approval_recorded_by.given_name == "Fatima"
        follow_ups = (
            db.session()
            .scalars(sa.select(FollowUp).where(FollowUp.plan_id == plan.id).order_by(FollowUp.id))
            .all()
        )
        assert follow_ups[0].done_at is not None
        assert follow_ups[-1].done_at is None
        assert follow_ups[-1].due_on == today_stockholm() + timedelta(days=60)
        assert plan.state is PlanState.ESTABLISHED
        held = [m for m in plan.meetings if m.kind is MeetingKind.FOLLOW_UP]
        assert [m.status for m in held] == [MeetingStatus.HELD]
        kinds = (
            db.session()
            .scalars(sa.select(Notification.kind).where(Notification.plan_id == plan.id))
            .all()
        )
        assert kinds.count("plan.new_version") == 2  # Gunnel and Per, her god man
        assert (
            db.session().scalar(
                sa.select(AuditEvent.actor_name).where(AuditEvent.type == "plan.follow_up")
            )
            == "Fatima Al-Hassan"
        )
    client.post_form("/sign-out")
    mine = signed_in("gunnel").get_page(f"/me/plans/{ids['plan']}")
    assert "Så gick det med målen" not in mine.text  # the follow-up's version is not signed yet
    with app.app_context():
        draft = db.session().get(Plan, ids["plan"]).versions[-1]
        sign_as_previewed(draft, staff_account(db.session(), "Fatima"))
    mine = signed_in("gunnel").get_page(f"/me/plans/{ids['plan']}")
    assert "Så gick det med målen (version 1)" in mine.text
    assert "Delvis uppfyllt – Gunnel känner sig tryggare men är ensam på kvällarna." in mine.text


def test_a_goal_left_unevaluated_is_refused_and_the_input_kept(signed_in, app, demo) -> None:
    ids = _ids(app)
    first = ids["goals"][0]
    form = _form(ids, **{f"evaluation-{first}": ""})
    response = signed_in("fatima").post_form(f"/staff/plans/{ids['plan']}/follow-up", form)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Bedöm hur det har gått med målet." in html
    assert form["goal-0-text"] in html and form[f"comment-{first}"] in html
    with app.app_context():
        assert len(db.session().get(Plan, ids["plan"]).versions) == 2


def test_a_stale_follow_up_shows_the_saved_version_and_keeps_the_input(
    signed_in, app, demo
) -> None:
    ids = _ids(app)
    client = signed_in("fatima")
    assert client.post_form(f"/staff/plans/{ids['plan']}/follow-up", _form(ids)).status_code == 303
    again = client.post_form(
        f"/staff/plans/{ids['plan']}/follow-up", _form(ids, **{"goal-0-text": "Ett annat mål."})
    )
    assert again.status_code == 409
    html = again.get_data(as_text=True)
    assert "Någon annan har sparat under tiden" in html and "Ett annat mål." in html
    assert "Kvällsbesök av hemtjänsten" in html  # what the first save wrote, beside it


def test_only_the_coordinator_follows_up(signed_in, app, demo) -> None:
    ids = _ids(app)
    client = signed_in("eva")
    client.get_page(f"/staff/plans/{ids['plan']}/follow-up", status=403)
    assert client.post_form(f"/staff/plans/{ids['plan']}/follow-up", _form(ids)).status_code == 403


def test_coordinator_edits_the_draft_and_a_stale_edit_keeps_both(signed_in, app, demo) -> None:
    ids = _ids(app)
    with app.app_context():
        plan = db.session().get(Plan, ids["plan"])
        draft = plan.versions[-1]
        url = f"/staff/plans/{plan.id}/versions/{draft.id}/edit"
        version = draft.row_version
    client = signed_in("fatima")
    page = client.get_page(url)
    assert page.one("textarea", id="goal-0-text").text == (
        "Jag vill kunna bo kvar hemma och känna mig trygg."
    )
    form = _form(ids, row_version=str(version), change_summary="Kvällsbesök i stället.")
    assert client.post_form(url, form).status_code == 303
    stale = client.post_form(url, _form(ids, row_version=str(version), **{"own-0": "Eget."}))
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert "Någon annan har sparat under tiden" in html and "Eget." in html
    with app.app_context():
        saved = db.session().get(Plan, ids["plan"]).versions[-1]
        assert saved.change_summary == "Kvällsbesök i stället."
        assert [o.text for o in saved.own_responsibilities] == [
            "Jag ringer min syster varje söndag."
        ]


def _refused(signed_in, app, form: dict[str, str], message: str) -> None:
    plan_id = next(iter(_plan_ids(app)))
    response = signed_in("fatima").post_form(f"/staff/plans/{plan_id}/follow-up", form)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert len(db.session().get(Plan, plan_id).versions) == 2


def _plan_ids(app: Flask) -> list[int]:
    with app.app_context():
        return [
            db.session().scalar(
                sa.select(Plan.id).join(Individual).where(Individual.given_name == "Gunnel")
            )
        ]


def test_follow_up_without_the_individuals_approval_answer_is_refused(signed_in, app, demo) -> None:
    form = _form(_ids(app), approval="")
    _refused(signed_in, app, form, "Anteckna om den enskilde godkände ändringarna")


def test_follow_up_not_asked_needs_a_reason(signed_in, app, demo) -> None:
    form = _form(_ids(app), approval="not_asked", approval_note=" ")
    _refused(signed_in, app, form, "Skriv varför den enskilde inte tillfrågades.")


def test_follow_up_not_asked_with_a_reason_is_recorded_and_shown(signed_in, app, demo) -> None:
    ids = _ids(app)
    form = _form(ids, approval="not_asked", approval_note="Gunnel var på sjukhus.")
    client = signed_in("fatima")
    response = client.post_form(f"/staff/plans/{ids['plan']}/follow-up", form)
    assert response.status_code == 303
    page = client.get_page(response.headers["Location"])
    assert "Den enskilde tillfrågades inte: Gunnel var på sjukhus." in page.text
    with app.app_context():
        draft = db.session().get(Plan, ids["plan"]).versions[-1]
        assert draft.approval.value == "not_asked" and draft.approved_by_individual_at is None


def test_an_intervention_without_who_follows_it_up_is_refused(signed_in, app, demo) -> None:
    form = _form(_ids(app), **{"goal-0-item-1-follow_up_by": ""})
    _refused(signed_in, app, form, "Välj vem som följer upp insatsen.")


def test_follow_up_before_its_meeting_began_is_refused(signed_in, app, demo) -> None:
    ids = _ids(app)
    with app.app_context():
        session = db.session()
        plan = session.get(Plan, ids["plan"])
        meeting = next(m for m in plan.meetings if m.kind is MeetingKind.FOLLOW_UP)
        meeting.starts_at = now() + timedelta(days=2)
        session.commit()
    _refused(signed_in, app, _form(ids), "Mötet har inte börjat ännu.")


def test_next_follow_up_must_come_after_the_meeting_it_follows(signed_in, app, demo) -> None:
    ids = _ids(app)
    form = _form(ids, follow_up_on=(today_stockholm() - timedelta(days=1)).isoformat())
    _refused(signed_in, app, form, "Uppföljningen ska vara efter mötet.")
