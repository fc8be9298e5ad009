"""The largest id a form or a URL accepts is the id columns' own range (portal.rules.row_ids):
every id and every column that holds one is INTEGER, 32 bits on PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa

from portal.models import Base
from portal.rules.row_ids import MAX_ID, names_a_row


def test_every_id_column_is_an_integer_of_the_range_max_id_states() -> None:
    ids = {
        f"{table.name}.{column.name}": column.type
        for table in Base.metadata.tables.values()
        for column in table.columns
        if (column.primary_key or column.foreign_keys) and isinstance(column.type, sa.Integer)
    }
    assert len(ids) > 30
    wider = [name for name, kind in ids.items() if isinstance(kind, sa.BigInteger)]
    assert wider == [], "a BIGINT id: raise MAX_ID only when every id column is one"
    assert MAX_ID == 2**31 - 1
    assert names_a_row(MAX_ID) and not names_a_row(MAX_ID + 1) and not names_a_row(0)
