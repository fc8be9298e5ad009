"""Hostile values for the field contracts (ADR 0050) and one check for how they are refused:
a 400/422 with the bound stated beside the field and what was typed kept."""

from __future__ import annotations

import html

from werkzeug.test import TestResponse

SUPERSCRIPT = "²³"
HUGE = "99999999999999999999"
NEGATIVE = "-1"
FAR_DAY = "9999-12-31"
NOT_A_VERSION = "abc"
FULLWIDTH = "１２"  # str.isdigit() and \d take it, int() reads it as 12
BEYOND_64_BITS = str(2**63)  # 19 digits, one more than the largest 64-bit id
BEYOND_IDS = str(2**31)  # id columns are INTEGER: on PostgreSQL "integer out of range"
IMPOSSIBLE_DAY = "2026-02-30"


def refused_beside(
    response: TestResponse, field: str, message: str, kept: str | None = None
) -> str:
    """The answer refuses the value at `field` with `message` in its error and keeps `kept`."""
    assert response.status_code in (400, 422), response.status_code
    page = response.get_data(as_text=True)
    marker = f'id="{field}-error"'
    assert marker in page, f"no error beside {field}"
    beside = page.split(marker, 1)[1].split("</", 1)[0]
    assert message in html.unescape(beside), beside
    if kept is not None:
        assert html.escape(kept, quote=True) in page or kept in page, "what was typed is lost"
    return page


def too_long(n: int) -> str:
    """One word longer than the bound: 'Högst n tecken. Nu är det n+…' is the message."""
    return "å" * n
