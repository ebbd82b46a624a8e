"""Read the old app's PostgreSQL database with psycopg 3, in one read-only snapshot.

Each table is read through a server-side cursor in batches, so the server holds the result and
this process holds one batch; all cursors live in one REPEATABLE READ, READ ONLY transaction, so
the counts and every table agree. Messages never quote the URL's password (``PostgresSource.scrub``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
from psycopg import sql
from psycopg.abc import Buffer
from psycopg.conninfo import conninfo_to_dict
from psycopg.types.datetime import TimestampLoader

from importer.rows import BATCH, Row
from importer.schema import TABLES, Table
from importer.source import PostgresSource, SourceError

CONNECT_TIMEOUT_SECONDS = 10
APPLICATION_NAME = "scheduler-import"


class _Timestamp(TimestampLoader):
    """A timestamp Python cannot hold ('infinity', a year past 9999) comes back as its text, unread."""

    def load(self, data: Buffer) -> Any:
        try:
            return super().load(data)
        except psycopg.DataError:
            return bytes(data).decode("utf-8", "replace")


class PostgresReader:
    def __init__(self, source: PostgresSource) -> None:
        self.display = source.display
        self.fetched: dict[str, int] = {}
        self._source = source
        given = conninfo_to_dict(source.url)
        extra: dict[str, Any] = {}
        if "connect_timeout" not in given:
            extra["connect_timeout"] = CONNECT_TIMEOUT_SECONDS
        if "application_name" not in given:
            extra["application_name"] = APPLICATION_NAME
        try:
            self._conn = psycopg.connect(source.url, **extra)
        except psycopg.Error as error:
            raise SourceError(f"Cannot connect to {source.display}: {self._reason(error)}.") from None
        self._conn.adapters.register_loader("timestamp", _Timestamp)
        self._conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        self._conn.read_only = True
        try:
            self._check_tables()
        except (psycopg.Error, SourceError) as error:
            self._conn.close()
            if isinstance(error, SourceError):
                raise
            raise SourceError(f"{source.display} could not be read: {self._reason(error)}.") from None

    def _reason(self, error: psycopg.Error) -> str:
        lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()]
        return self._source.scrub(lines[-1] if lines else type(error).__name__).rstrip(".")

    def _check_tables(self) -> None:
        schema = self._source.schema
        query = (
            "SELECT c.table_name, c.column_name, t.table_type FROM information_schema.columns c "
            "JOIN information_schema.tables t USING (table_schema, table_name) WHERE c.table_schema = %s"
        )
        found: dict[str, set[str]] = {}
        kinds: dict[str, str] = {}
        for name, column, kind in self._conn.execute(query, (schema,)).fetchall():
            found.setdefault(str(name).lower(), set()).add(str(column).lower())
            kinds[str(name).lower()] = str(kind)
        for table in TABLES:
            if table.name not in found:
                raise SourceError(
                    f"{self.display} has no table {table.name} in schema {schema} that this user may read, "
                    "so it is not a database of the old app (or its migrations never ran there)."
                )
            if kinds[table.name] != "BASE TABLE":
                raise SourceError(f"{table.name} in {self.display} is not a table but a {kinds[table.name]}.")
            missing = [c for c in table.columns if c not in found[table.name]]
            if missing:
                raise SourceError(
                    f"Table {table.name} in {self.display} has no column {', '.join(missing)}, "
                    "so it is not the old app's schema."
                )

    def _table(self, table: Table) -> sql.Composed:
        return sql.SQL("{}.{}").format(sql.Identifier(self._source.schema), sql.Identifier(table.name))

    def counts(self) -> dict[str, int]:
        counts = {}
        try:
            for table in TABLES:
                row = self._conn.execute(
                    sql.SQL("SELECT count(*) FROM {}").format(self._table(table))
                ).fetchone()
                counts[table.name] = int(row[0]) if row else 0
        except psycopg.Error as error:
            raise SourceError(f"{self.display} could not be read: {self._reason(error)}.") from None
        return counts

    def rows(self, table: Table) -> Iterator[Row]:
        ids = [sql.SQL("{}::text AS {}").format(sql.Identifier(c), sql.Identifier(c)) for c in table.ids]
        values = [sql.Identifier(c) for c in table.values]
        query = sql.SQL(
            'SELECT {} FROM {} ORDER BY {}::text COLLATE "C" NULLS FIRST, {}::text COLLATE "C"'
        ).format(
            sql.SQL(", ").join([*ids, *values]),
            self._table(table),
            sql.Identifier(table.owner),
            sql.Identifier("id"),
        )
        names = table.columns
        self.fetched[table.name] = 0
        try:
            with self._conn.cursor(name=f"import_{table.name}") as cursor:
                cursor.execute(query)
                while batch := cursor.fetchmany(BATCH):
                    self.fetched[table.name] += len(batch)
                    for record in batch:
                        yield dict(zip(names, record, strict=True))
        except psycopg.Error as error:
            raise SourceError(
                f"{self.display} could not be read past a row of {table.name}: {self._reason(error)}."
            ) from None

    def close(self) -> None:
        self._conn.close()
