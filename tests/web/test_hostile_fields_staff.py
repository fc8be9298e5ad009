"""Staff forms refuse hostile values by their contract (ADR 0050, 0051): a 400/409/422 with the
bound beside the field and the input kept; never a 500, never silently accepted, and nothing
stored. One table: each row posts one hostile variant of a complete form to one page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from portal import db
from portal.models import Base, Meeting, Plan, PlanVersion, Staff
from portal.rules.vocabulary import MeetingStatus, PlanState
from portal.timeutil import today_stockholm
from tests import factories
from tests.conftest import Demo
from tests.support.hostile import (
    BEYOND_64_BITS,
    BEYOND_IDS,
    FAR_DAY,
    FULLWIDTH,
    HUGE,
    IMPOSSIBLE_DAY,
    NEGATIVE,
    NOT_A_VERSION,
    SUPERSCRIPT,
    refused_beside,
    too_long,
)
from tests.support.meeting_forms import (
    current_plan_id,
    invitation_form,
    planned_meeting_id,
    staff_id,
)
from tests.web.test_follow_up import _form as follow_up_form
from tests.web.test_follow_up import _ids as follow_up_ids
from tests.web.test_meeting_record import _form as record_form
from tests.web.test_meeting_record import _ids as record_ids
from tests.web.test_new_episode import GUNNEL
from tests.web.test_new_episode import _plan as episode_plan
from tests.web.test_staff_consent import _ids as consent_ids
from tests.web.test_start_plan import _start_form as start_form

WINDOW = "Välj ett datum mellan"
DAY_SHAPE = "Skriv datumet som ÅÅÅÅ-MM-DD"
NOT_STORED = ("audit_events", "audit_heads", "sign_in_sessions", "kept_inputs")


@dataclass(frozen=True)
class Page:
    """Who posts, where, and the complete form a row changes; `names` fill a row's keys."""

    who: str
    url: str
    form: Callable[..., dict[str, Any]]
    names: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Beside:
    """Refused with `message` beside `field` (400/422), `kept` shown again."""

    field: str
    message: str
    kept: str | None = None


@dataclass(frozen=True)
class Answer:
    """A status, with `text` on the page (what was typed, or the bound)."""

    status: int
    text: str = ""


def _start(app: Flask) -> Page:
    return Page("eva", "/staff/start", lambda **c: start_form(app, **c))


def _lookup(app: Flask) -> Page:
    return Page("eva", "/staff/start", lambda **c: {"step": "find", **c})


def _handover(app: Flask) -> Page:
    url = f"/staff/plans/{current_plan_id(app, 'Gunnel')}/coordinator"
    base = {
        "coordinator_id": str(staff_id(app, "Peter")),
        "reason": "Gunnel har lämnat ÄlSa-teamet.",
        "effective_on": today_stockholm().isoformat(),
    }
    return Page("fatima", url, lambda **c: base | c)


def _invitation(app: Flask) -> Page:
    plan_id = current_plan_id(app, "Astrid")
    with app.app_context():
        for meeting in db.session().scalars(sa.select(Meeting).where(Meeting.plan_id == plan_id)):
            meeting.status = MeetingStatus.CANCELLED
        db.session().commit()
    url = f"/staff/plans/{plan_id}/meetings/new?kind=first"
    return Page("eva", url, lambda **c: invitation_form(app, **c))


def _cancel(app: Flask) -> Page:
    meeting_id = planned_meeting_id(app, current_plan_id(app, "Astrid"))
    base = {"reason": "Astrid är inlagd.", "row_version": "1"}
    return Page("eva", f"/staff/meetings/{meeting_id}/cancel", lambda **c: base | c)


def _follow_up(app: Flask) -> Page:
    ids = follow_up_ids(app)
    url = f"/staff/plans/{ids['plan']}/follow-up"
    return Page("fatima", url, lambda **c: follow_up_form(ids, **c), {"goal": ids["goals"][0]})


def _consent(app: Flask) -> Page:
    plan_id, unit_id = consent_ids(app, "Biståndshandläggningen")
    base = {"unit": str(unit_id), "status": "given"}
    return Page("eva", f"/staff/plans/{plan_id}/consent", lambda **c: base | c)


