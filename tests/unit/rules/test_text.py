"""What typed text may hold (portal.rules.text): one rule for the forms and the services."""

from __future__ import annotations

import pytest

from portal.rules.text import storable


@pytest.mark.parametrize(
    "text",
    ["a\x00b", "a\x1bb", "a\x7fb", "a\x85b", "a\x9b2J", "a\u202eb", "a\u202ab", "a\u2066b\u2069"],
)
def test_controls_and_bidirectional_overrides_are_never_storable(text: str) -> None:
    assert not storable(text)
    assert not storable(text, lines=True)


@pytest.mark.parametrize("text", ["a\nb", "a\r\nb", "a\tb", "a\u2028b", "a\u2029b"])
def test_line_breaks_only_in_text_of_several_lines(text: str) -> None:
    assert not storable(text)
    assert storable(text, lines=True)


@pytest.mark.parametrize(
    "text", ["", "Zoë Ångström", "\u200fنور\u200f", "👩\u200d⚕️", "a\u200bb", "２０２６"]
)
def test_what_real_text_needs_is_storable(text: str) -> None:
    assert storable(text)
