"""A phone number's one contract, used by the form field (portal.web.fields.PhoneField), the
columns that store one (String(PHONE_MAX)) and the meeting invitation's "how to join". Pure."""

from __future__ import annotations

import re

PHONE_MAX = 20  # characters as typed: '+46 (0)601-12 35 00' is 19
MIN_PHONE_DIGITS = 6
_ASCII_DIGIT = re.compile(r"[0-9]")


def ascii_digits(text: str) -> int:
    """How many ASCII digits `text` holds. Not `str.isdigit` or `\\d`: they also count '²',
    '０' and '٣', which no telephone dials (and `int()` refuses '²')."""
    return len(_ASCII_DIGIT.findall(text))
