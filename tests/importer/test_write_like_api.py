"""An imported future appointment leaves the same derived items as the same appointment booked
through the API: busy time (blocks, day summaries), day counts, the booking reference and the
manage link; the appointment itself carries the same flags (time blocks, counted day).

Two old users alike but for their ids: one's appointment is imported, the other's is booked
through the API at the same time, with the same service and client. Every item of each is then
compared with the ids (provider, appointment) named alike and the stamps of when it was written
left out.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chalicelib.adapters.dynamo import keys
from chalicelib.domain.booking.appointments import iso_z
from importer.pipeline import open_reader
from importer.records import ImportedUser
from importer.source import parse_source
from tests.importer.checks import Outcome
from tests.importer.fixture import (
    Rows,
    appointment_row,
    client_row,
    hours_row,
    page_row,
    service_row,
    user_row,
    write_sqlite,
)
from tests.importer.writing import TableApi, lisbon, next_weekday, scan, table_api, write_import

pytestmark = pytest.mark.integration

# Written at different moments, or secrets made afresh by each write: not part of the comparison.
VOLATILE = frozenset(
    {"created_at", "updated_at", "imported_at", "token_hash", "sealed_token", "expires_at", "revision"}
)
# The words of the old row (its notes are the provider's), and where the appointment came from.
WORDS = frozenset({"notes", "provider_notes", "source"})


def rows(start: Any, end: Any) -> Rows:
    found: Rows = {
        "users": [],
        "accounts": [],
        "sessions": [],
        "verification_tokens": [],
        "scheduling_pages": [],
        "service_categories": [],
        "services": [],
        "availability": [],
        "clients": [],
        "appointments": [],
    }
    for uid in ("ck_imported", "ck_booked"):
        found["users"].append(user_row(uid, "Ana Lima", f"{uid}@example.com", "Europe/Lisbon", "EUR"))
        found["scheduling_pages"].append(page_row(f"pg_{uid}", uid, uid.replace("_", "-")))
        found["services"].append(service_row(f"svc_{uid}", uid, "Massage", 60, 40.0, None))
        found["availability"].append(hours_row(f"av_{uid}", uid, 1, "09:00", "17:00"))
        found["clients"].append(client_row(f"cl_{uid}", uid, "Joe Silva", "joe@example.com", None))
    row = appointment_row(
        "ap_1", "ck_imported", "cl_ck_imported", "svc_ck_imported", "2030-01-01", "00:00-01:00", "CONFIRMED"
    )
    row.update(start_time=start, end_time=end)
    found["appointments"].append(row)
    return found


@pytest.fixture
def api(local_env: dict[str, str], fresh_table: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TableApi]:
    with table_api(local_env, fresh_table, monkeypatch) as table:
        yield table


def derived(items: list[dict[str, Any]], names: dict[str, str], appointment_id: str) -> dict[str, Any]:
    """The provider's items but its catalog and clients, and its appointment's booking items,
    with the ids of ``names`` named alike and without what VOLATILE and WORDS name."""
    provider_id = next(i for i, name in names.items() if name == "<provider>")
    mine = {keys.provider_pk(provider_id), keys.booking_pk(appointment_id)}
    found: dict[str, Any] = {}
    for item in items:
        if item["PK"]["S"] not in mine or item["type"]["S"] in CATALOG:
            continue
        text = json.dumps(item, sort_keys=True)
        for old, name in {**names, appointment_id: "<appointment>"}.items():
            text = text.replace(old, name)
        same = json.loads(text)
        for name in VOLATILE | WORDS:
            same.pop(name, None)
        found[f"{same['PK']['S']} {same['SK']['S']}"] = same
    return found


CATALOG = frozenset({"provider", "service", "schedule", "client", "client_email", "client_key", "category"})


def imported_from(path: Path, ddb: Any, table: str) -> Outcome:
    reader = open_reader(parse_source(f"sqlite://{path}"))
    try:
        return write_import(reader, ddb, table)
    finally:
        reader.close()


def test_an_imported_appointment_leaves_what_a_booking_leaves(
    api: TableApi, ddb_client: Any, fresh_table: str, tmp_path: Path
) -> None:
    monday = next_weekday(0)
    start, end = lisbon(monday, "10:00"), lisbon(monday, "11:00")
    outcome = imported_from(write_sqlite(tmp_path / "dev.db", rows(start, end)), ddb_client, fresh_table)
    imported, booked = outcome.users["ck_imported"], outcome.users["ck_booked"]
    body = {
        "service_id": booked.services[0].id,
        "start": iso_z(start),
        "client": {"name": "Joe Silva", "email": "joe@example.com"},
        "timezone": "Europe/Lisbon",
    }
    status, made = api.call("POST", "/public/ck-booked/bookings", body)
    assert status == 201, made
    items = scan(ddb_client, fresh_table)
    by_import = derived(items, alike(imported), imported.appointments[0].id)
    by_api = derived(items, alike(booked), made["id"])
    assert sorted(by_import) == sorted(by_api), "the same derived items"
    kinds = sorted(item["type"]["S"] for item in by_import.values())
    assert kinds == sorted(
        ["appointment", "block", "block", "busy_day", "day_count", "day_count", "booking_ref", "manage_link"]
    ), kinds
    assert by_import == by_api
    appointment = next(i for i in by_import.values() if i["type"]["S"] == "appointment")
    assert appointment["counted_day"] == {"S": monday.isoformat()}
    assert appointment["time_blocks"] == {"BOOL": True}


def alike(user: ImportedUser) -> dict[str, str]:
    return {
        user.provider.id: "<provider>",
        user.services[0].id: "<service>",
        user.clients[0].id: "<client>",
    }
