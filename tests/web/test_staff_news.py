"""What the individual's side changes reaches the one who leads the plan: on the worklist and on
the plan page, until "Jag har sett det"."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import ConsentEvent, Plan
from tests.conftest import Demo


def _astrids_plan_and_a_unit(app: Flask) -> tuple[int, int]:
    with app.app_context():
        session = db.session()
        plan_id = session.scalar(sa.select(Plan.id).where(Plan.number == "SIP-2026-0011"))
        unit_id = session.scalar(
            sa.select(ConsentEvent.unit_id).where(ConsentEvent.plan_id == plan_id)
        )
        return plan_id, unit_id


def test_a_consent_change_reaches_the_leader_until_seen(signed_in, app: Flask, demo: Demo) -> None:
    plan_id, unit_id = _astrids_plan_and_a_unit(app)
    astrid = signed_in("astrid")
    for action in ("withdraw", "give"):
        response = astrid.post_form(
            f"/me/plans/{plan_id}/consent", {"action": action, "unit": str(unit_id)}
        )
        assert response.status_code == 303

    eva = signed_in("eva")  # she convened Astrid's plan and leads it until a coordinator exists
    worklist = eva.get_page("/staff/")
    news = next(s for s in worklist.all("section") if "Nytt i planer du leder" in s.text)
    assert "Plan SIP-2026-0011: Den enskilde har tagit tillbaka samtycke." in news.text
    assert "Plan SIP-2026-0011: Den enskilde har gett samtycke." in news.text
    links = [a for a in worklist.all("a") if a.attrs.get("href") == f"/staff/plans/{plan_id}"]
    assert any(a.text == "Plan SIP-2026-0011" for a in links), "the message leads to the plan"

    plan_page = eva.get_page(f"/staff/plans/{plan_id}")
    assert "Nytt sedan sist" in plan_page.text
    assert "Den enskilde har tagit tillbaka samtycke." in plan_page.text
    response = eva.post_form(f"/staff/plans/{plan_id}/seen", {})
    assert response.status_code == 303
    assert "Nytt sedan sist" not in eva.get_page(f"/staff/plans/{plan_id}").text
    assert "Nytt i planer du leder" not in eva.get_page("/staff/").text


def test_others_do_not_get_the_leaders_messages(signed_in, app: Flask, demo: Demo) -> None:
    plan_id, unit_id = _astrids_plan_and_a_unit(app)
    signed_in("astrid").post_form(
        f"/me/plans/{plan_id}/consent", {"action": "withdraw", "unit": str(unit_id)}
    )
    assert "Nytt i planer du leder" not in signed_in("peter").get_page("/staff/").text


def test_the_worklist_reads_its_messages_with_the_plans_parts(
    signed_in, app: Flask, demo: Demo
) -> None:
    """One round trip fewer (ADR 0111): the messages are a part of the candidate plans'
    bundle, newest first, not a statement of their own."""
    from tests.web.test_person_query_count import counting

    plan_id, unit_id = _astrids_plan_and_a_unit(app)
    astrid = signed_in("astrid")
    for action in ("withdraw", "give"):
        astrid.post_form(f"/me/plans/{plan_id}/consent", {"action": action, "unit": str(unit_id)})
    eva = signed_in("eva")
    eva.get_page("/staff/")
    with counting(app) as statements:
        worklist = eva.get_page("/staff/")
    news = next(s for s in worklist.all("section") if "Nytt i planer du leder" in s.text)
    given, withdrawn = (news.text.index(f"har {w} samtycke") for w in ("gett", "tagit tillbaka"))
    assert given < withdrawn, "newest first"
    on_their_own = [s for s in statements if s.lstrip().upper().startswith("SELECT notifications")]
    assert on_their_own == []
    assert sum("UNION ALL" in s and "notifications" in s for s in statements) == 1


def test_messages_reach_a_staff_member_with_no_plan_on_the_worklist(
    client, app: Flask, demo: Demo
) -> None:
    """With no candidate plan the parts' bundle still runs, with no plan ids: it reads only
    the messages (ADR 0113)."""
    from portal.models import Account, Notification
    from portal.services.worklist import load_worklist
    from portal.timeutil import now
    from tests import factories

    plan_id, _unit = _astrids_plan_and_a_unit(app)
    with app.app_context():
        session = db.session()
        newcomer = factories.staff(session)  # a unit of their own: no plan is theirs
        account = session.scalar(sa.select(Account).where(Account.staff_id == newcomer.id))
        session.add(Notification(account_id=account.id, plan_id=plan_id, kind="consent.given"))
        session.commit()
        account_id = account.id
        listed = load_worklist(account=account, now=now())
        assert listed.rows == []
        assert [(row.plan_id, row.kind) for row, _n in listed.news] == [(plan_id, "consent.given")]
    client.get_page("/sign-in")
    assert client.post_form("/sign-in/demo", {"account": str(account_id)}).status_code == 303
    assert "Nytt i planer du leder" in client.get_page("/staff/").text
