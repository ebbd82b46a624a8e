"""The PostgreSQL reader against a real server: URL forms, one snapshot, server-side cursors, hostile data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest

from devtools.postgres import PostgresServer
from importer.pipeline import open_reader, run
from importer.read_postgres import PostgresReader
from importer.records import ImportedUser
from importer.report import UserReport
from importer.source import PostgresSource, SourceError, parse_source
from tests.importer.checks import Outcome, assert_every_row_accounted_for, import_dry, refused_codes
from tests.importer.conftest import MakeDatabase
from tests.importer.fixture import (
    POSTGRESQL_SQL,
    Rows,
    appointment_row,
    client_row,
    service_row,
    story,
    user_row,
)

pytestmark = pytest.mark.integration


def dry_url(url: str) -> Outcome:
    reader = open_reader(parse_source(url))
    try:
        outcome = import_dry(reader)
        assert_every_row_accounted_for(outcome, reader.counts())
    finally:
        reader.close()
    return outcome


def refused(url: str, match: str) -> str:
    with pytest.raises(SourceError, match=match) as raised:
        source = parse_source(url)
        assert isinstance(source, PostgresSource)
        PostgresReader(source).close()
    assert "\n" not in str(raised.value)
    return str(raised.value)


def test_sqlite_and_its_postgresql_copy_give_the_same_records_and_report(
    sqlite_story: Path, pg_story: str
) -> None:
    from_pg, from_sqlite = dry_url(pg_story), dry_url(f"sqlite://{sqlite_story}")
    assert from_pg.users == from_sqlite.users
    assert [u.as_json() for u in from_pg.report.users] == [u.as_json() for u in from_sqlite.report.users]


@pytest.mark.parametrize(
    "suffix",
    ["", "?sslmode=disable", "?schema=public&connection_limit=1&pool_timeout=10", "?application_name=moving"],
)
def test_the_url_forms_of_the_old_apps_database_url_all_read(pg_story: str, suffix: str) -> None:
    for url in (pg_story + suffix, pg_story.replace("postgresql://", "postgres://", 1) + suffix):
        assert set(dry_url(url).users) == {"ck_ana", "ck_bob"}


def test_a_password_from_pgpassword_works_and_a_wrong_one_is_never_quoted(
    postgres: PostgresServer, pg_story: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PGPASSWORD", postgres.password)
    assert set(dry_url(postgres.url("story", password=False)).users) == {"ck_ana", "ck_bob"}
    monkeypatch.delenv("PGPASSWORD")
    wrong = "not-" + postgres.password
    message = refused(
        pg_story.replace(postgres.password, wrong), "Cannot connect to .*password authentication failed"
    )
    assert wrong not in message and postgres.password not in message and ":***@" in message


def test_a_server_or_database_that_is_not_there_is_one_sentence(postgres: PostgresServer) -> None:
    refused(postgres.url("no_such_database"), 'database "no_such_database" does not exist')
    refused(
        "postgresql://nobody@127.0.0.1:1/db?connect_timeout=2",
        "Cannot connect to postgresql://nobody@127.0.0.1:1/db",
    )


@pytest.mark.parametrize(
    ("cut", "match"),
    [
        ('"price" DOUBLE PRECISION NOT NULL,', "has no column price"),
        ('"slug" TEXT NOT NULL,', "has no column slug"),
    ],
)
def test_missing_tables_or_columns_are_named(pg_database: MakeDatabase, cut: str, match: str) -> None:
    schema = POSTGRESQL_SQL.read_text().replace(cut, "", 1)
    schema = "\n".join(line for line in schema.splitlines() if "slug_key" not in line)
    refused(pg_database({}, schema), match)


def test_an_empty_database_and_another_schema_are_told_apart(pg_database: MakeDatabase) -> None:
    refused(pg_database({}, "SELECT 1"), "has no table users in schema public")
    in_app = pg_database(story(), "CREATE SCHEMA app; SET search_path TO app;\n" + POSTGRESQL_SQL.read_text())
    assert set(dry_url(in_app + "?schema=app").users) == {"ck_ana", "ck_bob"}
    refused(in_app, "in schema public")


def test_values_postgresql_holds_but_no_booking_can_are_refused_row_by_row(pg_database: MakeDatabase) -> None:
    loose = POSTGRESQL_SQL.read_text().replace(" NOT NULL", "")
    rows: Rows = {
        "users": [user_row("u1", "Uma", "uma@example.com", "UTC", "EUR")],
        "services": [
            service_row("s1", "u1", "Cut", 30, 20.0, None),
            service_row("s2", "u1", "Cut", 30, float("nan"), None),
            service_row("s3", "u1", "Cut", 30, float("inf"), None),
            service_row("s4", "u1", "Cut", 2_147_483_645, 20.0, None),
            {**service_row("s5", "u1", "Cut", 30, 20.0, None), "name": None},
        ],
        "clients": [client_row("c1", "u1", "Al", "al@example.com", None)],
        "appointments": [
            appointment_row(f"a{i}", "u1", "c1", "s1", "2030-01-01", "10:00-10:30", "CONFIRMED")
            for i in range(4)
        ],
    }
    url = pg_database(rows, loose)
    with psycopg.connect(url) as conn:
        conn.execute("UPDATE appointments SET start_time = 'infinity' WHERE id = 'a1'")
        conn.execute("UPDATE appointments SET start_time = '20000-01-01 00:00' WHERE id = 'a2'")
        conn.execute("UPDATE appointments SET start_time = '0044-03-15 12:00 BC' WHERE id = 'a3'")
    outcome = dry_url(url)
    assert refused_codes(outcome, "u1") == {
        "s2": ["price_not_finite"],
        "s3": ["price_not_finite"],
        "s4": ["less_than_equal"],
        "s5": ["missing"],
        "a1": ["unreadable_time"],
        "a2": ["unreadable_time"],
        "a3": ["unreadable_time"],
    }
    assert [a.start.year for a in outcome.users["u1"].appointments] == [2030]


def test_tables_are_read_through_server_side_cursors_in_one_read_only_snapshot(
    pg_database: MakeDatabase,
) -> None:
    rows: Rows = {
        "users": [user_row(u, u, f"{u}@example.com", "UTC", "EUR") for u in ("u1", "u2")],
        "services": [service_row(f"s-{u}", u, "Cut", 30, 20.0, None) for u in ("u1", "u2")],
        "clients": [client_row(f"c-{u}", u, "Al", "al@example.com", None) for u in ("u1", "u2")],
        "appointments": [
            appointment_row(f"a-{u}-{i:04d}", u, f"c-{u}", f"s-{u}", "2030-01-01", "10:00-10:30", "CANCELLED")
            for u in ("u1", "u2")
            for i in range(1200)
        ],
    }
    url = pg_database(rows)
    source = parse_source(url)
    assert isinstance(source, PostgresSource)
    reader = PostgresReader(source)
    seen: list[Any] = []

    class Watch:
        def accept(self, user: ImportedUser, report: UserReport) -> None:
            conn = reader._conn  # the reader's own session: pg_cursors lists only a session's cursors
            cursors = conn.execute(
                "SELECT name FROM pg_cursors WHERE name LIKE 'import_%' ORDER BY name"
            ).fetchall()
            read_only = conn.execute("SHOW transaction_read_only").fetchone()
            seen.append(([c[0] for c in cursors], read_only, reader.fetched["appointments"]))
            with psycopg.connect(url, autocommit=True) as other:  # a write meanwhile: not in this snapshot
                other.execute("DELETE FROM appointments WHERE user_id = 'u2'")

    try:
        report = run(reader, Watch(), "dry-run")
    finally:
        reader.close()
    cursors, read_only, fetched = seen[0]
    assert "import_appointments" in cursors and "import_services" in cursors and read_only == ("on",)
    assert fetched < 2400  # the second user's rows were still on the server
    assert report.table_totals()["appointments"]["imported"] == 2400  # the snapshot held them