def _account_letter(app: Flask) -> Page:
    url = f"/staff/plans/{current_plan_id(app, 'Astrid')}/account-invitation"
    return Page("eva", url, lambda **c: {"identity_document": "passport"} | c)


def _record(app: Flask) -> Page:
    ids = record_ids(app)
    url = f"/staff/meetings/{ids['meeting']}/record"
    return Page("eva", url, lambda **c: record_form(ids, **c), {"first": ids["participants"][0]})


def _new_episode(app: Flask) -> Page:
    plan_id, _individual = episode_plan(app, GUNNEL)
    base = {"context": "after_short_term_stay", "previous": "close"}
    return Page("eva", f"/staff/plans/{plan_id}/new-episode", lambda **c: base | c)


def _sign(app: Flask) -> Page:
    from tests.support.plans import gunnel_version

    with app.app_context():
        version = gunnel_version(db.session())
        url = f"/staff/plans/{version.plan_id}/versions/{version.id}/sign"
    return Page("fatima", url, lambda **c: c)


def _defer(app: Flask) -> Page:
    with app.app_context():
        session = db.session()
        eva = session.scalar(sa.select(Staff).where(Staff.given_name == "Eva"))
        plan = factories.plan(
            session, convener=eva, state=PlanState.INITIATED, meetings=0, versions=0
        )
        session.commit()
        url = f"/staff/plans/{plan.id}/defer"
    in_a_week = (today_stockholm() + timedelta(days=7)).isoformat()
    return Page("eva", url, lambda **c: {"reassess_before_home_on": in_a_week} | c)


def _reassess(app: Flask) -> Page:
    with app.app_context():
        plan_id = db.session().scalar(sa.select(Plan.id).where(Plan.number == "SIP-2026-0012"))
    base = {"outcome": "need_remains", "note": "Såret behöver följas."}
    return Page("maria", f"/staff/plans/{plan_id}/reassess", lambda **c: base | c)


PAGES: dict[str, Callable[[Flask], Page]] = {
    "start": _start,
    "lookup": _lookup,
    "handover": _handover,
    "invitation": _invitation,
    "cancel": _cancel,
    "follow_up": _follow_up,
    "consent": _consent,
    "account_letter": _account_letter,
    "record": _record,
    "new_episode": _new_episode,
    "sign": _sign,
    "defer": _defer,
    "reassess": _reassess,
}

_NAME, _LONG_REASON, _QUESTIONS = too_long(412), "ord " * 520, "fråga " * 900
_FORGED_IDS = (SUPERSCRIPT, HUGE, NEGATIVE, FULLWIDTH, BEYOND_64_BITS, BEYOND_IDS, "0", "abc")
_BAD_DAYS = (IMPOSSIBLE_DAY, "２０２７-01-01", "²⁰²⁷-01-01", "2027-01-01\x00", "\u202e2027-01-01")
_CONVENERS = (
    ("health_care_only", "health_care_convener"),
    ("plan_changed", "health_centre_convener"),
)

