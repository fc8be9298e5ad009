"""Swedish personal identity numbers (personnummer and samordningsnummer). Pure.

Stored normalised as 12 digits YYYYMMDDNNNC; shown masked by default.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

# ASCII digits only: `\d` would also accept fullwidth and other Unicode digits, which then
# make a second person record for the same number (re.ASCII).
_TEN = re.compile(r"^(\d{6})([-+]?)(\d{4})$", re.ASCII)
_TWELVE = re.compile(r"^(\d{8})-?(\d{4})$", re.ASCII)


class InvalidReason(StrEnum):
    FORMAT = "format"
    DATE = "date"
    CHECKSUM = "checksum"


class InvalidPinError(ValueError):
    def __init__(self, reason: InvalidReason) -> None:
        super().__init__(f"invalid personal identity number: {reason}")
        self.reason = reason


def luhn_digit(nine_digits: str) -> int:
    """The check digit for the nine digits YYMMDDNNN."""
    total = 0
    for index, char in enumerate(nine_digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10


def _century(yymmdd: str, separator: str, today: date) -> str:
    year = int(yymmdd[:2])
    century = today.year // 100 * 100
    full = century + year if century + year <= today.year else century - 100 + year
    if separator == "+":
        full -= 100
    return str(full)


def _valid_date(yyyymmdd: str) -> bool:
    day = int(yyyymmdd[6:8])
    if day > 60:  # samordningsnummer: day + 60
        day -= 60
    try:
        date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), day)
    except ValueError:
        return False
    return True


def parse_pin(text: str, today: date) -> str:
    """Validate and normalise to 12 digits, or raise InvalidPinError with its reason."""
    cleaned = re.sub(r"\s", "", text or "", flags=re.ASCII)
    if match := _TWELVE.match(cleaned):
        full = match.group(1) + match.group(2)
    elif match := _TEN.match(cleaned):
        full = _century(match.group(1), match.group(2), today) + match.group(1)[2:] + match.group(3)
    else:
        raise InvalidPinError(InvalidReason.FORMAT)
    if not _valid_date(full[:8]):
        raise InvalidPinError(InvalidReason.DATE)
    if luhn_digit(full[2:11]) != int(full[11]):
        raise InvalidPinError(InvalidReason.CHECKSUM)
    return full


def format_pin(pin12: str) -> str:
    return f"{pin12[:8]}-{pin12[8:]}"


def mask_pin(pin12: str) -> str:
    """19400312-**** : the birth date stays readable, the rest never leaves unmasked."""
    return f"{pin12[:8]}-****"


def birth_date(pin12: str) -> date:
    day = int(pin12[6:8])
    return date(int(pin12[:4]), int(pin12[4:6]), day - 60 if day > 60 else day)
