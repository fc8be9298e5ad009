"""Running Alembic from code (no alembic.ini needed): upgrade, and the head's revision."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str, connection: sa.Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(engine: sa.Engine) -> None:
    with engine.begin() as connection:
        command.upgrade(alembic_config(str(engine.url), connection), "head")


def revision(engine: sa.Engine, message: str) -> None:
    """Autogenerate a migration from the models (development)."""
    with engine.begin() as connection:
        command.revision(
            alembic_config(str(engine.url), connection), message=message, autogenerate=True
        )
