"""What a person sees: a progress bar while rows are read, then a summary table (rich)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from importer.pipeline import Progress as Advance
from importer.report import CHANGED, KEPT, REFUSED, Report, UserReport, shown

MAX_USERS_SHOWN = 20


@contextmanager
def progress_bar(total: int, console: Console, label: str = "Reading rows") -> Iterator[Advance]:
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    # Drawn on a terminal only: a log or a pipe gets the summary, not the bar's redraws.
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("rows", total=total)

        def advance(rows: int) -> None:
            bar.advance(task, rows)

        yield advance


def summary(report: Report, path: Path, console: Console) -> None:
    title = "Import" if report.mode == "import" else "Dry run"
    tables = Table(title=escape(f"{title}: {report.source}"), title_justify="left")
    for heading in ("old table", "read", "imported", "refused"):
        tables.add_column(heading, justify="left" if heading == "old table" else "right")
    for name, row in report.table_totals().items():
        tables.add_row(name, str(row["read"]), str(row["imported"]), str(row["refused"]))
    console.print(tables)
    totals = report.totals()
    say = console.print
    say(
        f"{totals['users']['imported']} of {totals['users']['read']} users imported; "
        f"rows changed: {totals['changed']}, kept as they were: {totals['kept']}, "
        f"groups of overlapping appointments: {totals['conflicts']}.",
        markup=False,
    )
    items = totals.get("items")
    if items is not None:
        states = ", ".join(f"{n} {state}" for state, n in totals["write_states"].items())
        say(
            f"Items written: {items['written']}, already as they should be: {items['unchanged']}, "
            f"left by a stopped run and deleted: {items['deleted']}; users: {states or 'none'}.",
            markup=False,
        )
        if items["differs"] or items["missing"]:
            say(
                f"Users imported before were compared, not written: {items['differs']} items differ "
                f"here and {items['missing']} are missing (changed or removed here since; kept so).",
                markup=False,
            )
    noted = [u for u in report.users if u.entries or u.conflicts]
    if noted:
        console.print(_users(noted[:MAX_USERS_SHOWN]))
        if len(noted) > MAX_USERS_SHOWN:
            say(f"... and {len(noted) - MAX_USERS_SHOWN} more users with notes in the report.", markup=False)
    if report.unowned.entries:
        say(f"{len(report.unowned.entries)} rows belong to no user and were refused.", markup=False)
    say(f"Report: {path}", markup=False)


def printable(text: str) -> str:
    """Text from the old database, safe on a terminal: control characters shown as "?", cut short."""
    return escape("".join(ch if ch.isprintable() else "?" for ch in shown(text)))


def _users(users: list[UserReport]) -> Table:
    table = Table(title="Users with something to look at", title_justify="left")
    for heading in ("old user", "new id", "outcome", REFUSED, CHANGED, KEPT, "conflicts"):
        table.add_column(
            heading,
            justify="left" if heading in ("old user", "new id", "outcome") else "right",
            no_wrap=heading == "new id",
        )
    for user in users:
        table.add_row(
            printable(user.old_id or "(no id)"),
            user.new_id or "-",
            REFUSED if user.refused_user else "imported",
            str(user.count(REFUSED)),
            str(user.count(CHANGED)),
            str(user.count(KEPT)),
            str(len(user.conflicts)),
        )
    return table
