"""What an import of the story (tests/importer/fixture.py) must give, whichever database holds it."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from chalicelib.domain.catalog import WeeklyInterval
from chalicelib.domain.ids import is_id
from importer.convert import Context
from importer.pipeline import DryRun, run
from importer.records import ImportedUser
from importer.report import REFUSED, Report, UserReport
from importer.rows import Reader, Row
from importer.schema import NOT_CARRIED, NOT_READ, TABLES, Table
from tests.importer.fixture import SECRETS, Rows, user_row


@dataclass
class Outcome:
    report: Report
    users: dict[str, ImportedUser]

    def json_text(self) -> str:
        return json.dumps(self.report.as_json(NOT_READ, NOT_CARRIED))


class Collect(DryRun):
    def __init__(self) -> None:
        super().__init__()
        self.records: dict[str, ImportedUser] = {}

    def accept(self, user: ImportedUser, report: UserReport) -> None:
        super().accept(user, report)
        self.records[user.old_id] = user


def import_dry(reader: Reader, taken: Iterable[str] = ()) -> Outcome:
    taken_slugs = frozenset(taken)
    sink = Collect()
    report = run(reader, sink, "dry-run", Context(slug_taken=lambda slug, _provider: slug in taken_slugs))
    return Outcome(report, sink.records)


class ListReader:
    """Rows held in lists, streamed in the order the real readers use (owner, then id, as text)."""

    display = "memory"

    def __init__(self, rows: Rows) -> None:
        self._rows = rows

    def counts(self) -> dict[str, int]:
        return {table.name: len(self._rows.get(table.name, [])) for table in TABLES}

    def rows(self, table: Table) -> Iterator[Row]:
        def order(row: Row) -> tuple[bool, str, str]:
            owner, rid = row.get(table.owner), row.get("id")
            return (isinstance(owner, str), owner if isinstance(owner, str) else "", str(rid))

        for row in sorted(self._rows.get(table.name, []), key=order):
            yield {column: row.get(column) for column in table.columns}

    def close(self) -> None:
        pass


def records_of(user: ImportedUser, table: str) -> int:
    counts = {
        "users": 1,
        "accounts": len(user.google_subjects),
        "scheduling_pages": int(user.page is not None),
        "service_categories": len(user.categories),
        "services": len(user.services),
        "availability": len(user.availability.weekly) if user.availability else 0,
        "clients": len(user.clients),
        "appointments": len(user.appointments),
    }
    return counts[table]


def assert_every_row_accounted_for(outcome: Outcome, counts: dict[str, int]) -> None:
    """Each table: rows in the database == rows in the records + rows refused in the report."""
    totals = outcome.report.table_totals()
    for table in TABLES:
        in_records = sum(records_of(user, table.name) for user in outcome.users.values())
        refused = sum(user.count(REFUSED, table.name) for user in outcome.report.all())
        assert counts[table.name] == in_records + refused, table.name
        assert totals.get(table.name, {"read": 0})["read"] == counts[table.name], table.name
        assert totals.get(table.name, {"imported": 0})["imported"] == in_records, table.name


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def refused_codes(outcome: Outcome, old_user: str) -> dict[str, list[str]]:
    user = next(u for u in outcome.report.users if u.old_id == old_user)
    return {e.old_id or "": [r.code for r in e.reasons] for e in user.entries if e.decision == REFUSED}


def assert_story(outcome: Outcome) -> None:
    ana, bob = outcome.users["ck_ana"], outcome.users["ck_bob"]
    assert set(outcome.users) == {"ck_ana", "ck_bob"}
    assert (ana.provider.timezone, ana.provider.slug, ana.provider.email) == (
        "Europe/Lisbon",
        "ana-studio",
        "ana@example.com",
    )
    assert ana.google_subjects == ("104593457227384756123",) and bob.google_subjects == ()
    services = {s.name: s for s in ana.services}
    assert set(services) == {"Consultation", "Massage", "Hot stones"}
    assert (services["Massage"].price, services["Massage"].currency) == (Decimal("19.99"), "EUR")
    assert services["Hot stones"].price == Decimal("30.60") and services["Hot stones"].category_id is None
    assert services["Consultation"].visible is False
    positions = {c.name: c.position for c in ana.categories}
    assert positions == {"Consultations": 0, "Massages": 1}
    assert services["Massage"].category_id == next(c.id for c in ana.categories if c.name == "Massages")
    assert ana.availability is not None and ana.availability.timezone == "Europe/Lisbon"
    assert ana.availability.weekly == [
        WeeklyInterval("mon", "09:00", "12:00"),
        WeeklyInterval("mon", "13:00", "17:00"),
        WeeklyInterval("wed", "09:00", "12:30"),
        WeeklyInterval("sun", "10:00", "14:00"),
    ]
    phones = {c.name: c.phone for c in ana.clients}
    assert phones == {"Joe Silva": "+351 912 345 678", "Mia Costa": "555.123.4567 ext 2"}
    _assert_appointments(outcome)
    _assert_bob_and_cy(outcome)
    every_id = [
        *(c.id for u in outcome.users.values() for c in u.categories),
        *(s.id for u in outcome.users.values() for s in u.services),
        *(c.id for u in outcome.users.values() for c in u.clients),
        *(a.id for u in outcome.users.values() for a in u.appointments),
    ]
    assert all(is_id(i) for i in [*every_id, ana.provider.id]) and len(set(every_id)) == len(every_id)
    text = outcome.json_text() + repr(outcome.users)
    assert not [secret for secret in SECRETS if secret in text]


def _assert_appointments(outcome: Outcome) -> None:
    ana = outcome.users["ck_ana"]
    by_old = {ana.origins[a.id].old_id: a for a in ana.appointments}
    statuses = {old: a.status for old, a in by_old.items()}
    assert statuses == {
        "ap_1": "confirmed",
        "ap_2": "confirmed",
        "ap_3": "cancelled",
        "ap_4": "completed",
        "ap_5": "no_show",
        "ap_6": "pending",
        "ap_9": "confirmed",
    }
    # Three writers' formats in SQLite (ap_1 epoch ms, ap_2 ISO Z, ap_3 plain): the same instants.
    assert (by_old["ap_1"].start, by_old["ap_1"].end) == (utc("2030-03-04 10:00"), utc("2030-03-04 11:00"))
    assert (by_old["ap_2"].start, by_old["ap_3"].start) == (utc("2030-03-04 10:30"), utc("2030-03-04 10:00"))
    assert by_old["ap_4"].start == utc("2024-05-06 09:00") and by_old["ap_4"].start.tzinfo is UTC
    massage = by_old["ap_1"]
    assert (massage.price, massage.currency, massage.service_name) == (Decimal("19.99"), "EUR", "Massage")
    assert (massage.provider_notes, massage.notes, massage.source) == ("bring the form", "", "import")
    groups = [[ana.origins[i].old_id for i in c.appointment_ids] for c in ana.conflicts]
    assert groups == [["ap_1", "ap_6", "ap_2"]]  # in start order; ap_3 overlaps too but is cancelled
    refused = refused_codes(outcome, "ck_ana")
    assert refused["ap_7"] == ["service_not_imported"] and refused["ap_8"] == ["client_not_imported"]
    assert refused["ap_10"] == ["client_not_imported"]
    assert refused["svc_quick"] == ["multiple_of"] and refused["svc_lux"] == ["price_too_high"]
    assert refused["cat_ana_long"] == ["string_too_long"] and refused["cl_long"] == ["string_too_long"]
    assert refused["cl_joe2"] == ["email_taken"] and refused["av_ana_5"] == ["hours_overlap"]


def _assert_bob_and_cy(outcome: Outcome) -> None:
    bob = outcome.users["ck_bob"]
    assert bob.provider.timezone == "UTC" and bob.availability is not None
    assert bob.availability.weekly == [WeeklyInterval("sat", "08:00", "12:00")]
    assert [s.currency for s in bob.services] == ["USD"]
    bob_report = next(u for u in outcome.report.users if u.old_id == "ck_bob")
    changed = [r.code for e in bob_report.entries if e.decision == "changed" for r in e.reasons]
    assert changed == ["timezone_defaulted", "currency_defaulted"]
    assert refused_codes(outcome, "ck_bob") == {"acc_bob": ["not_google"]}
    cy = next(u for u in outcome.report.users if u.old_id == "ck_cy")
    assert cy.refused_user and cy.new_id is None and sum(cy.imported.values()) == 0
    assert refused_codes(outcome, "ck_cy") == {
        "ck_cy": ["unknown_timezone"],
        **{old: ["parent_refused"] for old in ("acc_cy", "pg_cy", "svc_cy", "cl_cy", "ap_cy")},
    }


def one_user(**tables: list[dict[str, Any]]) -> Rows:
    """One user in Europe/Paris paying in EUR, and the rows given."""
    rows: Rows = {"users": [user_row("u1", "Uma", "uma@example.com", "Europe/Paris", "EUR")]}
    rows.update(tables)
    return rows


def dry(rows: Rows, taken: tuple[str, ...] = ()) -> Outcome:
    """A dry run of rows held in memory, every row accounted for."""
    reader = ListReader(rows)
    outcome = import_dry(reader, taken)
    assert_every_row_accounted_for(outcome, reader.counts())
    return outcome


def reasons(outcome: Outcome, decision: str, old_user: str = "u1") -> dict[str, list[str]]:
    """Old row id -> reason codes, for one decision of one user."""
    user = next(u for u in outcome.report.users if u.old_id == old_user)
    return {e.old_id or "": [r.code for r in e.reasons] for e in user.entries if e.decision == decision}
