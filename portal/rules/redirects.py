"""Where a `next` parameter may send a person: only to a path on this site. Pure.

Browsers strip tab, CR and LF from URLs and read a backslash as a slash, so `/%09/evil`,
`/\\evil` and `//evil` all leave the site. Anything that is not a plain local path becomes "/".
"""

from __future__ import annotations

from urllib.parse import urlsplit

_REFUSED_CHARACTERS = frozenset("\\\t\r\n\x00")


def safe_next(value: str | None, default: str = "/") -> str:
    """`value` if it is a path on this site (starting with a single "/"), else `default`."""
    if not value or not value.startswith("/"):
        return default
    if any(ch in _REFUSED_CHARACTERS or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        return default
    if value.startswith("//"):
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return default
    return value
