"""What typed text may hold: one rule for the forms' text fields and for the services that
store text (ADR 0050 and its amendment of 2026-12-07)."""

from __future__ import annotations

import re

# C0 controls, DEL and the C1 controls: NUL cannot be stored in PostgreSQL text, the rest have
# no place in typed text (a terminal reading a log would obey them). The bidirectional
# embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) make a text show in
# another order than it is stored, so a name or a decision could read as something else
# ("Trojan source"); a browser sets the direction of Arabic or Hebrew text by itself, and the
# marks U+200E/U+200F are allowed, as are zero-width joiners and spaces.
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Newlines, tabs and the Unicode line and paragraph separators: only in text of several lines.
_LINE_BREAK = re.compile(r"[\t\n\r\u2028\u2029]")


def storable(text: str, *, lines: bool = False) -> bool:
    """Whether `text` holds only what typed text may: no character above, and on one line
    unless `lines`."""
    return not (_UNSTORABLE.search(text) or (not lines and _LINE_BREAK.search(text)))
