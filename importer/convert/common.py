"""What every converter needs: reading a row's columns into values or reasons, and the run's context."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from importer import values
from importer.ids import DEFAULT_NAMESPACE, derive_id
from importer.report import Reason, UserReport
from importer.rows import Row
from importer.rules import value_of

Conversion = Callable[[object], Any]


def nobody_has(slug: str, provider_id: str) -> bool:
    return False


@dataclass
class Context:
    """What one run shares across users: id namespace, slugs and Google subjects already given out."""

    namespace: str = DEFAULT_NAMESPACE
    # Whether a slug is another provider's than (slug, provider id) in the target table (the writer knows).
    slug_taken: Callable[[str, str], bool] = nobody_has
    slugs: dict[str, str] = field(default_factory=dict)  # slug -> old user id, in this run
    subjects: dict[str, str] = field(default_factory=dict)  # Google subject -> old user id, in this run

    def new_id(self, table: str, old_id: str, created: datetime | None) -> str:
        return derive_id(table, old_id, created, self.namespace)


MAX_OLD_ID = 200  # Prisma's cuids are 25 characters; a longer id is not one the old app made


def old_id(row: Row) -> str | None:
    value = row.get("id")
    return value if isinstance(value, str) and 0 < len(value) <= MAX_OLD_ID else None


def read(row: Row, table: str, conversions: Mapping[str, Conversion]) -> tuple[dict[str, Any], list[Reason]]:
    """Each column through its conversion; a column that cannot be read becomes a reason instead."""
    read_values: dict[str, Any] = {}
    problems: list[Reason] = []
    for column, convert in conversions.items():
        raw = row.get(column)
        try:
            read_values[column] = convert(raw)
        except values.Unreadable as error:
            problems.append(Reason(error.code, error.message, column, value_of(f"{table}.{column}", raw)))
    return read_values, problems


def stamps(row: Row, table: str, columns: tuple[str, ...]) -> tuple[dict[str, datetime | None], list[Reason]]:
    """created_at / updated_at: metadata, so an unreadable one is left for the writer to stamp, and said."""
    found: dict[str, datetime | None] = {}
    changed: list[Reason] = []
    for column in columns:
        raw = row.get(column)
        try:
            found[column] = values.instant(raw)
        except values.Unreadable as error:
            found[column] = None
            message = f"{error.message}; left empty, so the import's own time is used"
            changed.append(Reason("stamp_unreadable", message, column, value_of(f"{table}.{column}", raw)))
    return found, changed


def refuse_missing_id(report: UserReport, table: str) -> None:
    message = f"the row has no readable id (none, or longer than {MAX_OLD_ID} characters)"
    report.refuse(table, None, [Reason("missing_id", message, "id")])


def cascade(report: UserReport, table: str, rows: Any, message: str) -> None:
    """Refuse every row of ``rows`` for one reason (its user, service or client was refused)."""
    for row in rows:
        report.refuse(table, old_id(row), [Reason("parent_refused", message)])
