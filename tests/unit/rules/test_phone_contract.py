"""A phone number has one contract (portal.rules.phone): the form field's bound is the
length of every column that stores a phone number, and only ASCII digits count."""

from __future__ import annotations

import sqlalchemy as sa

from portal.models import Base
from portal.rules.phone import PHONE_MAX, ascii_digits
from portal.web.fields import PhoneField


def test_every_phone_column_is_as_long_as_the_field_contract() -> None:
    phones = {
        f"{table.name}.{column.name}": column.type.length
        for table in Base.metadata.tables.values()
        for column in table.columns
        if column.name == "phone"
    }
    assert phones, "no phone column found"
    assert all(isinstance(length, int) for length in phones.values())
    assert phones == dict.fromkeys(phones, PHONE_MAX)
    assert PhoneField.__doc__ and "PHONE_MAX" in PhoneField.__doc__


def test_only_ascii_digits_count() -> None:
    assert ascii_digits("070-123 45 67") == 10
    for not_ascii in ("²³", "０７０", "٠٧٠", "𝟎𝟕"):
        assert ascii_digits(not_ascii) == 0
    assert sa.String(PHONE_MAX).length == 20
