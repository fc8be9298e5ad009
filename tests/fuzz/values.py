"""Hostile values: what a careless user types and what an attacker tries."""

from __future__ import annotations

import random

SCRIPT = '<script>alert("fz1")</script>'
IMAGE = '"><img src=x onerror=alert("fz2")>'
TEMPLATE = "{{ 7*1234567 }}"  # rendered as a template it would show 8641969
JINJA_BLOCK = "{% for x in range(3) %}fz3{% endfor %}"  # rendered it would show fz3fz3fz3

# A value containing the key, when sent, must never come back as the value shown.
REFLECTION_MARKERS = {
    SCRIPT: SCRIPT,
    IMAGE: "<img src=x onerror",
    TEMPLATE: "8641969",
    JINJA_BLOCK: "fz3fz3fz3",
}

HOSTILE = [
    "",
    " ",
    "\t\n ",
    "x" * 201,
    "x" * 5000,
    "Ordutanmellanrumsomaldrigtarslut" * 160,
    "å" * 100_001,
    "²³",
    "¹",
    "１２３",
    "٣٤",
    "-1",
    "0",
    "00000000000000000000001",
    "99999999999999999999999999",
    str(2**63),
    str(2**63 - 1),
    str(2**64),
    "-9223372036854775809",
    "1e9",
    "0x1f",
    "1.5",
    "NaN",
    "Infinity",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "2026-13-01",
    "2099-01-01",
    "1900-01-01",
    "２０２６-１２-０１",
    "31/12/2026",
    "2026-12-01T10:00",
    "25:00",
    "23:60",
    "24:00",
    "9:5",
    "０９:３０",
    "-01:00",
    SCRIPT,
    IMAGE,
    TEMPLATE,
    JINJA_BLOCK,
    "${7*7}",
    "' OR 1=1 --",
    "\x00",
    "a\x00b",
    "\u202egnp.exe",
    "\u202e\u2066",
    "\r\n\r\nSet-Cookie: x=1",
    "\n",
    "/\\evil.example",
    "//evil.example/",
    "javascript:alert(1)",
    "https://[meet.example",  # no URL parser reads an unclosed IPv6 bracket (ValueError)
    "http://]x.example/",
    "yes",
    "no",
    "true",
    "on",
    "None",
    "null",
    "[]",
    '{"id": "x"}',
    "👩‍👩‍👧" * 300,
    "\ufeff",
    "[" * 5000,  # JSON nested past the recursion limit
    '{"rawId": ' * 2000,
    "\u200b" * 50,
]

_ALPHABETS = [
    "abcåäöABCÅÄÖ0123456789 -",
    "²³¹⁴⁵６７８٣٤",
    "<>&\"'{}%$\\/",
    "\x00\x01\x1f\x7f\u202e\u2066\u200b\ufeff",
    "مرحبا你好Ωж",
]


NUMBERS = [
    "²³",
    "¹",
    "１２３",
    "٣٤",
    "-1",
    "0",
    "00000000000000000000001",
    "99999999999999999999999999",
    str(2**63),
    str(2**64),
    "1e9",
    "1.5",
    "abc",
    "",
    " 1",
    "\x00",
    "\n1",
]
DATES = [
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "2026-13-01",
    "2099-01-01",
    "1900-01-01",
    "２０２６-１２-０１",
    "31/12/2026",
    "2026-12-01T10:00",
    "",
    "²⁰²⁶-01-01",
]
TIMES = ["25:00", "23:60", "24:00", "9:5", "０９:３０", "-01:00", "", "10:00:99", "²³:00"]
BY_KIND = {
    "hidden": NUMBERS,
    "select": NUMBERS,
    "radio": NUMBERS,
    "checkbox": NUMBERS,
    "submit": NUMBERS,
    "number": NUMBERS,
    "date": DATES,
    "time": TIMES,
}


def random_text(rng: random.Random) -> str:
    alphabet = "".join(rng.sample(_ALPHABETS, k=rng.randint(1, len(_ALPHABETS))))
    return "".join(rng.choice(alphabet) for _ in range(rng.choice((1, 3, 12, 60, 300))))


def hostile_value(rng: random.Random, kind: str = "text") -> str:
    """A value aimed at a field of this kind most of the time, anything at all otherwise."""
    aimed = BY_KIND.get(kind)
    roll = rng.random()
    if aimed and roll < 0.6:
        return rng.choice(aimed)
    if roll < 0.85:
        return rng.choice(HOSTILE)
    return random_text(rng)
