"""How a person's name is shown: given name, then family name. Pure.

One rule for the models' `name` (Individual, Relative, Staff) and for the pages that show
a person from Core rows (the home page, ADR 0108), so the two cannot drift apart.
"""

from __future__ import annotations


def full_name(given_name: str, family_name: str) -> str:
    return f"{given_name} {family_name}"
