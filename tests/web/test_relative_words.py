"""A relative acting for someone is spoken to as a relative (issue 14 point 3).

Signs in as each demo relative, crawls every page under /me/ and /account that the relative
reaches by links from the start page, in Swedish and in English, and fails on a phrase that
speaks to the relative as if they were the individual ("Min SIP", "Hemma hos dig", "din
plan"). Text that staff or the individual wrote (marked `lang="sv"`, or typed into a field)
is not the portal's own words and is left out. A relative who may change nothing is never
offered "Se och ändra".
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import Demo, sign_in
from tests.support.crawl import crawl
from tests.support.pages import PageClient

# Phrases that mean the individual when they say "du/din/jag" (the relative is not the patient).
AS_IF_THE_INDIVIDUAL = {
    "sv": [
        "Min SIP",
        "Mina mål",
        "din plan",
        "din SIP",
        "din samordningsansvarige",
        "Hemma hos dig",
        "om dig",
        "åt dig",
        "Du bestämmer själv",
        "hjälpa dig",
        "Förbered dig",
        "dina mål",
        "Det här gör jag själv",
        "Ditt första",
        "Ditt nästa",
        "ditt önskemål",
        "mitt önskemål",
        "dina uppgifter",
        "din underskrivna",
        "Se min plan",
        "Hjälpa mig",
        "mina mötestider",
        "passar mig",
        "viktigt för mig",
        "för din räkning",
        "din samordnade",
        "du gör själv",
        "Du behöver inte längre",
        "Du får svar",
    ],
    "en": [
        "My SIP",
        "My goals",
        "your plan",
        "your SIP",
        "Your coordinator",
        "At your home",
        "about you",
        "You decide, and",
        "You decide who may help you",
        "Prepare for the meeting",
        "your goals",
        "What I do myself",
        "Your first",
        "Your next",
        "your wish",
        "my wish",
        "See my plan",
        "Help me",
        "my meeting times",
        "suits me",
        "matters to me",
        "on your behalf",
        "your coordinated",
        "You will get an answer",
        "you do yourself",
    ],
}
MAY_NOT_CHANGE = {"sv": ["Se och ändra", "och ändra"], "en": ["See and change", "and change"]}
RELATIVES = {"karin": "Astrid", "per": "Gunnel"}  # Per is Gunnel's god man (representative)
REPRESENTATIVES = {"per"}
CRAWLED = ("/me/", "/account")
NOT_FOLLOWED = ("/me/access-log/extract.pdf", "/sign-out", "/account/sign-out")


def _followed(path: str) -> bool:
    return path.startswith(CRAWLED) and not path.startswith(NOT_FOLLOWED)


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("relative", sorted(RELATIVES))
def test_every_page_a_relative_reaches_names_the_individual_and_never_says_you_for_her(
    client: PageClient, demo: Demo, relative: str, lang: str
) -> None:
    sign_in(client, demo, relative)
    client.get(f"/language/{lang}?next=/me/")
    texts = crawl(client, "/me/", _followed)
    assert len(texts) >= 8, sorted(texts)  # home, plans, consent, calendar, account, ...
    forbidden = AS_IF_THE_INDIVIDUAL[lang] + (
        [] if relative in REPRESENTATIVES else MAY_NOT_CHANGE[lang]
    )
    found = [
        (path, phrase)
        for path, text in texts.items()
        for phrase in forbidden
        if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.IGNORECASE)
    ]
    assert not found, found
    home = texts["/me/"]
    name = RELATIVES[relative]
    assert name in home
    if lang == "sv":
        assert f"{name}s nästa möte" in home


def test_a_relative_who_may_not_ask_is_told_what_to_do_instead(
    client: PageClient, demo: Demo, app
) -> None:  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    from portal import db
    from portal.models import Individual, Plan
    from portal.rules.vocabulary import PlanState

    with app.app_context():
        plan_id = db.session().scalar(
            sa.select(Plan.id)
            .join(Individual)
            .where(Individual.given_name == "Astrid", Plan.state != PlanState.CLOSED)
        )
    sign_in(client, demo, "karin")
    page = client.get_page(f"/me/plans/{plan_id}/requests")
    assert "Frågor till Astrids samordningsansvarige" in page.text
    assert (
        "Bara Astrid själv, eller en god man eller förvaltare, kan skicka frågor här" in page.text
    )
    assert "Eva Sjöberg" in page.text  # whom to call instead, with the number
    assert "0601-12 34 00" in page.text
    assert "Ingen fråga är skickad ännu." in page.text
    assert not page.all("form", action=f"/me/plans/{plan_id}/requests")
