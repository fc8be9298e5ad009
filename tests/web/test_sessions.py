"""Sessions end when idle or too old; the person returns to where they were, input kept."""

from __future__ import annotations

from portal.auth.sessions import LAST_SEEN_AT, LAST_SEEN_STEP, SIGNED_IN_AT
from tests.conftest import Demo, sign_in
from tests.support.pages import PageClient


def _age(client: PageClient, key: str, seconds: float) -> None:
    with client.client.session_transaction() as session:
        session[key] = session[key] - seconds


def test_idle_staff_session_ends_and_returns_there_after_sign_in(
    client: PageClient, demo: Demo
) -> None:
    sign_in(client, demo, "eva")
    client.get_page("/staff/plans")
    _age(client, LAST_SEEN_AT, 31 * 60)
    response = client.get("/staff/plans")
    assert response.status_code == 302 and response.headers["Location"].endswith("/sign-in")
    page = client.get_page("/sign-in")
    assert "Du har varit inaktiv en stund" in page.text
    response = client.post_form("/sign-in/demo", {"account": str(demo.account_id("eva"))})
    assert response.headers["Location"] == "/staff/plans"


def test_individual_may_be_idle_longer_than_staff(client: PageClient, demo: Demo) -> None:
    sign_in(client, demo, "astrid")
    _age(client, LAST_SEEN_AT, 31 * 60)
    client.get_page("/me/")


def test_absolute_lifetime_ends_even_an_active_session(client: PageClient, demo: Demo) -> None:
    sign_in(client, demo, "astrid")
    _age(client, SIGNED_IN_AT, 8 * 24 * 3600)
    assert client.get("/me/").status_code == 302


def test_text_typed_after_a_timeout_is_kept_and_given_back(client: PageClient, demo: Demo) -> None:
    sign_in(client, demo, "astrid")
    client.get_page("/me/relatives")
    _age(client, LAST_SEEN_AT, 2 * 3600)
    response = client.post_form(
        "/me/relatives", {"given_name": "Sven", "family_name": "Sjöström", "scopes": "prepare"}
    )
    assert response.status_code == 302
    response = client.post_form("/sign-in/demo", {"account": str(demo.account_id("astrid"))})
    assert response.headers["Location"] == "/me/relatives"
    page = client.get_page("/me/relatives")
    assert "det du skrev finns kvar" in page.text
    assert page.one("input", id="given_name").attrs["value"] == "Sven"
    assert page.one("input", id="family_name").attrs["value"] == "Sjöström"
    assert "checked" in page.one("input", id="scope-prepare").attrs
    again = client.get_page("/me/relatives")
    assert again.one("input", id="given_name").attrs["value"] == "", "given back once"


def test_sign_out_everywhere_ends_other_sessions(client: PageClient, app, demo: Demo) -> None:
    other = PageClient(app.test_client())
    sign_in(other, demo, "astrid")
    sign_in(client, demo, "astrid")
    assert client.post_form("/account/sign-out-everywhere").status_code == 303
    assert other.get("/me/").status_code == 302


def test_a_draft_saved_as_the_session_ends_comes_back_on_the_page(
    client: PageClient, app, demo: Demo
) -> None:
    import sqlalchemy as sa

    from portal import db
    from portal.models import Plan

    with app.app_context():
        plan_id = db.session().scalar(sa.select(Plan.id).where(Plan.number == "SIP-2026-0011"))
    sign_in(client, demo, "astrid")
    page_url = f"/me/plans/{plan_id}/prepare"
    client.get_page(page_url)
    _age(client, LAST_SEEN_AT, 2 * 3600)
    response = client.post_form(
        f"{page_url}/draft",
        {"needs_wishes": "Jag vill duscha själv"},
        headers={"HX-Request": "true", "HX-Current-URL": f"http://localhost{page_url}"},
    )
    assert response.status_code == 200 and response.headers["HX-Redirect"] == "/sign-in"
    client.csrf_token = None  # htmx now loads the sign-in page as a whole page
    response = client.post_form("/sign-in/demo", {"account": str(demo.account_id("astrid"))})
    assert response.headers["Location"] == page_url
    page = client.get_page(page_url)
    assert "det du skrev finns kvar" in page.text
    assert "Jag vill duscha själv" in page.one("textarea", id="needs_wishes").text


def test_an_unchanged_session_is_not_sent_again(client: PageClient, demo: Demo) -> None:
    """last_seen_at moves only after LAST_SEEN_STEP (ADR 0096): within it, a page sends no
    new cookie; past it, the cookie is written again and the idle clock restarts."""
    sign_in(client, demo, "astrid")
    client.get_page("/me/")  # the sign-in's own notice is shown (and the session changes)
    assert "Set-Cookie" not in client.get("/me/").headers
    _age(client, LAST_SEEN_AT, LAST_SEEN_STEP + 1)
    with client.client.session_transaction() as session:
        before = session[LAST_SEEN_AT]
    assert "Set-Cookie" in client.get("/me/").headers
    with client.client.session_transaction() as session:
        assert session[LAST_SEEN_AT] > before + LAST_SEEN_STEP
