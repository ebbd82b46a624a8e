"""Rows as the readers stream them, and their grouping by old user without holding a table in memory.

Each reader streams every table ordered by its owner column (the user id, as text, in code-point
order) in batches. Walking the users in the same order, each user's rows are taken from the head
of each stream as the user is converted, so at any time one user's rows are in hand, and the rows
of one big table (appointments) are converted one by one as they arrive.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Protocol

from importer.schema import Table
from importer.source import SourceError

Row = Mapping[str, object]
BATCH = 500  # rows per fetch: bounded memory whatever the table's size


class Reader(Protocol):
    display: str

    def counts(self) -> dict[str, int]:
        """Rows per table (the progress bar's total), read in the same snapshot as the rows."""
        ...

    def rows(self, table: Table) -> Iterator[Row]:
        """The table's rows ordered by (owner, id) as text, NULL owners first; ids read as text."""
        ...

    def close(self) -> None: ...


Orphan = Callable[[Table, Row], None]


class TableStream:
    """One table's rows, taken user by user; rows whose user is not among the users are orphans."""

    def __init__(self, table: Table, rows: Iterator[Row], orphan: Orphan) -> None:
        self.table = table
        self._rows = rows
        self._orphan = orphan
        self._head: Row | None = None
        self._last: str | None = None
        self._done = False

    def _peek(self) -> Row | None:
        while self._head is None and not self._done:
            row = next(self._rows, None)
            if row is None:
                self._done = True
                break
            key = row.get(self.table.owner)
            if not isinstance(key, str):
                self._orphan(self.table, row)  # no readable user id: it belongs to nobody
                continue
            if self._last is not None and key < self._last:
                raise SourceError(
                    f"The rows of {self.table.name} do not come back in the order of their user ids "
                    "(text that is not UTF-8 in a user id?), so they cannot be grouped by user."
                )
            self._last = key
            self._head = row
        return self._head

    def take(self, key: str) -> Iterator[Row]:
        """The rows of user ``key``; rows of user ids before it (no such user) are orphans."""
        while (row := self._peek()) is not None:
            owner = row[self.table.owner]
            assert isinstance(owner, str)
            if owner > key:
                return
            self._head = None
            if owner < key:
                self._orphan(self.table, row)
            else:
                yield row

    def drain(self) -> None:
        """Whatever is left after the last user belongs to no user."""
        while (row := self._peek()) is not None:
            self._head = None
            self._orphan(self.table, row)
