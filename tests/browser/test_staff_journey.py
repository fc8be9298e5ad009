"""Real Chromium on a desktop: the staff side of one SIP from start to end.

Eva at the health centre starts a SIP after discharge for a new person and calls the first
meeting with the home help; Peter acknowledges the call from his worklist, by keyboard
alone; Eva records the meeting and Peter is appointed coordinator; Peter hands over to Lena
at home health care, who accepts from her worklist, signs, follows up and closes the plan.
Every staff page on the way is scanned with axe and has one h1; the main pages once more
in English.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date
from flask import Flask
from playwright.sync_api import Locator, Page, expect

from portal import db
from portal.models import Plan
from portal.rules.identity import luhn_digit
from portal.rules.vocabulary import MeetingStatus, PlanState, VersionStatus
from portal.timeutil import now
from tests.browser.conftest import assert_accessible, demo_sign_in
from tests.conftest import Demo

DESKTOP = {"width": 1280, "height": 900}
GIVEN, FAMILY = "Gudrun", "Wikström"
NAME = f"{GIVEN} {FAMILY}"
GOAL = "Att klara vardagen hemma och kunna gå till affären själv."


def _pin(birth: str = "19380517", serial: str = "246") -> str:
    return f"{birth}-{serial}{luhn_digit(birth[2:] + serial)}"


def _checked(page: Page) -> None:
    """One h1, and axe finds nothing."""
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)


def _in_english(page: Page, heading: str) -> None:
    """The same page in English, through the switch in the header, passes axe too; then
    back to Swedish the same way."""
    page.get_by_role("link", name="English", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text(heading)
    _checked(page)
    page.get_by_role("link", name="Svenska", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Logga ut", exact=True).click()
    page.wait_for_load_state()


def _state_is(page: Page, state: str) -> None:
    """The plan page's summary says which state the plan is in."""
    expect(page.locator("dt:text-is('Läge') + dd")).to_have_text(state)


def _tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element is focused, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"{selector} is not reachable by Tab on {page.url}")


def _row_about(page: Page, task: str) -> Locator:
    """The worklist row for this task about Gudrun."""
    return page.get_by_role("row").filter(has_text=NAME).filter(has_text=task)


