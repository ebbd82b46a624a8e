"""Read, normalise, check and report, user by user, handing each user's records to a sink.

The sink is the seam for writing: ``DryRun`` takes the records and writes nothing; a writer that
stores them implements the same ``Sink`` and gets exactly the same records.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from chalicelib.services.shared import SystemClock
from importer.convert import Context, convert, refuse_user
from importer.convert.common import old_id
from importer.records import ImportedUser
from importer.report import Reason, Report, UserReport, shown
from importer.rows import Reader, Row, TableStream
from importer.schema import CHILDREN, USERS, Table
from importer.source import Source, SourceError, SqliteSource


class Sink(Protocol):
    def accept(self, user: ImportedUser, report: UserReport) -> None:
        """Store the user's records; what storing them decided goes into ``report``."""


class DryRun:
    """Takes every user's records and writes nothing."""

    def __init__(self) -> None:
        self.users: list[str] = []

    def accept(self, user: ImportedUser, report: UserReport) -> None:
        self.users.append(user.old_id)


def open_reader(source: Source) -> Reader:
    """The reader for the source; psycopg is imported only for a PostgreSQL source."""
    if isinstance(source, SqliteSource):
        from importer.read_sqlite import SqliteReader

        return SqliteReader(source)
    from importer.read_postgres import PostgresReader

    return PostgresReader(source)


Progress = Callable[[int], None]


def new_report(reader: Reader, mode: str) -> Report:
    return Report(source=reader.display, mode=mode, started_at=SystemClock().stamp())


def run(
    reader: Reader,
    sink: Sink,
    mode: str,
    context: Context | None = None,
    progress: Progress | None = None,
    report: Report | None = None,
) -> Report:
    """Every row of every table read: each user's into its records or its report, the rest as unowned.

    ``report`` (new_report) is filled as users go, so a caller still holds what was done when
    the run stops early."""
    context = context or Context()
    clock = SystemClock()
    report = report or new_report(reader, mode)

    def orphan(table: Table, row: Row) -> None:
        owner = row.get(table.owner)
        reason = Reason("no_such_user", "its user matches no users row", table.owner, shown(owner))
        report.unowned.refuse(table.name, old_id(row), [reason])

    streams = {table.name: TableStream(table, reader.rows(table), orphan) for table in CHILDREN}
    done = 0
    previous: str | None = None
    for row in reader.rows(USERS):
        user_report = _user(row, previous, streams, sink, context)
        previous = user_report.old_id or previous
        report.users.append(user_report)
        if progress is not None:
            now = _rows_read(report)
            progress(now - done)
            done = now
    for stream in streams.values():
        stream.drain()
    if progress is not None:
        progress(_rows_read(report) - done)
    report.finished_at = clock.stamp()
    return report


def _user(
    row: Row, previous: str | None, streams: dict[str, TableStream], sink: Sink, context: Context
) -> UserReport:
    key = old_id(row)
    if key is None:
        user_report = UserReport(old_id=None)
        refuse_user(None, user_report, "the users row has no readable id", "missing_id")
        return user_report
    if previous is not None and key < previous:
        raise SourceError(
            "The users do not come back in the order of their ids (text that is not UTF-8 in an id?)."
        )
    if key == previous:
        user_report = UserReport(old_id=key)
        refuse_user(
            key, user_report, "another users row has the same id; its rows went to the first", "duplicate_id"
        )
        return user_report
    user, user_report = convert(row, key, streams, context)
    if user is not None:
        sink.accept(user, user_report)
    return user_report


def _rows_read(report: Report) -> int:
    return sum(sum(user.read.values()) for user in report.all())
