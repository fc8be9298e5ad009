"""The page shell's parts worked out once (ADR 0096) still show each person their own menu."""

from __future__ import annotations

import re

from flask import Flask

from tests.conftest import Demo, sign_in
from tests.support.pages import PageClient


def _menu(client: PageClient, path: str) -> list[tuple[str, bool]]:
    """The menu's entries (label, marked as the current page), from the wide-screen menu."""
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    html = response.get_data(as_text=True)
    nav = html.split('<nav class="site-header__nav"', 1)[1].split("</nav>", 1)[0]
    entries = re.findall(r'<a href="[^"]*"( aria-current="page")?>([^<]*)</a>', nav)
    return [(label.strip(), bool(current)) for current, label in entries]


def test_a_relatives_menu_names_whom_they_act_for_and_marks_the_page(
    app: Flask, demo: Demo
) -> None:
    karin = PageClient(app.test_client())
    sign_in(karin, demo, "karin")
    assert ("SIP för Astrid", True) in _menu(karin, "/me/")
    calendar = _menu(karin, "/me/calendar")
    assert ("SIP för Astrid", False) in calendar and ("Kalender", True) in calendar
    astrid = PageClient(app.test_client())
    sign_in(astrid, demo, "astrid")
    own = _menu(astrid, "/me/")
    assert ("Min SIP", True) in own
    assert not any("Astrid" in label for label, _ in own), "no relative's label kept"
