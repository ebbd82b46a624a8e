"""What an import read, changed, kept and refused, per old user, with the old table and row id.

Three decisions, each with its reasons:
- changed: imported with another value than the old row held (a default, a float price in cents).
- kept: imported as it was although this service would not accept it from a form today.
- refused: not imported; the row and why. Fix it in the old database and run again.
Values are shown only for fields that hold no personal data (durations, prices, zones, slugs...);
names, emails, phones and notes are named by field and row id only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

CHANGED, KEPT, REFUSED = "changed", "kept", "refused"
DECISIONS = {
    CHANGED: "imported with another value than the old row held; the reason says which and why",
    KEPT: "imported as it was, although a form here would not accept it today",
    REFUSED: "not imported; fix the row in the old database and run the import again",
}
MAX_SHOWN = 80


def shown(value: object) -> str:
    """A value for the report: text as it is, anything else by repr, cut to a readable length."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > MAX_SHOWN:
        return f"{text[:MAX_SHOWN]}... ({len(text)} characters)"
    return text


@dataclass(frozen=True)
class Reason:
    code: str
    message: str
    field: str | None = None
    value: str | None = None  # None for personal fields
    new_value: str | None = None

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "message": self.message}
        for key in ("field", "value", "new_value"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data


@dataclass(frozen=True)
class Entry:
    table: str
    old_id: str | None
    decision: str
    reasons: tuple[Reason, ...]

    def as_json(self) -> dict[str, Any]:
        return {"table": self.table, "old_id": self.old_id, "reasons": [r.as_json() for r in self.reasons]}


@dataclass(frozen=True)
class ConflictSide:
    old_id: str
    new_id: str
    start: str
    end: str
    status: str


WRITTEN, RESUMED, ALREADY = "written", "resumed", "already imported"
WRITE_STATES = {
    WRITTEN: "new here: every item written",
    RESUMED: "an earlier run stopped inside this user: what it left was compared, the rest written",
    ALREADY: "imported before: compared only, nothing written (the table's version is kept)",
}


@dataclass
class WriteOutcome:
    """What writing one user did to the table, counted by item type (provider, appointment,
    block, ...). ``differs`` and ``missing`` are only ever counted for a user imported before."""

    state: str
    written: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    deleted: Counter[str] = field(default_factory=Counter)  # left by a stopped run, no longer wanted
    differs: Counter[str] = field(default_factory=Counter)
    missing: Counter[str] = field(default_factory=Counter)

    def as_json(self) -> dict[str, Any]:
        counts = ("written", "unchanged", "deleted", "differs", "missing")
        return {"state": self.state} | {name: dict(sorted(getattr(self, name).items())) for name in counts}


@dataclass
class UserReport:
    """One old user: every row read for it is counted here as imported or refused."""

    old_id: str | None
    new_id: str | None = None
    refused_user: bool = False
    read: Counter[str] = field(default_factory=Counter)
    imported: Counter[str] = field(default_factory=Counter)
    entries: list[Entry] = field(default_factory=list)
    conflicts: list[list[ConflictSide]] = field(default_factory=list)  # groups of overlapping appointments
    write: WriteOutcome | None = None  # None in a dry run

    def accept(self, table: str, old_id: str | None, changed: list[Reason], kept: list[Reason]) -> None:
        self.read[table] += 1
        self.imported[table] += 1
        if changed:
            self.entries.append(Entry(table, old_id, CHANGED, tuple(changed)))
        if kept:
            self.entries.append(Entry(table, old_id, KEPT, tuple(kept)))

    def refuse(self, table: str, old_id: str | None, reasons: list[Reason]) -> None:
        self.read[table] += 1
        self.entries.append(Entry(table, old_id, REFUSED, tuple(reasons)))

    def unaccept(self, table: str, old_id: str | None, reasons: list[Reason]) -> None:
        """A row accepted, then refused when written (a slug someone here took meanwhile)."""
        self.imported[table] -= 1
        self.entries.append(Entry(table, old_id, REFUSED, tuple(reasons)))

    def keep(self, table: str, old_id: str | None, reasons: list[Reason]) -> None:
        """A row found as it is in the table, kept so (a provider imported before)."""
        self.entries.append(Entry(table, old_id, KEPT, tuple(reasons)))

    def change(self, table: str, old_id: str | None, reasons: list[Reason]) -> None:
        """A change found after the row was accepted (its category refused, say)."""
        self.entries.append(Entry(table, old_id, CHANGED, tuple(reasons)))

    def count(self, decision: str, table: str | None = None) -> int:
        return sum(1 for e in self.entries if e.decision == decision and table in (None, e.table))

    def as_json(self) -> dict[str, Any]:
        by = {d: [e.as_json() for e in self.entries if e.decision == d] for d in (REFUSED, CHANGED, KEPT)}
        return {
            "old_id": self.old_id,
            "new_id": self.new_id,
            "outcome": REFUSED if self.refused_user else "imported",
            "read": dict(sorted(self.read.items())),
            "imported": dict(sorted(self.imported.items())),
            **by,
            "conflicts": [{"appointments": [vars(side) for side in group]} for group in self.conflicts],
            **({} if self.write is None else {"write": self.write.as_json()}),
        }


@dataclass
class Report:
    source: str
    mode: str
    started_at: str
    finished_at: str = ""
    users: list[UserReport] = field(default_factory=list)
    unowned: UserReport = field(default_factory=lambda: UserReport(old_id=None))

    def all(self) -> list[UserReport]:
        return [*self.users, self.unowned]

    def table_totals(self) -> dict[str, dict[str, int]]:
        totals: dict[str, dict[str, int]] = {}
        for user in self.all():
            for table, n in user.read.items():
                row = totals.setdefault(table, {"read": 0, "imported": 0, "refused": 0})
                row["read"] += n
                row["imported"] += user.imported[table]
                row["refused"] += user.count(REFUSED, table)
        return dict(sorted(totals.items()))

    def totals(self) -> dict[str, Any]:
        users = len(self.users)
        refused_users = sum(1 for u in self.users if u.refused_user)
        return {
            "users": {"read": users, "imported": users - refused_users, "refused": refused_users},
            "tables": self.table_totals(),
            "changed": sum(u.count(CHANGED) for u in self.all()),
            "kept": sum(u.count(KEPT) for u in self.all()),
            "conflicts": sum(len(u.conflicts) for u in self.users),
            **self.write_totals(),
        }

    def write_totals(self) -> dict[str, Any]:
        """Items written, unchanged, deleted, differing and missing, of every user; users by state."""
        outcomes = [u.write for u in self.users if u.write is not None]
        if not outcomes:
            return {}
        items = {
            name: sum(sum(getattr(o, name).values()) for o in outcomes)
            for name in ("written", "unchanged", "deleted", "differs", "missing")
        }
        states = Counter(o.state for o in outcomes)
        return {"items": items, "write_states": dict(sorted(states.items()))}

    def as_json(self, not_read: dict[str, str], not_carried: dict[str, str]) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "mode": self.mode,
            "source": self.source,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "complete": bool(self.finished_at),  # false: the run stopped before its end
            "decisions": DECISIONS,
            **({"write_states": WRITE_STATES} if self.mode == "import" else {}),
            "not_read": not_read,
            "not_carried": not_carried,
            "totals": self.totals(),
            "users": [u.as_json() for u in self.users],
            "unowned": {
                "read": dict(sorted(self.unowned.read.items())),
                "refused": [e.as_json() for e in self.unowned.entries],
            },
        }
