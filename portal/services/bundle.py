"""Several small reads sent as one statement: one round trip instead of one each (ADR 0111).

A page that reads a few rows from each of several tables (a plan's follow-ups, requests and
wishes; the worklist's candidate plans' assignments and consent events) pays PostgreSQL a
round trip per statement, about 100 µs of both processes' CPU each, more than the rows cost.
`Bundle` puts the parts' selects together as one `UNION ALL`: each part keeps its own columns,
its own conditions and its own types, in columns of its own (the other parts' are typed
NULLs), and each row says which part it is of. The rows come back split by part, in each
part's order, as named tuples with the part's column names: what its select alone returns.

Each part's statement stays where its rule lives (the service that reads it); a page bundles
the parts it shows. Built once, at import: building a statement costs more than running it.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any

import sqlalchemy as sa

_PART = "part"


class Bundle:
    """`Bundle({"follow_ups": (select, ("due_on",)), "wishes": (select, ())})`: the parts'
    selects (Core columns; an ORDER BY of their own is dropped) with the names of the columns
    each is ordered by ("-created_at": newest first), read in one statement by `read`."""

    def __init__(self, parts: Mapping[str, tuple[sa.Select, Sequence[str]]]) -> None:
        if not parts:
            raise ValueError("a bundle has at least one part")
        # Columns of one type (as repr names it: Integer(), an Enum with its values, a
        # TypeDecorator with its arguments) share slots across parts: a part's n-th column of
        # a type goes in that type's n-th slot, so the rows are as wide as the widest part of
        # each type, and every slot's type (and result processing) is that of its columns.
        # The columns a part is ordered by are also in slots of their own (NULL in the other
        # parts, never shared with a later part's column): a UNION is ordered by its output
        # columns only, and a shared slot would order one part by another's column.
        slots: list[Any] = []  # the type of each slot, in order
        shared: list[int] = []  # the slots of parts' columns (not of their order columns)
        placed: dict[str, dict[int, Any]] = {}  # part: {slot: column}
        shapes: dict[str, tuple[list[str], list[int]]] = {}  # part: (column keys, their slots)
        ordering: list[tuple[int, bool]] = []  # (slot, descending)
        for name, (select, order) in parts.items():
            if not name.isidentifier():
                raise ValueError(f"a part's name is an identifier: {name!r}")
            mine: dict[int, Any] = {}
            for column in select.selected_columns:
                of_kind = [i for i in shared if repr(slots[i]) == repr(column.type)]
                slot = next((i for i in of_kind if i not in mine), None)
                if slot is None:
                    slot = len(slots)
                    slots.append(column.type)
                    shared.append(slot)
                mine[slot] = column
            shapes[name] = ([c.key for c in mine.values()], list(mine))
            columns = {c.key: c for c in select.selected_columns}
            for key in order:
                mine[len(slots)] = columns[key.removeprefix("-")]
                ordering.append((len(slots), key.startswith("-")))
                slots.append(columns[key.removeprefix("-")].type)
            placed[name] = mine
        branches = []
        for name, (select, _order) in parts.items():
            columns = [
                placed[name].get(slot, sa.cast(sa.null(), kind)).label(f"c{slot}")
                for slot, kind in enumerate(slots)
            ]
            part = sa.literal_column(f"'{name}'", sa.String).label(_PART)
            branches.append(
                select.with_only_columns(part, *columns, maintain_column_froms=True).order_by(None)
            )
        order_by = [sa.literal_column(_PART)]
        for slot, descending in ordering:
            column = sa.literal_column(f"c{slot}")
            order_by.append(column.desc() if descending else column)
        self.statement = sa.union_all(*branches).order_by(*order_by)
        self._shapes: dict[str, tuple[Any, Any]] = {}
        for name, (keys, at) in shapes.items():
            indices = [1 + slot for slot in at]
            pick = itemgetter(*indices) if len(indices) > 1 else lambda row, i=indices[0]: (row[i],)
            self._shapes[name] = (namedtuple(f"{name}_row", keys), pick)

    def read(self, connection: sa.Connection, values: Mapping[str, Any]) -> dict[str, list[Any]]:
        """Every part's rows (a list for each part, empty where it found none)."""
        found: dict[str, list[Any]] = {name: [] for name in self._shapes}
        shapes = self._shapes
        for row in connection.execute(self.statement, values):
            shape, pick = shapes[row[0]]
            found[row[0]].append(shape._make(pick(row)))
        return found
