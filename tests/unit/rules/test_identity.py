"""Personal identity numbers: formats, dates, check digits, masking."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.rules.identity import (
    InvalidPinError,
    InvalidReason,
    birth_date,
    format_pin,
    mask_pin,
    parse_pin,
)

TODAY = date(2026, 11, 25)


def independent_luhn(digits: str) -> int:
    """Luhn written differently from the code under test: from the right, doubling every 2nd."""
    total = 0
    for position, char in enumerate(reversed(digits + "0")):
        value = int(char) * (2 if position % 2 else 1)
        total += sum(divmod(value, 10))
    return (10 - total % 10) % 10


def make_pin(birth: date, serial: int) -> str:
    nine = birth.strftime("%y%m%d") + f"{serial:03d}"
    return birth.strftime("%Y%m%d") + f"{serial:03d}" + str(independent_luhn(nine))


VALID = make_pin(date(1941, 3, 12), 982)


@pytest.mark.parametrize(
    "text",
    [VALID, f"{VALID[:8]}-{VALID[8:]}", f"{VALID[2:8]}-{VALID[8:]}", f" {VALID[2:8]} {VALID[8:]} "],
)
def test_parse_pin_accepts_the_usual_formats(text: str) -> None:
    assert parse_pin(text, TODAY) == VALID


def test_parse_pin_plus_sign_means_over_a_hundred() -> None:
    old = make_pin(date(1920, 5, 1), 981)
    assert parse_pin(f"{old[2:8]}+{old[8:]}", TODAY) == old
    young = make_pin(date(2020, 5, 1), 981)
    assert parse_pin(f"{young[2:8]}-{young[8:]}", TODAY) == young


def test_parse_pin_accepts_a_coordination_number() -> None:
    nine = "410372982"  # day 12 + 60
    number = "19" + nine + str(independent_luhn(nine))
    assert parse_pin(number, TODAY) == number
    assert birth_date(number) == date(1941, 3, 12)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", InvalidReason.FORMAT),
        ("abc", InvalidReason.FORMAT),
        ("19410312", InvalidReason.FORMAT),
        ("4103129820", InvalidReason.CHECKSUM),
        ("19410230-9821", InvalidReason.DATE),
        ("19411312-9821", InvalidReason.DATE),
    ],
)
def test_parse_pin_names_what_is_wrong(text: str, reason: InvalidReason) -> None:
    with pytest.raises(InvalidPinError) as raised:
        parse_pin(text, TODAY)
    assert raised.value.reason is reason


@given(
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)),
    serial=st.integers(min_value=0, max_value=999),
)
def test_parse_pin_accepts_every_valid_number(birth: date, serial: int) -> None:
    pin = make_pin(birth, serial)
    assert parse_pin(pin, TODAY) == pin
    assert birth_date(pin) == birth


@given(
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)),
    serial=st.integers(min_value=0, max_value=999),
    position=st.integers(min_value=2, max_value=11),
    delta=st.integers(min_value=1, max_value=9),
)
def test_parse_pin_rejects_every_single_digit_change(
    birth: date, serial: int, position: int, delta: int
) -> None:
    pin = make_pin(birth, serial)
    changed = pin[:position] + str((int(pin[position]) + delta) % 10) + pin[position + 1 :]
    with pytest.raises(InvalidPinError):
        parse_pin(changed, TODAY)


def test_mask_and_format_pin() -> None:
    assert mask_pin(VALID) == f"{VALID[:8]}-****"
    assert VALID[8:] not in mask_pin(VALID)
    assert format_pin(VALID) == f"{VALID[:8]}-{VALID[8:]}"


@pytest.mark.parametrize(
    "typed",
    [
        "１９４００３１２９８２４",  # fullwidth digits (valid check digit)
        "19400312-９８２４",
        "١٩٤٠٠٣١٢٩٨٢٤",  # Arabic-Indic digits
        "19400312\u00a09824",  # a no-break space is not ignored
    ],
)
def test_identity_number_accepts_ascii_digits_only(typed: str) -> None:
    """Exploit 9: other digits passed the check and made a second person record."""
    with pytest.raises(InvalidPinError):
        parse_pin(typed, date(2026, 1, 1))
