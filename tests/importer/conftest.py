"""The import's test session: one real PostgreSQL server for every test that needs it."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from devtools.dynamodb_local import free_port
from devtools.postgres import PostgresServer
from tests.importer.fixture import POSTGRESQL_SQL, Rows, insert_postgres, story, write_sqlite


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """Debian's PostgreSQL, initdb'd in a temp dir and started once per session (never a fake)."""
    server = PostgresServer(free_port(), password=secrets.token_urlsafe(16))
    server.start()
    try:
        yield server
    finally:
        server.stop()


MakeDatabase = Callable[..., str]


@pytest.fixture(scope="session")
def pg_database(postgres: PostgresServer) -> MakeDatabase:
    """A new database made by postgresql.sql (or ``schema``) holding ``rows``; returns its URL."""
    made: list[str] = []

    def make(rows: Rows, schema: str | None = None, name: str | None = None) -> str:
        database = name or f"old_{len(made)}_{secrets.token_hex(4)}"
        with psycopg.connect(postgres.url(), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{database}"')
        made.append(database)
        with psycopg.connect(postgres.url(database)) as conn:
            conn.execute(POSTGRESQL_SQL.read_text() if schema is None else schema)
            insert_postgres(conn, rows)
        return postgres.url(database)

    return make


@pytest.fixture(scope="session")
def pg_story(pg_database: MakeDatabase) -> str:
    return pg_database(story(), name="story")


@pytest.fixture
def sqlite_story(tmp_path: Path) -> Path:
    return write_sqlite(tmp_path / "dev.db", story())
