"""Formatting a stored date or time cannot raise (issue 12, point 2): whatever the database
holds — year 1 or 9999, a naive value, a time that leaves the calendar in Stockholm — the
page shows something plain instead of answering 500."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask import Flask
from flask_babel import Babel, force_locale

from portal.web.dates import show_date, show_datetime, show_time

EDGES = [
    date.max,
    date.min,
    datetime.max.replace(tzinfo=UTC),  # one hour later in Stockholm: beyond year 9999
    datetime.min.replace(tzinfo=UTC),
    datetime.max,  # naive
    datetime(2026, 12, 1, 8, 13),  # naive, ordinary
]


@pytest.fixture
def babel_app() -> Flask:
    app = Flask(__name__)
    Babel(app, default_timezone="Europe/Stockholm")
    return app


@pytest.mark.parametrize("locale", ["sv", "en"])
@pytest.mark.parametrize("value", EDGES, ids=repr)
def test_no_stored_value_makes_date_formatting_raise(babel_app: Flask, value, locale) -> None:
    with babel_app.test_request_context(), force_locale(locale):
        for style in ("long", "short"):
            shown = show_date(value, style)
            assert shown and isinstance(shown, str)
            if isinstance(value, datetime):
                assert show_datetime(value, style)
        if isinstance(value, datetime):
            assert show_time(value)


def test_a_value_beyond_the_calendar_is_shown_as_stored(babel_app: Flask, caplog) -> None:
    with babel_app.test_request_context(), force_locale("sv"):
        shown = show_datetime(datetime.max.replace(tzinfo=UTC))
    assert shown.startswith("9999-12-31"), shown
    assert any("could not format" in r.getMessage() for r in caplog.records)


def test_a_moment_beyond_the_calendar_in_stockholm_is_held_at_its_edge() -> None:
    from portal.timeutil import to_stockholm

    assert to_stockholm(datetime(9999, 12, 31, 23, 30, tzinfo=UTC)).date() == date.max
    assert to_stockholm(datetime.min.replace(tzinfo=UTC)).year == 1
