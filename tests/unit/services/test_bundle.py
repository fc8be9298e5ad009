"""Several small reads in one statement (services.bundle, ADR 0111): each part's rows are what
its select alone returns (values, types, order), on SQLite and PostgreSQL."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.services.bundle import Bundle


class Colour(enum.StrEnum):
    RED = "red"
    BLUE = "blue"


class Shouted(sa.types.TypeDecorator):
    """A type whose result processing shows: read back in capitals."""

    impl = sa.String(20)
    cache_ok = True

    def process_result_value(self, value, dialect):
        return value.upper() if value is not None else None


metadata = sa.MetaData()
things = sa.Table(
    "bundle_things",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("group_id", sa.Integer, nullable=False),
    sa.Column("colour", sa.Enum(Colour, native_enum=False, length=10)),
    sa.Column("on", sa.Date),
    sa.Column("at", sa.DateTime(timezone=True)),
    sa.Column("name", Shouted),
)
notes = sa.Table(
    "bundle_notes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("group_id", sa.Integer, nullable=False),
    sa.Column("text", sa.String(50)),
    sa.Column("at", sa.DateTime(timezone=True)),
    sa.Column("rank", sa.Integer),
)
GROUPS = sa.bindparam("groups", expanding=True)
THINGS = sa.select(
    things.c.group_id, things.c.id, things.c.colour, things.c.on, things.c.at, things.c.name
).where(things.c.group_id.in_(GROUPS))
NOTES = sa.select(notes.c.rank, notes.c.text, notes.c.group_id, notes.c.at).where(
    notes.c.group_id.in_(GROUPS), notes.c.text.is_not(None)
)
ONE_COLUMN = sa.select(notes.c.id).where(notes.c.group_id.in_(GROUPS))


@pytest.fixture
def connection(db: Session) -> Iterator[sa.Connection]:
    """The test's tables, dropped afterwards: SQLite's driver commits a CREATE TABLE at once,
    and the schema must stay the migrations' (tests/unit/test_migrations.py)."""
    connection = db.connection()
    metadata.create_all(connection)
    at = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
    connection.execute(
        things.insert(),
        [
            {
                "id": 3,
                "group_id": 1,
                "colour": Colour.RED,
                "on": date(2026, 1, 2),
                "at": at,
                "name": "a",
            },
            {"id": 1, "group_id": 1, "colour": Colour.BLUE, "on": None, "at": None, "name": "b"},
            {
                "id": 2,
                "group_id": 2,
                "colour": None,
                "on": date(9999, 12, 31),
                "at": at,
                "name": None,
            },
            {"id": 4, "group_id": 3, "colour": Colour.RED, "on": None, "at": at, "name": "c"},
        ],
    )
    connection.execute(
        notes.insert(),
        [
            {"id": 1, "group_id": 2, "text": "x", "at": at, "rank": 2},
            {"id": 2, "group_id": 2, "text": "y", "at": None, "rank": 1},
            {"id": 3, "group_id": 1, "text": None, "at": at, "rank": 3},
        ],
    )
    yield connection
    db.rollback()
    with db.get_bind().begin() as cleaning:
        metadata.drop_all(cleaning)


def _alone(connection: sa.Connection, select: sa.Select, order: list, groups: list[int]) -> list:
    return [tuple(r) for r in connection.execute(select.order_by(*order), {"groups": groups})]


@pytest.mark.parametrize("groups", [[1, 2], [2], [1, 2, 3], [7]])
def test_each_part_reads_what_its_select_alone_reads(connection: sa.Connection, groups) -> None:
    bundle = Bundle(
        {"things": (THINGS, ("id",)), "notes": (NOTES, ("rank",)), "ids": (ONE_COLUMN, ("-id",))}
    )
    found = bundle.read(connection, {"groups": groups})
    assert [tuple(r) for r in found["things"]] == _alone(connection, THINGS, [things.c.id], groups)
    assert [tuple(r) for r in found["notes"]] == _alone(connection, NOTES, [notes.c.rank], groups)
    assert [tuple(r) for r in found["ids"]] == _alone(
        connection, ONE_COLUMN, [notes.c.id.desc()], groups
    )
    if groups == [1, 2]:
        first = found["things"][0]
        assert (first.id, first.colour, first.on, first.name) == (1, Colour.BLUE, None, "B")
        assert found["things"][2].colour is Colour.RED
        assert found["things"][1].on == date(9999, 12, 31)
        assert [n.text for n in found["notes"]] == ["y", "x"]  # by rank, the NULL text left out


def test_the_rows_are_as_wide_as_the_widest_part_of_each_type() -> None:
    bundle = Bundle({"things": (THINGS, ()), "notes": (NOTES, ())})
    # part; Integer ×2 (things), Enum, Date, DateTime, Shouted; String(50) (notes)
    assert len(bundle.statement.selected_columns) == 1 + 6 + 1
    ordered = Bundle({"things": (THINGS, ("id",)), "notes": (NOTES, ("-at", "rank"))})
    assert len(ordered.statement.selected_columns) == 1 + 6 + 1 + 3  # each order column's own


def test_a_part_is_named_by_an_identifier() -> None:
    with pytest.raises(ValueError, match="identifier"):
        Bundle({"two words": (THINGS, ())})
    with pytest.raises(ValueError, match="at least one"):
        Bundle({})


def test_a_distinct_part_stays_distinct(connection: sa.Connection) -> None:
    groups = sa.select(things.c.group_id).where(things.c.group_id.in_(GROUPS)).distinct()
    bundle = Bundle({"groups": (groups, ("group_id",)), "notes": (NOTES, ())})
    found = bundle.read(connection, {"groups": [1, 2, 3]})
    assert [g.group_id for g in found["groups"]] == [1, 2, 3]  # group 1 has two things


def test_no_later_part_s_column_lands_in_an_earlier_part_s_order_slot(
    connection: sa.Connection,
) -> None:
    """An order slot is its part's alone: a later part with more columns of its type than the
    earlier parts' own columns (here three integers, where `ids` has one and an order slot)
    takes new slots, or its rows would be ordered by one of its columns first."""
    three_integers = sa.select(notes.c.id, notes.c.group_id, notes.c.rank).where(
        notes.c.group_id.in_(GROUPS)
    )
    bundle = Bundle({"ids": (ONE_COLUMN, ("id",)), "notes": (three_integers, ("id",))})
    found = bundle.read(connection, {"groups": [1, 2]})
    assert [tuple(r) for r in found["notes"]] == _alone(
        connection, three_integers, [notes.c.id], [1, 2]
    )
    assert [n.id for n in found["notes"]] == [1, 2, 3]  # not by group (3 of group 1) first
