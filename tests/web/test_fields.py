"""The field contracts (ADR 0050): strict parsing, bounds stated in plain words, input kept."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from portal.rules.vocabulary import MeetingForm
from portal.timeutil import today_stockholm
from portal.web import fields as f


class Sample(f.PortalForm):
    name = f.TextField(max=200, required=True, missing=lambda: "Skriv namnet.")
    notes = f.TextField(max=20, lines=True)
    unit = f.IdField(required=True)
    units = f.IdListField()
    form = f.EnumField(MeetingForm)
    checked = f.FlagField()
    day = f.DayField(window=f.COMING)
    starts = f.ClockField()
    row_version = f.RowVersionField()


def problems(app: Flask, **data: object) -> tuple[Sample, dict[str, str]]:
    base: dict[str, object] = {"name": "Astrid", "unit": "1"}
    with app.test_request_context("/", method="POST"):
        form = f.read(Sample, MultiDict({**base, **data}))
        return form, form.problems()


def test_fields_valid_input_is_read_typed(app: Flask) -> None:
    day = today_stockholm() + timedelta(days=3)
    form, errors = problems(
        app,
        units=["3", "2", "3"],
        form="home",
        checked="yes",
        day=day.isoformat(),
        starts="09:30",
        row_version="4",
        notes="rad 1\nrad 2",
    )
    assert errors == {}
    assert form.value("unit") == 1 and form.value("units") == [3, 2]
    assert form.value("form") is MeetingForm.HOME and form.value("checked") is True
    assert form.value("day") == day and form.value("row_version") == 4


@pytest.mark.parametrize(
    "value", ["²³", "１２", "-1", "0", "1e3", " 1 2", "99999999999999999999999999", str(2**63)]
)
def test_fields_id_refuses_what_is_not_ascii_digits_within_64_bits(app: Flask, value: str) -> None:
    assert "unit" in problems(app, unit=value)[1]


def test_fields_text_states_its_bound(app: Flask) -> None:
    errors = problems(app, name="x" * 201)[1]
    assert errors["name"].startswith("Högst 200 tecken")
    assert problems(app, name="")[1]["name"] == "Skriv namnet."
    assert "name" in problems(app, name="a\x00b")[1]
    assert "name" in problems(app, name="a\nb")[1]  # one line only
    assert "notes" in problems(app, notes="a\x00")[1]


@pytest.mark.parametrize("name", ["a\x85b", "a\x9bb", "a\u202eb", "a\u2066b\u2069", "a\u2028b"])
def test_fields_text_refuses_c1_controls_bidi_overrides_and_line_separators(
    app: Flask, name: str
) -> None:
    assert "osynliga tecken" in problems(app, name=name)[1]["name"]  # it may not be seen
    assert "osynligt tecken" in problems(app, notes=name.replace("\u2028", "\x00"))[1]["notes"]


def test_fields_text_keeps_what_real_text_needs(app: Flask) -> None:
    for name in ("Zoë Ångström", "\u200fنور\u200f", "👩\u200d⚕️", "a\u200bb"):
        assert problems(app, name=name)[1] == {}
    assert problems(app, notes="rad ett\u2028rad två")[1] == {}  # several lines: a separator


def test_fields_day_outside_its_window_names_the_window(app: Flask) -> None:
    errors = problems(app, day="9999-12-31")[1]
    today = today_stockholm()
    assert errors["day"].startswith("Välj ett datum mellan ")
    assert str(today.year) in errors["day"] and str(today.year + 2) in errors["day"]
    for bad in ("2026-02-30", "２０２６-01-01", "31/12/2026", "2026-1-1"):
        assert "day" in problems(app, day=bad)[1]
    assert "day" not in problems(app, day=today.isoformat())[1]
    assert "day" in problems(app, day=(today - timedelta(days=1)).isoformat())[1]


def test_fields_enum_flag_and_clock_take_only_their_values(app: Flask) -> None:
    errors = problems(app, form="HOME", checked="true", starts="25:00")[1]
    assert {"form", "checked", "starts"} <= set(errors)
    assert "units" in problems(app, units=["1", "x"])[1]


def test_fields_forged_row_version_never_matches(app: Flask) -> None:
    for value in ("abc", "", "²", "-1", str(2**40)):
        form, errors = problems(app, row_version=value)
        assert "row_version" not in errors and form.value("row_version") == -1


def test_fields_window_bounds_are_relative_to_today() -> None:
    low, high = f.COMING.bounds(date(2026, 12, 1))
    assert low == date(2026, 12, 1) and high == date(2028, 12, 1)
    assert f.PAST_ONLY.bounds(date(2028, 2, 29)) == (date(2018, 2, 28), date(2028, 2, 29))


@given(st.text(max_size=40))
def test_fields_strict_id_never_raises(text: str) -> None:
    value = f.strict_id(text)
    assert value is None or (1 <= value <= f.MAX_ID and text.strip().isascii())


def test_fields_deeply_nested_credential_is_refused_not_a_server_error(client) -> None:
    client.get_page("/sign-in")
    for path in ("/sign-in/passkey", "/invitation/register", "/account/confirm"):
        response = client.post_form(path, {"credential": "[" * 5000})
        assert response.status_code < 500, path


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=30,
)


@given(st.text(max_size=200) | _JSON.map(json.dumps))
def test_bodies_json_object_never_raises(text: str) -> None:
    from portal.web.bodies import json_object

    value = json_object(text, depth=4)
    assert value is None or isinstance(value, dict)


def test_bodies_json_object_is_one_object_of_bounded_depth() -> None:
    from portal.web.bodies import json_object

    assert json_object('{"a": {"b": {"c": {}}}}', depth=4) == {"a": {"b": {"c": {}}}}
    assert json_object('{"a": {"b": {"c": {"d": []}}}}', depth=4) is None
    for refused in ("[]", "1", '"x"', "null", '{"a": 1, "a": 2}', '{"a": NaN}', "[" * 5000):
        assert json_object(refused, depth=4) is None, refused
    assert json_object(b'{"a": "\xc3\xa5"}', depth=1) == {"a": "å"}
    assert json_object(b"\xff{}", depth=1) is None