def test_a_sip_from_discharge_to_closing_on_the_staff_side(
    page: Page, live_server: str, app: Flask, demo: Demo
) -> None:
    page.set_viewport_size(DESKTOP)
    today = datetime.now(ZoneInfo("Europe/Stockholm")).date()
    yesterday, tomorrow = today - timedelta(days=1), today + timedelta(days=1)

    # Eva, district nurse at the health centre, lands on her worklist.
    demo_sign_in(page, live_server, "Eva Sjöberg")
    expect(page.locator("h1")).to_have_text("Arbetslista")
    expect(page.get_by_role("row").filter(has_text=NAME)).to_have_count(0)
    _checked(page)
    _in_english(page, "Worklist")

    # Start a SIP after discharge: the number is not in the portal, so she registers Gudrun.
    page.get_by_role("link", name="Starta en SIP").first.click()
    expect(page.locator("h1")).to_have_text("Starta en SIP")
    _checked(page)
    page.get_by_label("Personnummer").fill(_pin())
    page.get_by_role("button", name="Sök", exact=True).click()
    expect(page.get_by_text("Ingen person med det personnumret finns i portalen.")).to_be_visible()
    _checked(page)
    page.get_by_label("Förnamn").fill(GIVEN)
    page.get_by_label("Efternamn").fill(FAMILY)
    page.get_by_label("Folkbokföringsadress (frivilligt)").fill("Storgatan 4, 871 31 Norrsund")
    page.get_by_label("Efter utskrivning från sjukhus").check()
    page.get_by_label("Utskrivningsklar, datum").fill(yesterday.isoformat())
    page.get_by_label("Utskrivningsklar, klockslag").fill("14:00")
    units = page.get_by_role("group", name="Enheter som deltar")
    expect(units.get_by_label("Hälsocentralen Björkhagen")).to_be_checked()  # her own unit
    units.get_by_label("Hemtjänst Centrum").check()
    units.get_by_label("Hemsjukvården Norrsund").check()
    page.get_by_label("Personen har lämnat samtycke muntligt").check()
    page.get_by_label("Datum för muntligt samtycke").fill(today.isoformat())
    page.get_by_role("button", name="Starta SIP").click()

    expect(page.get_by_role("heading", name="SIP:en är startad")).to_be_visible()
    expect(page.get_by_text(f"{NAME}, 19380517-****")).to_be_visible()
    expect(page.get_by_text("Efter utskrivning från sjukhus")).to_be_visible()
    _checked(page)
    plan_path = re.sub(r"^https?://[^/]+", "", page.url).split("?")[0]
    plan_id = int(plan_path.rsplit("/", 1)[1])
    shown = page.locator("h1").inner_text().removeprefix("Plan ")  # joined with U+2011
    number = shown.replace("\u2011", "-")
    _state_is(page, "Påbörjad")
    _in_english(page, f"Plan {shown}")

    # The worklist now asks Eva to call the meeting, within three days of ready-for-discharge.
    page.get_by_role("link", name="Arbetslista").first.click()
    expect(_row_about(page, "Kalla till SIP-möte")).to_have_count(1)
    _checked(page)

    # The invitation, from the worklist row: Peter at the home help is called.
    row = _row_about(page, "Kalla till SIP-möte")
    row.get_by_role("link", name=f"Kalla till SIP-möte: {NAME}, {number}", exact=True).click()
    expect(page.locator("h1")).to_have_text("Kalla till möte")
    expect(page.get_by_text("Skicka kallelsen senast")).to_be_visible()
    _checked(page)
    page.get_by_label("Frågor som ska tas upp").fill("Hjälp i hemmet, läkemedel, träning.")
    page.get_by_label(re.compile("^Peter Strand")).check()
    page.get_by_label("Datum", exact=True).fill(tomorrow.isoformat())
    page.get_by_label("Börjar").fill("10:00")
    page.get_by_label("Slutar").fill("11:00")
    expect(page.get_by_label("Hemma hos den enskilde")).to_be_checked()
    expect(page.get_by_label("Plats", exact=True)).to_have_value("Storgatan 4, 871 31 Norrsund")
    page.get_by_role("button", name="Skicka kallelsen").click()
    expect(page.get_by_text("Kallelsen är skickad.")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Kallelse: Första SIP-mötet")
    expect(page.get_by_role("row", name=re.compile("^Peter Strand"))).to_contain_text(
        "Inte kvitterat"
    )
    _checked(page)
    page.get_by_role("link", name=f"Tillbaka till plan {number}").click()
    _state_is(page, "Kallad till möte")
    _checked(page)
    page.get_by_role("link", name="Arbetslista").first.click()
    expect(_row_about(page, "Kalla till SIP-möte")).to_have_count(0)
    _sign_out(page)

    # Peter acknowledges the call from his worklist; the row says it is done.
    demo_sign_in(page, live_server, "Peter Strand")
    expect(page.locator("h1")).to_have_text("Arbetslista")
    row = _row_about(page, "Kvittera kallelse till möte")
    expect(row).to_have_count(1)
    _checked(page)
    button = row.get_by_role("button", name=f"Kvittera kallelsen: {NAME}, {number}", exact=True)
    expect(button).to_be_visible()
    _tab_to(page, f"#{row.get_attribute('id')} button")  # by keyboard alone
    page.keyboard.press("Enter")
    expect(page.get_by_text("Kallelsen är kvitterad.")).to_be_visible()
    _checked(page)
    page.reload()
    expect(_row_about(page, "Kvittera kallelse till möte")).to_have_count(0)
    _sign_out(page)

    # The day of the meeting comes (it began an hour ago): only then can it be recorded as held.
    with app.app_context():
        plan = db.session().get(Plan, plan_id)
        for meeting in plan.meetings:
            meeting.starts_at = now() - timedelta(hours=1)
            meeting.ends_at = now()
        db.session().commit()

    # Eva records the meeting: attendance, a goal, an intervention per unit, follow-up, and
    # Peter as coordinator.
    demo_sign_in(page, live_server, "Eva Sjöberg")
    page.goto(f"{live_server}{plan_path}")
    expect(page.get_by_role("row", name=re.compile("^Första SIP-mötet"))).to_contain_text("1 av 1")
    _checked(page)
    page.get_by_role("link", name="Dokumentera mötet").click()
    expect(page.locator("h1")).to_have_text("Dokumentera mötet")
    _checked(page)
    _in_english(page, "Record the meeting")
    expect(page.get_by_label(re.compile("^Peter Strand"))).to_be_checked()
    page.get_by_label("Anteckningar från mötet").fill("Gudrun vill bo kvar hemma.")
    page.get_by_label("Målet med den enskildes ord").first.fill(GOAL)
    for item, (what, unit, basis, follower) in enumerate(
        [
            (
                "Hemtjänst med inköp två gånger i veckan",
                "Hemtjänst Centrum",
                "SoL",
                "Peter Strand, Hemtjänst Centrum",
            ),
            (
                "Läkemedelsgenomgång",
                "Hälsocentralen Björkhagen",
                "HSL",
                "Eva Sjöberg, Hälsocentralen Björkhagen",
            ),
        ]
    ):
        prefix = f"#goal-0-item-{item}"
        page.locator(f"{prefix}-what").fill(what)
        page.locator(f"{prefix}-unit").select_option(label=unit)
        page.locator(f"{prefix}-basis").select_option(basis)
        page.locator(f"{prefix}-follow_up_by").select_option(label=follower)
    page.get_by_role("button", name="Lägg till insats").first.click()  # one more row, kept
    expect(page.locator("#goal-0-item-2-what")).to_be_visible()
    expect(page.locator("#goal-0-item-0-what")).to_have_value(
        "Hemtjänst med inköp två gånger i veckan"
    )
    page.locator("#goal-0-item-2-what").fill("Hemsjukvård: såromläggning")
    page.locator("#goal-0-item-2-unit").select_option(label="Hemsjukvården Norrsund")
    page.locator("#goal-0-item-2-responsible").select_option(
        label="Lena Holm, Hemsjukvården Norrsund"
    )
    page.locator("#goal-0-item-2-basis").select_option("HSL")
    page.locator("#goal-0-item-2-follow_up_by").select_option(
        label="Lena Holm, Hemsjukvården Norrsund"
    )
    page.get_by_label("Datum för uppföljning").fill((today + timedelta(days=14)).isoformat())
    page.get_by_label("Form för uppföljningen").select_option(label="Telefon")
    page.get_by_label("Samordningsansvarig", exact=True).select_option(
        label="Peter Strand, Hemtjänst Centrum"
    )
    page.get_by_label("Varför just den personen").fill("Hemtjänsten träffar Gudrun varje dag.")
    _checked(page)
    page.get_by_role("button", name="Spara och upprätta planen").click()
    expect(page.get_by_text("Mötet är dokumenterat.")).to_be_visible()
    _state_is(page, "Upprättad")
    expect(page.get_by_role("link", name="Dokumentera mötet")).to_have_count(0)
    coordinator = page.get_by_role("region", name="Samordningsansvarig")
    expect(coordinator).to_contain_text("Peter Strand")
    _checked(page)

    # The convener no longer leads: the coordinator's page says who may hand over.
    page.get_by_role("link", name="Samordningsansvar: förslag, önskemål och historik").click()
    expect(page.get_by_text("Bara Peter Strand, som leder planen")).to_be_visible()
    _checked(page)
    _sign_out(page)

    # Peter, now coordinator, hands over to Lena at home health care.
    demo_sign_in(page, live_server, "Peter Strand")
    page.goto(f"{live_server}{plan_path}/coordinator")
    expect(page.locator("h1")).to_have_text(f"Samordningsansvarig för plan {shown}")
    _checked(page)
    _in_english(page, f"Coordinator of plan {shown}")
    page.get_by_label("Välj en namngiven person i kommun eller region").select_option(
        label="Lena Holm, distriktssköterska, Hemsjukvården Norrsund"
    )
    page.get_by_label("Skäl", exact=True).fill("Hemsjukvården har nu de flesta insatserna.")
    page.get_by_label("Från och med").fill(today.isoformat())
    page.get_by_role("button", name="Lämna över").click()
    waiting = page.get_by_role("region", name="Överlämning som väntar")
    expect(waiting).to_contain_text("Lena Holm, Hemsjukvården Norrsund")
    expect(waiting.get_by_role("button", name="Ta över samordningsansvaret")).to_have_count(0)
    _checked(page)
    _sign_out(page)

    # Lena finds it on her worklist and takes over from the plan page.
    demo_sign_in(page, live_server, "Lena Holm")
    row = _row_about(page, "Ta över som samordningsansvarig")
    expect(row).to_have_count(1)
    _checked(page)
    row.get_by_role("link", name=re.compile(f"^Öppna .*{NAME}")).click()
    expect(
        page.get_by_text(re.compile("Lena Holm.* (väntar på att godtas|inte godtagit)"))
    ).to_be_visible()
    _checked(page)
    page.get_by_role("button", name="Ta över samordningsansvaret").click()
    coordinator = page.get_by_role("region", name="Samordningsansvarig")
    expect(coordinator).to_contain_text("Lena Holm, distriktssköterska, Hemsjukvården Norrsund")
    expect(coordinator.get_by_text("väntar på att godtas")).to_have_count(0)
    _checked(page)
    page.get_by_role("link", name="Arbetslista").first.click()
    expect(_row_about(page, "Ta över som samordningsansvarig")).to_have_count(0)
    _checked(page)

    # The history on the coordinator page shows both, Peter's term ended.
    page.goto(f"{live_server}{plan_path}/coordinator")
    history = page.get_by_role("region", name="Historik")
    expect(history.get_by_role("row", name=re.compile("^Lena Holm"))).to_be_visible()
    expect(history.get_by_role("row", name=re.compile("^Peter Strand"))).to_contain_text(
        "Hemtjänsten träffar Gudrun varje dag."
    )
    _checked(page)

    # Lena signs version 1, then follows up: evaluates the goal and books the next date.
    page.goto(f"{live_server}{plan_path}")
    page.get_by_role("link", name="Läs igenom och signera version 1").click()
    _checked(page)
    page.get_by_role("button", name="Jag har läst planen – signera version 1").click()
    expect(page.get_by_text("Version 1 är signerad")).to_be_visible()
    _checked(page)
    page.get_by_role("link", name="Gör uppföljningen").click()
    expect(page.locator("h1")).to_have_text("Följ upp planen")
    _checked(page)
    _in_english(page, "Follow up the plan")
    page.get_by_role("group", name=GOAL).get_by_label("Delvis uppfyllt").check()
    page.get_by_role("group", name=GOAL).get_by_label("Kommentar").fill("Handlar själv ibland.")
    next_date = today + timedelta(days=90)
    page.get_by_label("Datum för uppföljning").fill(next_date.isoformat())
    page.get_by_label("Vad har ändrats (med enkla ord)").fill("Inköp en gång i veckan.")
    page.get_by_label("Den enskilde godkände ändringarna", exact=True).check()
    page.get_by_role("button", name="Spara uppföljningen").click()
    expect(page.get_by_text("Uppföljningen är sparad.")).to_be_visible()
    _state_is(page, "Upprättad")
    expect(page.get_by_text("Utkast, version 2, väntar på signering.")).to_be_visible()
    next_text = f"Nästa uppföljning: {format_date(next_date, 'EEEE d MMMM y', locale='sv')}"
    expect(page.get_by_text(re.compile("^" + re.escape(next_text)))).to_be_visible()
    _checked(page)

    page.get_by_role("link", name="Läs igenom och signera version 2").click()
    _checked(page)
    page.get_by_role("button", name="Jag har läst planen – signera version 2").click()
    expect(page.get_by_text("Version 2 är signerad")).to_be_visible()
    _checked(page)

    # Finally Lena closes the plan with a reason.
    page.get_by_role("link", name="Avsluta planen").click()
    expect(page.locator("h1")).to_have_text(f"Avsluta plan {shown}")
    _checked(page)
    page.get_by_label("Målen är uppfyllda").check()
    page.get_by_label("Anteckning (frivilligt)").fill("Gudrun klarar sig själv med hemtjänst.")
    page.get_by_role("button", name="Avsluta planen").click()
    expect(page.locator("h1")).to_have_text(f"Plan {shown}")
    _state_is(page, "Avslutad")
    closed = page.get_by_role("region", name="Planen är avslutad")
    expect(closed).to_contain_text("Målen är uppfyllda")
    expect(closed).to_contain_text("Lena Holm")
    expect(page.get_by_role("link", name="Gör uppföljningen")).to_have_count(0)
    _checked(page)
    with app.app_context():
        closed_plan = db.session().get(Plan, plan_id)
        assert closed_plan.state is PlanState.CLOSED
        assert [m.status for m in closed_plan.meetings] == [MeetingStatus.HELD]
        assert [v.status for v in closed_plan.versions] == [VersionStatus.SIGNED] * 2
