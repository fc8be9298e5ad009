"""What a person's pages show of a meeting follows the scope rule (issue 13 point 1,
`rules.access.may_see_meeting_content`, `presenters.meetings`): a relative with the
meeting-dates (or preparation) scope alone sees when, how and where — not the purpose, not who
is called or invited; with the plan scope, and the individual, see all of it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import (
    Account,
    Delegation,
    Individual,
    Meeting,
    MeetingParticipant,
    Plan,
    Relative,
)
from portal.rules.vocabulary import MeetingStatus, ParticipantRole, PlanState
from portal.web.person.loaders import PersonPlan
from tests import factories
from tests.conftest import Demo
from tests.support.pages import PageClient

CONTENT_TERMS = ("Varför", "Kallade", "Inbjudna")


def _astrids_next_meeting(app: Flask) -> tuple[int, str]:
    with app.app_context():
        meeting = db.session().scalar(
            sa.select(Meeting)
            .join(Plan)
            .join(Individual)
            .where(
                Individual.given_name == "Astrid",
                Plan.state != PlanState.CLOSED,
                Meeting.status == MeetingStatus.PLANNED,
            )
            .order_by(Meeting.starts_at)
        )
        assert meeting is not None and meeting.purpose and meeting.participants
        return meeting.plan_id, meeting.purpose


def _karin_may(app: Flask, scopes: str) -> None:
    with app.app_context():
        delegation = db.session().scalar(
            sa.select(Delegation).where(Delegation.relative.has(given_name="Karin"))
        )
        delegation.scopes_text = scopes
        db.session().commit()


@pytest.mark.parametrize("scopes", ["meeting_dates", "prepare", "meeting_dates prepare"])
def test_a_relative_without_the_plan_scope_sees_when_and_where_not_why_or_who(
    signed_in, app: Flask, demo: Demo, scopes: str
) -> None:
    _plan_id, purpose = _astrids_next_meeting(app)
    _karin_may(app, scopes)
    home = signed_in("karin").get_page("/me/")
    assert "Astrids nästa möte" in home.text
    assert "Hur" in home.text_of("dt")
    shown = home.text_of("dt")
    assert not [term for term in CONTENT_TERMS if term in shown], shown
    assert purpose not in home.text
    assert "Eva Sjöberg" not in home.text


def test_with_the_plan_scope_the_relative_sees_why_and_who(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id, purpose = _astrids_next_meeting(app)
    _karin_may(app, "view_plan")
    client = signed_in("karin")
    for page in (client.get_page("/me/"), client.get_page(f"/me/plans/{plan_id}")):
        assert {"Varför", "Kallade"} <= set(page.text_of("dt")), page.text_of("dt")
        assert purpose in page.text


def test_the_individual_sees_why_and_who_on_the_plan_page(
    signed_in, app: Flask, demo: Demo
) -> None:
    plan_id, purpose = _astrids_next_meeting(app)
    page = signed_in("astrid").get_page(f"/me/plans/{plan_id}")
    assert {"Varför", "Kallade"} <= set(page.text_of("dt"))
    assert purpose in page.text


def test_the_home_shows_no_participant_of_a_plan_whose_content_is_not_shown(
    app: Flask, demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The home reads its meetings and their participants in one bundle (ADR 0108): the
    meetings (with their purpose) of every open plan, the participants of the plans whose
    meeting content is shown. A plan without it shows neither, though the same statement read
    another plan's participants and this plan's purpose."""
    with app.app_context():
        session = db.session()
        person = factories.individual(session)
        shown, hidden = (factories.plan(session, person=person) for _ in range(2))
        for plan, word in ((shown, "Synlig"), (hidden, "Dold")):
            meeting = plan.meetings[0]
            meeting.purpose = f"{word} anledning"
            staff = factories.staff(session)
            staff.given_name = f"{word}personal"
            relative = Relative(given_name=f"{word}anhörig", family_name="Släkting")
            meeting.participants = [
                MeetingParticipant(role=ParticipantRole.CALLED, staff=staff),
                MeetingParticipant(role=ParticipantRole.INVITED, relative=relative),
                MeetingParticipant(role=ParticipantRole.INVITED, other_name=f"{word}gäst"),
            ]
        shown_id = shown.id
        account_id = session.scalar(sa.select(Account.id).where(Account.individual == person))
        session.commit()
    # The individual sees both plans' content; here only the one plan's is allowed.
    monkeypatch.setattr(
        PersonPlan, "may_see_meeting_content", property(lambda p: p.plan.id == shown_id)
    )
    client = PageClient(app.test_client())
    client.get_page("/sign-in")
    client.post_form("/sign-in/demo", {"account": str(account_id)})
    home = client.get_page("/me/")
    for seen in ("Synlig anledning", "Synligpersonal", "Synliganhörig Släkting", "Synliggäst"):
        assert seen in home.text, seen
    for unseen in ("Dold anledning", "Doldpersonal", "Doldanhörig", "Doldgäst"):
        assert unseen not in home.text, unseen
    assert home.text.count("Kallade") == 1 and home.text.count("Varför") == 1