ROWS: list[tuple[str, dict[str, Any], Beside | Answer]] = [
    (
        "start",
        {"given_name": _NAME},
        Beside("given_name", "Högst 100 tecken. Nu är det 412.", _NAME),
    ),
    *[
        ("start", {"phone": phone}, Beside("phone", message, phone))
        for phone, message in (
            ("070²³45678", "Skriv ett telefonnummer med siffror"),
            ("０７０-123 45 67", "Skriv ett telefonnummer med siffror"),
            ("+46 70 123 45 67 ankn 12", "Högst 20 tecken. Nu är det 24."),
        )
    ],
    ("start", {"units": [SUPERSCRIPT]}, Beside("units", "Välj")),
    ("start", {"context": "holiday"}, Beside("context", "Välj hur SIP:en startar.", "Elsa")),
    ("start", {"ready_on": FAR_DAY}, Beside("ready_on", WINDOW, FAR_DAY)),
    ("start", {"ready_at": "9:3O"}, Beside("ready_on", "Skriv tiden som TT:MM", "9:3O")),
    *[
        ("lookup", {"personal_identity_number": pin}, Beside("personal_identity_number", "", pin))
        for pin in ("19²³0312-9821", "1" * 400, HUGE)
    ],
    ("handover", {"effective_on": FAR_DAY}, Beside("effective_on", WINDOW, FAR_DAY)),
    (
        "handover",
        {"reason": _LONG_REASON},
        Beside("reason", "Högst 2\xa0000 tecken. Nu är det 2\xa0079."),
    ),
    *[("handover", {"coordinator_id": forged}, Answer(400)) for forged in _FORGED_IDS[:3]],
    (
        "invitation",
        {"questions": _QUESTIONS},
        Beside("questions", "Högst 4\xa0000 tecken. Nu är det 5\xa0399."),
    ),
    ("invitation", {"day": "2099-03-02"}, Beside("day", WINDOW, "2099-03-02")),
    *[("invitation", {"called": [forged]}, Beside("called", "Välj")) for forged in _FORGED_IDS[:3]],
    ("invitation", {"form": "carrier_pigeon"}, Beside("form", "Välj mötesform.")),
    *[
        ("cancel", {"row_version": forged}, Answer(409, "Astrid är inlagd."))
        for forged in (NOT_A_VERSION, SUPERSCRIPT, HUGE, NEGATIVE)
    ],
    *[
        (
            "follow_up",
            {"row_version": forged, "own-0": "Mitt eget ansvar."},
            Answer(409, "Mitt eget ansvar."),
        )
        for forged in (NOT_A_VERSION, SUPERSCRIPT, HUGE)
    ],
    ("follow_up", {"follow_up_on": FAR_DAY}, Beside("follow_up_on", WINDOW, FAR_DAY)),
    (
        "follow_up",
        {"goal-0-text": too_long(4001)},
        Answer(400, "Högst 4\xa0000 tecken. Nu är det 4\xa0001."),
    ),
    ("follow_up", {"evaluation-{goal}": "perfect"}, Answer(400)),
    *[("follow_up", {"goal-0-item-0-unit": forged}, Answer(400)) for forged in (SUPERSCRIPT, HUGE)],
    # Rows shown: the page again, one goal more, never more than 30 goals of 40 fields.
    *[
        ("follow_up", {**shape, "add": "goal"}, Answer(200))
        for shape in (
            {"goal_rows": HUGE},
            {"goal_rows": SUPERSCRIPT},
            {"goal-0-item_rows": NEGATIVE},
        )
    ],
    ("follow_up", {"add": "item-" + HUGE}, Answer(303)),  # not a button: an ordinary save
    *[("consent", {"unit": forged}, Beside("unit", "Välj")) for forged in _FORGED_IDS[:3]],
    ("consent", {"effective_on": FAR_DAY}, Beside("effective_on", WINDOW, FAR_DAY)),
    ("consent", {"status": "maybe"}, Beside("status", "")),
    (
        "account_letter",
        {"identity_document": "library_card"},
        Answer(400, "välj vilken legitimation du såg"),
    ),
    ("record", {"attended-{first}": "²"}, Answer(400, "Kryssa i rutan eller låt den vara tom.")),
    *[
        ("record", {"row_version": forged, "notes": "Kvar."}, Answer(409, "Kvar."))
        for forged in (NOT_A_VERSION, HUGE, NEGATIVE)
    ],
    ("record", {"individual_present": "perhaps"}, Answer(400)),
    (
        "new_episode",
        {"reassess_before_home_on": FAR_DAY},
        Beside("reassess_before_home_on", WINDOW, FAR_DAY),
    ),
    ("new_episode", {"context": "on_the_moon"}, Beside("context", "Välj var planen börjar.")),
    ("new_episode", {"previous": "burn"}, Beside("previous", "Välj")),
    *[("sign", {"previewed": forged}, Answer(409)) for forged in ("x" * 5000, "²³", "a\x00b")],
    # The deferral: a day within two years from today, as ÅÅÅÅ-MM-DD, the first value counts.
    *[
        ("defer", {"reassess_before_home_on": day}, Beside("reassess_before_home_on", WINDOW, day))
        for day in (FAR_DAY, "2001-01-01", (today_stockholm() - timedelta(days=1)).isoformat())
    ],
    *[
        (
            "defer",
            {"reassess_before_home_on": day},
            Beside("reassess_before_home_on", DAY_SHAPE, day),
        )
        for day in (*_BAD_DAYS, "2" * 5000)
    ],
    (
        "defer",
        {"reassess_before_home_on": [FAR_DAY, today_stockholm().isoformat()]},
        Beside("reassess_before_home_on", WINDOW, FAR_DAY),
    ),
    # The re-assessment: an answer of its vocabulary, a convener from the list it offered.
    *[
        ("reassess", {"outcome": outcome}, Beside("outcome", "Välj vad personen svarade.", "Såret"))
        for outcome in ("everything", "NEED_REMAINS", "need_remains\x00", SUPERSCRIPT, "n" * 5000)
    ],
    (
        "reassess",
        {"outcome": ["moon", "need_remains"]},
        Beside("outcome", "Välj vad personen svarade.", "Såret"),
    ),
    *[
        ("reassess", {"outcome": outcome, name: forged}, Beside(name, "Välj i listan.", "Såret"))
        for outcome, name in _CONVENERS
        for forged in _FORGED_IDS
    ],
    (
        "reassess",
        {"note": too_long(2001)},
        Beside("note", "Högst 2\xa0000 tecken. Nu är det 2\xa0001.", too_long(2001)),
    ),
    (
        "reassess",
        {"note": "Såret\x00"},
        Beside("note", "Texten innehåller ett tecken som inte går att spara."),
    ),
]


