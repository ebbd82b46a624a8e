"""The SQLite reader on real files: read-only, streamed in batches, hostile files refused in one sentence."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from importer.pipeline import open_reader, run
from importer.read_sqlite import SqliteReader
from importer.records import ImportedUser
from importer.report import UserReport
from importer.rows import BATCH
from importer.source import SourceError, SqliteSource, parse_source
from tests.importer.checks import Outcome, assert_every_row_accounted_for, import_dry, refused_codes
from tests.importer.fixture import (
    SQLITE_SQL,
    Rows,
    appointment_row,
    client_row,
    service_row,
    story,
    user_row,
    write_sqlite,
)

pytestmark = pytest.mark.integration


def dry_file(path: Path) -> Outcome:
    reader = open_reader(parse_source(f"sqlite:{path}"))
    try:
        outcome = import_dry(reader)
        assert_every_row_accounted_for(outcome, reader.counts())
    finally:
        reader.close()
    return outcome


def refused(path: Path, match: str) -> str:
    with pytest.raises(SourceError, match=match) as raised:
        SqliteReader(SqliteSource(path)).close()
    message = str(raised.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def test_the_file_is_only_read_never_changed_nor_created(sqlite_story: Path, tmp_path: Path) -> None:
    before = hashlib.sha256(sqlite_story.read_bytes()).hexdigest()
    dry_file(sqlite_story)
    assert hashlib.sha256(sqlite_story.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dev.db"]  # no journal left behind
    refused(tmp_path / "missing.db", "There is no SQLite file at")
    assert not (tmp_path / "missing.db").exists()


def test_a_relative_path_is_read_from_the_current_directory_and_says_so(
    sqlite_story: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(sqlite_story.parent)
    assert dry_file(Path("dev.db")).users.keys() == {"ck_ana", "ck_bob"}
    reader = open_reader(parse_source("file:./dev.db"))
    reader.close()
    assert "schema.prisma" in refused(Path("prisma/dev.db"), "current directory")


def test_a_file_that_is_no_database_or_not_the_old_apps_is_one_sentence(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(bytes(range(256)) * 40)
    refused(garbage, "is not a SQLite database the import can read")
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    refused(empty, "has no table users")
    refused(tmp_path, "There is no SQLite file")


@pytest.mark.parametrize(
    ("cut", "match"),
    [
        ('CREATE TABLE "clients"', "has no table clients"),
        ('"price" REAL NOT NULL,', "has no column price"),
        ('"end_time" TEXT NOT NULL,', "has no column end_time"),
    ],
)
def test_missing_tables_or_columns_are_named(tmp_path: Path, cut: str, match: str) -> None:
    schema = SQLITE_SQL.read_text()
    if cut.startswith("CREATE TABLE"):
        start = schema.index(cut)
        schema = schema[:start] + schema[schema.index(");", start) + 2 :]
        schema = "\n".join(
            line for line in schema.splitlines() if '"clients"' not in line or "INDEX" not in line
        )
        schema = schema.replace('REFERENCES "clients" ("id")', 'REFERENCES "users" ("id")')
    else:
        schema = schema.replace(cut, "", 1)
    refused(write_sqlite(tmp_path / "old.db", {}, schema), match)


def test_a_view_in_place_of_a_table_is_refused(tmp_path: Path) -> None:
    schema = SQLITE_SQL.read_text().replace('CREATE TABLE "availability"', 'CREATE TABLE "availability_rows"')
    schema = schema.split("-- CreateIndex", 1)[0]
    schema += '\nCREATE VIEW "availability" AS SELECT * FROM "availability_rows";\n'
    refused(write_sqlite(tmp_path / "old.db", {}, schema), "availability .* is a view")


def test_a_damaged_file_stops_with_one_sentence(tmp_path: Path) -> None:
    rows = story()
    rows["appointments"] = [
        appointment_row(
            f"ap_{i:05d}", "ck_ana", "cl_joe", "svc_massage", "2030-03-04", "10:00-11:00", "PENDING"
        )
        for i in range(3000)
    ]
    path = write_sqlite(tmp_path / "dev.db", rows)
    data = bytearray(path.read_bytes())
    page = 4096
    data[page * 6 : page * 40] = b"\xff" * (page * 34)  # overwrite table pages past the schema
    path.write_bytes(bytes(data))
    with pytest.raises(SourceError, match=r"could not be read|is not a SQLite database") as raised:
        dry_file(path)
    assert "\n" not in str(raised.value)


def test_ids_stored_as_integers_and_text_that_is_not_utf8_are_read_as_what_they_are(tmp_path: Path) -> None:
    path = write_sqlite(tmp_path / "dev.db", {})
    conn = sqlite3.connect(path)
    stamp = 1736847000000
    users = "INSERT INTO users (id, name, timezone, currency, created_at, updated_at) VALUES"
    conn.execute(f"{users} (7, 'Seven', 'UTC', 'EUR', ?, ?)", (stamp, stamp))  # an INTEGER id
    conn.execute(f"{users} (CAST(x'ff00fe' AS TEXT), 'Bad', 'UTC', 'EUR', ?, ?)", (stamp, stamp))
    services = "INSERT INTO services (id, name, duration, price, is_visible, user_id, created_at, updated_at)"
    conn.execute(
        f"{services} VALUES (1, CAST(x'c3' AS TEXT), 30, 10, 1, 7, ?, ?), "
        "(2, 'Fine', '30', '12.5', 'true', 7, ?, ?)",
        (stamp, stamp, stamp, stamp),
    )
    conn.commit()
    conn.close()
    outcome = dry_file(path)
    assert [s.name for s in outcome.users["7"].services] == ["Fine"]
    assert str(outcome.users["7"].services[0].price) == "12.50"
    assert refused_codes(outcome, "7") == {"1": ["unreadable_text"]}
    assert [u.refused_user for u in outcome.report.users] == [False, True]  # the undecodable id is nobody


def test_nulls_and_absurd_values_are_refused_row_by_row_without_stopping(tmp_path: Path) -> None:
    loose = SQLITE_SQL.read_text().replace(" NOT NULL", "")  # a hand-made copy without constraints
    huge = "h" * 1_000_000
    rows: Rows = {
        "users": [
            user_row("u1", "Uma", "uma@example.com", "UTC", "EUR"),
            {**user_row("u2", huge, "u2@example.com", "UTC", None), "email": None},
        ],
        "services": [
            service_row("s1", "u1", "Cut", 30, 20.0, None),
            {**service_row("s2", "u1", "Cut", 30, 20.0, None), "price": None},
            {**service_row("s3", "u1", None, 30, 20.0, None)},  # type: ignore[arg-type]
            {**service_row("s4", "u1", "Cut", 10**15, 1e308, None)},
            {**service_row("s5", "u1", huge, 30, 20.0, None)},
        ],
        "clients": [
            client_row("c1", "u1", "Al", "al@example.com", None),
            {**client_row("c2", "u1", "Bo", "bo@example.com", None), "email": None},
            {**client_row("c3", "u1", "Cy", "cy@example.com", huge), "notes": huge},
        ],
        "appointments": [
            {
                **appointment_row("a1", "u1", "c1", "s1", "2030-01-01", "10:00-10:30", "CONFIRMED"),
                "start_time": None,
            },
            {
                **appointment_row("a2", "u1", "c1", "s1", "2030-01-01", "10:00-10:30", "CONFIRMED"),
                "status": None,
            },
            {
                **appointment_row("a3", "u1", "c1", "s1", "2030-01-01", "10:00-10:30", "CONFIRMED"),
                "start_time": 10**18,
            },
            {
                **appointment_row("a4", "u1", "c1", "s1", "2030-01-01", "10:00-10:30", "CONFIRMED"),
                "end_time": -(10**17),
            },
            {**appointment_row("a5", "u1", None, None, "2030-01-01", "10:00-10:30", "CONFIRMED")},  # type: ignore[arg-type]
            appointment_row("a6", "u1", "c1", "s1", "2030-01-01", "10:00-10:30", "CONFIRMED"),
        ],
    }
    outcome = dry_file(write_sqlite(tmp_path / "loose.db", rows, loose))
    assert [a.status for a in outcome.users["u1"].appointments] == ["confirmed"]
    assert refused_codes(outcome, "u1") == {
        "s2": ["missing"],
        "s3": ["missing"],
        "s4": ["price_too_high"],
        "s5": ["string_too_long", "string_too_long"],
        "c2": ["missing"],
        "c3": ["string_too_long", "string_too_long"],
        "a1": ["missing"],
        "a2": ["missing"],
        "a3": ["unreadable_time"],
        "a4": ["unreadable_time"],
        "a5": ["service_not_imported", "client_not_imported"],
    }
    assert refused_codes(outcome, "u2") == {"u2": ["string_too_long"]}
    assert len(outcome.json_text()) < 20_000  # a megabyte of text is named, never copied


def test_rows_are_streamed_so_one_users_appointments_are_converted_before_the_next_are_read(
    tmp_path: Path,
) -> None:
    per_user, users = 1500, ("u1", "u2", "u3")
    rows: Rows = {
        "users": [user_row(u, u, f"{u}@example.com", "UTC", "EUR") for u in users],
        "services": [service_row(f"s-{u}", u, "Cut", 30, 20.0, None) for u in users],
        "clients": [client_row(f"c-{u}", u, "Al", "al@example.com", None) for u in users],
        "appointments": [
            appointment_row(f"a-{u}-{i:05d}", u, f"c-{u}", f"s-{u}", "2030-01-01", "10:00-10:30", "CONFIRMED")
            for u in users
            for i in range(per_user)
        ],
    }
    reader = SqliteReader(SqliteSource(write_sqlite(tmp_path / "big.db", rows)))
    seen: list[int] = []

    class Watch:
        def accept(self, user: ImportedUser, report: UserReport) -> None:
            seen.append(reader.fetched["appointments"])

    try:
        report = run(reader, Watch(), "dry-run")
    finally:
        reader.close()
    assert report.table_totals()["appointments"]["imported"] == per_user * len(users)
    # When user k's records are handed over, one batch of the next user's rows has been fetched, no more.
    assert per_user % BATCH == 0
    assert seen == [min((k + 1) * per_user + BATCH, per_user * len(users)) for k in range(len(users))]
