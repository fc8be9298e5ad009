"""Fixtures every test builds on: database (SQLite, or PostgreSQL with --postgres), app, clients."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

os.environ["SIP_CONFIG"] = "test"

import pytest
import sqlalchemy as sa
from flask import Flask

from portal import create_app, migrate
from portal.db import make_engine
from portal.models import Account, Base
from tests.support.pages import PageClient


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--postgres", action="store_true", help="run on a throw-away PostgreSQL")


# The longest tests first (ADR 0099): make test hands them to the pytest-xdist workers one at a
# time (--maxschedchunk 1), so each takes the next when it is free and both end together on
# short tests. The order is fixed, as xdist needs every worker to collect the same one.
FIRST = (
    "tests/browser/test_every_page_layout.py",
    "tests/fuzz/",
    "tests/browser/",
    "tests/unit/services/test_outbox.py",
)


def _rank(item: pytest.Item) -> int:
    path = str(item.fspath).replace(os.sep, "/")
    return next((i for i, part in enumerate(FIRST) if part in path), len(FIRST))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
    items.sort(key=_rank)  # stable: within each part, the order collected


def _xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def pytest_sessionstart(session: pytest.Session) -> None:
    """The screenshots' folder is emptied once, before any worker writes to it."""
    import shutil

    output = session.config.getoption("--output", default=None)
    if output and not _xdist_worker(session.config):
        shutil.rmtree(output, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def delete_output_dir() -> None:
    """pytest-playwright's own empties it in each xdist worker, under the other's screenshots."""


@pytest.fixture(scope="session")
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.config.getoption("--postgres"):
        from tests.support.postgres import cluster

        with cluster() as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


@pytest.fixture(scope="session")
def migrated(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    engine.dispose()
    return database_url


def _empty_tables(engine: sa.Engine) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(sa.text(f"DELETE FROM {table}"))


@pytest.fixture
def app(migrated: str, tmp_path: os.PathLike[str]) -> Iterator[Flask]:
    app = create_app({"DATABASE_URL": migrated, "INSTANCE_DIR": tmp_path})
    yield app
    engine = app.extensions["sip_engine"]
    _empty_tables(engine)
    engine.dispose()


@pytest.fixture
def db(app: Flask) -> Iterator[sa.orm.Session]:
    from portal import db as portal_db

    with app.app_context():
        yield portal_db.session()


@pytest.fixture
def client(app: Flask) -> PageClient:
    return PageClient(app.test_client())


@dataclass
class Demo:
    """The demo world, with its accounts by first name (astrid, karin, eva, ...)."""

    accounts: dict[str, int]

    def account_id(self, name: str) -> int:
        return self.accounts[name]


@pytest.fixture
def demo(app: Flask) -> Demo:
    from portal import db as portal_db
    from portal.services import demo_data

    with app.app_context():
        session = portal_db.session()
        demo_data.load(session)
        accounts = session.scalars(sa.select(Account)).all()
        by_name = {a.name.split()[0].lower(): a.id for a in accounts}
    return Demo(by_name)


def sign_in(client: PageClient, demo: Demo, name: str) -> None:
    """Sign in through the demo sign-in form, as a newcomer would."""
    client.get_page("/sign-in")
    response = client.post_form("/sign-in/demo", {"account": str(demo.account_id(name))})
    assert response.status_code == 303, response.status_code


@pytest.fixture
def signed_in(client: PageClient, demo: Demo):
    def _sign_in(name: str) -> PageClient:
        sign_in(client, demo, name)
        return client

    return _sign_in
