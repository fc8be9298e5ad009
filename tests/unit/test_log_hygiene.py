"""Exploit 9: a database error carried its statement parameters (an identity number) into the log."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from portal import db


def test_database_errors_never_show_statement_parameters(app: Flask) -> None:
    pin = "194003129824"
    with app.app_context():
        session = db.session()
        with pytest.raises(sa.exc.SQLAlchemyError) as raised:
            session.execute(sa.text("SELECT * FROM no_such_table WHERE pin = :pin"), {"pin": pin})
        assert pin not in str(raised.value)
        assert "hidden due to hide_parameters" in str(raised.value)
