"""What a row's id can be. Pure.

Every id column is INTEGER: on PostgreSQL 32 bits signed, so an id beyond 2**31-1 names
nothing, and comparing one with an id column is an error ("integer out of range"), not a
miss. SQLite would take 64 bits; the bound is the smaller, so both databases answer alike.
"""

from __future__ import annotations

MAX_ID = 2**31 - 1


def names_a_row(number: int) -> bool:
    """Whether `number` can be an id at all (1 … MAX_ID)."""
    return 1 <= number <= MAX_ID
