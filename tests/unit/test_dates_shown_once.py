"""A date or time is formatted by Babel once per locale and time zone, then shown from memory
(`portal.web.dates._SHOWN`): what is shown is exactly what Babel shows, in each locale and
time zone, and a value that cannot be formatted is still shown as stored."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask import Flask
from flask_babel import Babel, force_locale, format_date, format_datetime

from portal.web import dates
from portal.web.dates import show_date, show_datetime, show_time

MOMENTS = [datetime(2026, 12, 7, 13, 5, tzinfo=UTC), datetime(2026, 6, 30, 22, 30, tzinfo=UTC)]


def _app(zone: str) -> Flask:
    app = Flask(__name__)
    Babel(app, default_timezone=zone)
    return app


@pytest.mark.parametrize("zone", ["Europe/Stockholm", "America/New_York"])
@pytest.mark.parametrize("locale", ["sv", "en"])
def test_shown_from_memory_as_babel_shows_it(zone: str, locale: str) -> None:
    dates._SHOWN.clear()
    with _app(zone).test_request_context(), force_locale(locale):
        patterns = dates.PATTERNS[locale]
        for _ in range(2):  # the first time formatted, the second from memory
            for moment in MOMENTS:
                assert show_datetime(moment) == format_datetime(moment, patterns[1])
                assert show_datetime(moment, "short") == format_datetime(moment, patterns[3])
                assert show_time(moment) == format_datetime(moment, patterns[4])
                assert show_date(moment.date()) == format_date(moment.date(), patterns[0])
        assert dates._SHOWN


def test_each_time_zone_and_locale_has_its_own_memory() -> None:
    dates._SHOWN.clear()
    moment = MOMENTS[0]
    shown = {}
    for zone in ("Europe/Stockholm", "America/New_York"):
        for locale in ("sv", "en"):
            with _app(zone).test_request_context(), force_locale(locale):
                shown[zone, locale] = show_time(moment)
    assert shown["Europe/Stockholm", "sv"] == "14.05"
    assert shown["Europe/Stockholm", "en"] == "14:05"
    assert shown["America/New_York", "en"] == "08:05"


def test_a_date_and_the_midnight_of_that_day_are_kept_apart() -> None:
    dates._SHOWN.clear()
    with _app("Europe/Stockholm").test_request_context(), force_locale("en"):
        day = show_date(date(2026, 12, 7))
        midnight = show_date(datetime(2026, 12, 7, 23, 30, tzinfo=UTC))  # 8 December there
    assert day != midnight


def test_the_memory_is_bounded() -> None:
    dates._SHOWN.clear()
    with _app("Europe/Stockholm").test_request_context(), force_locale("sv"):
        for minute in range(dates._SHOWN_MOST + 10):
            show_datetime(
                datetime(2026, 1, 1, tzinfo=UTC).replace(
                    minute=minute % 60, hour=minute // 60 % 24, day=1 + minute // 1440
                )
            )
    assert len(dates._SHOWN) <= dates._SHOWN_MOST
