"""Issue 13 point 4: the record form's coordinator suggestion follows the interventions as
they are entered — htmx asks again as they are typed (the fragment), and without JavaScript
the button (or any post-back of the page) shows it computed from what is typed, kept."""

from __future__ import annotations

import re
from typing import Any

from tests.web.test_meeting_record import _form, _ids


def _suggestion(html: str) -> str:
    found = re.search(r'id="record-suggestion-text">(.*?)</p>', html, re.S)
    assert found, html[:500]
    return " ".join(found.group(1).split())


def _two_home_health_visits(ids: dict[str, Any]) -> dict[str, str]:
    return _form(
        ids,
        **{
            "goal-0-item-1-what": "Såromläggning",
            "goal-0-item-1-unit": str(ids["hhc"]),
            "goal-0-item-1-responsible": str(ids["staff"]["Lena"]),
            "goal-0-item-1-basis": "HSL",
        },
    )


def test_the_suggestion_is_recomputed_from_the_interventions_typed_so_far(
    signed_in, app, demo
) -> None:
    ids = _ids(app)
    client = signed_in("eva")
    page = client.get(f"/staff/meetings/{ids['meeting']}/record").get_data(as_text=True)
    assert "Den passar bäst: Peter Strand." in _suggestion(page)  # from the called units
    url = f"/staff/meetings/{ids['meeting']}/record/suggestion"
    token = client.token()
    social_only = {k: v for k, v in _form(ids).items() if not k.startswith("goal-0-item")}
    answers = {}
    for name, form in (("social", social_only), ("visits", _two_home_health_visits(ids))):
        response = client.post(
            url, data=form | {"csrf_token": token}, headers={"HX-Request": "true"}
        )
        assert response.status_code == 200
        assert response.headers["Vary"].startswith("HX-Request")
        html = response.get_data(as_text=True)
        assert "<h1>" not in html and html.lstrip().startswith('<div class="notice"')
        answers[name] = _suggestion(html)
    assert "Enbart sociala insatser" in answers["social"]
    assert "Omfattande kommunal hemsjukvård" in answers["visits"]
    assert "Den passar bäst: Lena Holm." in answers["visits"]


def test_without_javascript_the_button_shows_the_page_again_with_the_new_suggestion(
    signed_in, app, demo
) -> None:
    ids = _ids(app)
    client = signed_in("eva")
    page = client.get_page(f"/staff/meetings/{ids['meeting']}/record")
    button = page.one("button", name="add", value="suggestion")
    assert button.attrs["formaction"] == f"/staff/meetings/{ids['meeting']}/record/suggestion"
    response = client.post_form(
        button.attrs["formaction"], _two_home_health_visits(ids) | {"add": "suggestion"}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1>Dokumentera mötet</h1>" in html
    assert "Såromläggning" in html and "Astrid vill klara duschen själv till jul." in html
    assert "Den passar bäst: Lena Holm." in _suggestion(html)


def test_a_refused_save_shows_the_suggestion_from_what_was_typed(signed_in, app, demo) -> None:
    ids = _ids(app)
    client = signed_in("eva")
    client.get_page(f"/staff/meetings/{ids['meeting']}/record")
    form = _two_home_health_visits(ids) | {"follow_up_on": "not a day"}
    response = client.post_form(f"/staff/meetings/{ids['meeting']}/record", form)
    assert response.status_code == 400
    assert "Den passar bäst: Lena Holm." in _suggestion(response.get_data(as_text=True))
