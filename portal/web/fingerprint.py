"""A digest of the values a cached block of HTML is rendered from (ADR 0120).

Two sets of values with the same digest render the same block: records (dataclasses) by their
fields, ORM rows by their table, the columns loaded on them and the rows their loaded
many-to-one relationships name, collections by their items
(sets and dicts in a fixed order), enums, dates and plain values as they are. Anything else
(a function, a query, an object of no known kind) is refused with TypeError, so that a value
added to a cached block later cannot silently be left out of its key. The digest names no
value: safe in a key that might be logged.
"""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date, datetime, time
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase

_PLAIN = (str, int, float, bool, type(None), date, datetime, time)


class PerRequestReadError(RuntimeError):
    """A kept block read something that differs per request and is not in its key."""


def canonical(value: Any) -> Any:
    """`value` as nested tuples of plain values, the same for equal values."""
    if isinstance(value, Enum):
        return (type(value).__name__, value.value)
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, list | tuple):
        return tuple(canonical(item) for item in value)
    if isinstance(value, set | frozenset):
        return ("set", tuple(sorted((canonical(item) for item in value), key=repr)))
    if isinstance(value, dict):
        items = ((canonical(k), canonical(v)) for k, v in value.items())
        return ("dict", tuple(sorted(items, key=repr)))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return (type(value).__name__, *(canonical(getattr(value, f.name)) for f in fields))
    if isinstance(value, DeclarativeBase):
        return _orm_row(value, frozenset())
    raise TypeError(f"no fingerprint for a {type(value).__name__}: add it, or leave it out")


def _orm_row(row: DeclarativeBase, seen: frozenset[tuple[str, Any]]) -> tuple[Any, ...]:
    """An ORM row: its table, its loaded columns and, followed, the rows its loaded
    many-to-one relationships name (a plan's convener and the convener's unit). A row already
    on the way is named by its key only. Collections are not followed: pass what a block
    shows of them as values of their own."""
    state = sa.inspect(row)
    mapper, loaded = state.mapper, state.dict
    name = (mapper.local_table.name, state.identity or ("new", id(row)))
    if name in seen:
        return ("seen", *name)
    seen = seen | {name}
    columns = tuple(
        (attr.key, canonical(loaded[attr.key]))
        for attr in mapper.column_attrs
        if attr.key in loaded
    )
    related = tuple(
        (rel.key, None if loaded[rel.key] is None else _orm_row(loaded[rel.key], seen))
        for rel in mapper.relationships
        if not rel.uselist and rel.key in loaded
    )
    return (mapper.local_table.name, *columns, *related)


def digest(**values: Any) -> str:
    """The values' digest (128 bits, hex), by name."""
    text = repr(canonical(dict(values)))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