def _stored(app: Flask) -> dict[str, object]:
    """Every table's rows counted, and each plan's, version's and meeting's state and version."""
    with app.app_context():
        session = db.session()
        counts: dict[str, object] = {
            table.name: session.scalar(sa.select(sa.func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
            if table.name not in NOT_STORED
        }
        counts["plans"] = session.execute(
            sa.select(Plan.id, Plan.state, Plan.row_version).order_by(Plan.id)
        ).all()
        counts["versions"] = session.execute(
            sa.select(PlanVersion.id, PlanVersion.status).order_by(PlanVersion.id)
        ).all()
        counts["meetings"] = session.execute(
            sa.select(Meeting.id, Meeting.status, Meeting.row_version).order_by(Meeting.id)
        ).all()
        return counts


def _row_id(row: tuple[str, dict[str, Any], Beside | Answer]) -> str:
    page, changes, _expected = row
    shown = ",".join(f"{k}={str(v)[:12]!r}" for k, v in changes.items())
    return f"{page}:{shown}"


@pytest.mark.parametrize(("page", "changes", "expected"), ROWS, ids=[_row_id(r) for r in ROWS])
def test_a_staff_form_refuses_a_hostile_value_by_its_contract(
    signed_in, app: Flask, demo: Demo, page: str, changes: dict[str, Any], expected: Beside | Answer
) -> None:
    target = PAGES[page](app)
    client = signed_in(target.who)
    before = _stored(app)
    filled = {key.format(**target.names): value for key, value in changes.items()}
    response = client.post_form(target.url, target.form(**filled))
    if isinstance(expected, Beside):
        refused_beside(response, expected.field, expected.message, kept=expected.kept)
    else:
        assert response.status_code == expected.status
        assert expected.text in response.get_data(as_text=True)
    if response.status_code == 200:
        assert response.get_data(as_text=True).count('name="goal-') < 30 * 40
    if response.status_code != 303:
        assert _stored(app) == before, "a refused value stored something"


@pytest.mark.parametrize(
    ("who", "url", "status"),
    [
        ("fatima", "/staff/plans/{Gunnel}/coordinator?home_health=nonsense", 200),
        ("eva", "/staff/plans/{Astrid}/meetings/new?kind=party", 404),
        ("eva", "/staff/?kind=nonsense", 200),
        ("eva", "/staff/?role=²³", 200),
        ("eva", "/staff/?show=" + "u" * 500, 200),
        ("eva", "/staff/?kind=&role=&show=", 200),
    ],
)
def test_a_staff_page_with_a_hostile_query_is_an_ordinary_answer(
    signed_in, app: Flask, demo: Demo, who: str, url: str, status: int
) -> None:
    plans = {name: current_plan_id(app, name) for name in ("Gunnel", "Astrid")}
    assert signed_in(who).get(url.format(**plans)).status_code == status
