"""Read the old app's SQLite file (prisma/dev.db) with the standard library, read-only.

The file is untrusted: it is opened read-only (it is never created or changed), views and triggers
may not call functions (``trusted_schema = OFF``), every table read must be a real table with the
columns the import reads, and text that is not UTF-8 is read as ``Undecodable`` instead of failing.
Counts and every stream are read in one transaction, so they agree.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

from importer.rows import BATCH, Row
from importer.schema import TABLES, Table
from importer.source import SourceError, SqliteSource
from importer.values import Undecodable


def _text(raw: bytes) -> str | Undecodable:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return Undecodable(len(raw))


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# Every name in a query comes from importer.schema (never from the file), quoted all the same.


class SqliteReader:
    def __init__(self, source: SqliteSource) -> None:
        self.display = source.display
        self.fetched: dict[str, int] = {}
        path = source.path.expanduser()
        self._path = path
        if not path.is_file():
            raise SourceError(_missing(path))
        try:
            self._conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        except sqlite3.Error as error:
            raise SourceError(f"{path} cannot be opened as a SQLite database ({error}).") from None
        self._conn.text_factory = _text
        try:
            self._conn.execute("PRAGMA trusted_schema = OFF")
            self._conn.execute("PRAGMA query_only = ON")
            self._conn.execute("BEGIN")
            self._check_tables()
        except sqlite3.DatabaseError as error:
            self._conn.close()
            raise SourceError(f"{path} is not a SQLite database the import can read ({error}).") from None
        except SourceError:
            self._conn.close()
            raise

    def _check_tables(self) -> None:
        kinds = dict(self._conn.execute("SELECT lower(name), type FROM sqlite_master").fetchall())
        for table in TABLES:
            kind = kinds.get(table.name)
            if kind is None:
                raise SourceError(
                    f"{self._path} has no table {table.name}, so it is not a database of the old app "
                    "(or its migrations were never run)."
                )
            if kind != "table":
                raise SourceError(f"{table.name} in {self._path} is a {kind}, not a table of the old app.")
            info = self._conn.execute(f"PRAGMA table_info({_quoted(table.name)})").fetchall()
            present = {str(column[1]).lower() for column in info}
            missing = [c for c in table.columns if c not in present]
            if missing:
                raise SourceError(
                    f"Table {table.name} in {self._path} has no column {', '.join(missing)}, "
                    "so it is not the old app's schema."
                )

    def counts(self) -> dict[str, int]:
        try:
            return {
                t.name: int(self._conn.execute(f"SELECT count(*) FROM {_quoted(t.name)}").fetchone()[0])  # noqa: S608
                for t in TABLES
            }
        except sqlite3.DatabaseError as error:
            raise SourceError(f"{self._path} could not be read ({error}).") from None

    def rows(self, table: Table) -> Iterator[Row]:
        columns = [f"CAST({_quoted(c)} AS TEXT) AS {_quoted(c)}" for c in table.ids]
        columns += [_quoted(c) for c in table.values]
        query = (
            f"SELECT {', '.join(columns)} FROM {_quoted(table.name)} "  # noqa: S608 - names from schema.py
            f'ORDER BY CAST({_quoted(table.owner)} AS TEXT) NULLS FIRST, CAST("id" AS TEXT)'
        )
        names = table.columns
        self.fetched[table.name] = 0
        try:
            cursor = self._conn.execute(query)
            while batch := cursor.fetchmany(BATCH):
                self.fetched[table.name] += len(batch)
                for values in batch:
                    yield dict(zip(names, values, strict=True))
        except sqlite3.DatabaseError as error:
            raise SourceError(
                f"{self._path} could not be read past a row of {table.name} ({error})."
            ) from None

    def close(self) -> None:
        self._conn.close()


def _missing(path: Path) -> str:
    where = path if path.is_absolute() else Path.cwd() / path
    if path.is_absolute():
        return f"There is no SQLite file at {where}."
    return (
        f"There is no SQLite file at {where} (a relative path is read from the current directory; "
        "Prisma reads file: paths from the folder of schema.prisma, usually prisma/)."
    )
