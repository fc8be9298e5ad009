"""A digest of the values a cached block of HTML is rendered from (ADR 0120).

Two sets of values with the same digest render the same block: records (dataclasses) by their
fields, ORM rows by their table and the columns loaded on them, collections by their items
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
        state = sa.inspect(value)
        loaded = state.dict
        columns = (attr.key for attr in state.mapper.column_attrs if attr.key in loaded)
        return (state.mapper.local_table.name, *((key, canonical(loaded[key])) for key in columns))
    raise TypeError(f"no fingerprint for a {type(value).__name__}: add it, or leave it out")


def digest(**values: Any) -> str:
    """The values' digest (128 bits, hex), by name."""
    text = repr(canonical(dict(values)))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
