"""The restore drill on DynamoDB Local: a copy of the table goes back into the damaged live table.

DynamoDB Local has no point-in-time restore, so the "restored copy" is made the way a restore
leaves it: a second table holding the items as they were. Everything after that is what
`python -m infra.restore --from-table ... --copy-back` does in AWS.
"""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.adapters.dynamo.notice_reader import StreamImages
from chalicelib.adapters.dynamo.table import ensure_table
from chalicelib.jobs import outbox
from chalicelib.services.notifications.outbox import Outbox
from devtools.streams import StreamPoller
from infra.restore import RESTORED_AT, copy_back, differences, scan

pytestmark = pytest.mark.integration
PROVIDERS = 12
APPOINTMENTS_EACH = 20


def s(value: str) -> dict[str, str]:
    return {"S": value}


def appointment(pid: str, n: int, client_id: str) -> dict[str, Any]:
    return {
        "PK": s(f"PROVIDER#{pid}"),
        "SK": s(f"APPT#a{n:04d}"),
        "type": s("appointment"),
        "appointment_id": s(f"a{n:04d}"),
        "provider_id": s(pid),
        "client_id": s(client_id),
        "service_id": s("svc"),
        "service_name": s("Session"),
        "start": s(f"2030-01-{1 + n % 28:02d}T09:00:00Z"),
        "end": s(f"2030-01-{1 + n % 28:02d}T10:00:00Z"),
        "status": s("confirmed"),
        "client_timezone": s("Europe/Paris"),
        "price": s("25.00"),
        "currency": s("EUR"),
        "notes": s("Knee, left side"),
        "sequence": {"N": "0"},
        "GSI1PK": s(f"PROVIDER#{pid}#CAL"),
        "GSI1SK": s(f"2030-01-{1 + n % 28:02d}T09:00:00Z#a{n:04d}"),
    }


def client(pid: str, cid: str, erased: bool = False) -> dict[str, Any]:
    return {
        "PK": s(f"PROVIDER#{pid}"),
        "SK": s(f"CLIENT#{cid}"),
        "type": s("client"),
        "client_id": s(cid),
        "provider_id": s(pid),
        "name": s("(erased)" if erased else "Casey Client"),
        "erased": {"BOOL": erased},
    }


def table_items() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for p in range(PROVIDERS):
        pid = f"p{p:02d}"
        items.append({"PK": s(f"PROVIDER#{pid}"), "SK": s("PROFILE"), "type": s("provider"), "name": s("P")})
        items += [client(pid, "c1"), client(pid, "c2")]
        items.append(
            {
                "PK": s(f"PROVIDER#{pid}"),
                "SK": s("CLIENTEMAIL#casey@client.example"),
                "type": s("client_email"),
                "provider_id": s(pid),
                "client_id": s("c2"),
            }
        )
        items += [appointment(pid, n, "c1" if n % 2 else "c2") for n in range(APPOINTMENTS_EACH)]
    return items


def put_all(ddb: Any, table: str, items: list[dict[str, Any]]) -> None:
    for start in range(0, len(items), 25):
        requests = [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
        ddb.batch_write_item(RequestItems={table: requests})


@pytest.fixture
def tables(ddb_client: Any, fresh_table: str) -> tuple[str, str]:
    copy = f"{fresh_table[:200]}-copy"
    ensure_table(ddb_client, copy)
    put_all(ddb_client, fresh_table, table_items())
    put_all(ddb_client, copy, table_items())  # the restore point: the table as it was
    return fresh_table, copy


class Untouchable:
    """The consumer's ports, past reading the change, fail the test when it reaches for any of them."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the consumer used {name} for a restore write")


def damage(ddb: Any, live: str) -> None:
    # A bad migration deleted a provider's calendar and rewrote another's profile...
    for n in range(APPOINTMENTS_EACH):
        ddb.delete_item(TableName=live, Key={"PK": s("PROVIDER#p03"), "SK": s(f"APPT#a{n:04d}")})
    ddb.put_item(TableName=live, Item={"PK": s("PROVIDER#p05"), "SK": s("PROFILE"), "type": s("provider")})
    # ...and, since the restore point, provider p07's client c2 asked to be erased.
    ddb.put_item(TableName=live, Item=client("p07", "c2", erased=True))
    ddb.delete_item(
        TableName=live, Key={"PK": s("PROVIDER#p07"), "SK": s("CLIENTEMAIL#casey@client.example")}
    )
    for n in range(0, APPOINTMENTS_EACH, 2):
        ddb.put_item(TableName=live, Item={**appointment("p07", n, "c2"), "notes": s("")})


def test_the_copy_goes_back_with_no_difference_and_the_erased_client_stays_erased(
    ddb_client: Any, ddb_endpoint: str, tables: tuple[str, str]
) -> None:
    live, copy = tables
    damage(ddb_client, live)
    assert differences(ddb_client, copy, live), "the damage shows before the copy"
    seen: list[dict[str, Any]] = []

    def collect(records: list[dict[str, Any]]) -> list[str]:
        seen.extend(records)
        return []

    stream = StreamPoller(ddb_client, ddb_endpoint, live, collect, start="LATEST")

    report = copy_back(ddb_client, copy, live, run_id="2030-01-01T00:00:00Z")

    assert differences(ddb_client, copy, live) == []
    erased_items = 1 + 1 + APPOINTMENTS_EACH // 2  # client, email claim, its appointments
    assert report.skipped_erased == erased_items
    assert report.copied == len(table_items()) - erased_items
    by_key = {(i["PK"]["S"], i["SK"]["S"]): i for i in scan(ddb_client, live)}
    assert by_key[("PROVIDER#p03", "APPT#a0007")][RESTORED_AT] == s("2030-01-01T00:00:00Z")
    assert by_key[("PROVIDER#p07", "CLIENT#c2")]["erased"] == {"BOOL": True}
    assert ("PROVIDER#p07", "CLIENTEMAIL#casey@client.example") not in by_key
    assert by_key[("PROVIDER#p07", "APPT#a0000")]["notes"] == s("")

    # The stream sees every write of the copy, and the consumer sends nothing for any of them.
    stream.drain()
    appointments = [r for r in seen if r["dynamodb"]["NewImage"].get("type") == s("appointment")]
    assert len(appointments) == PROVIDERS * APPOINTMENTS_EACH - APPOINTMENTS_EACH // 2
    consumer = Outbox(StreamImages(), Untouchable(), Untouchable(), Untouchable())  # type: ignore[arg-type]
    assert outbox.handle_records(appointments, consumer) == []


def test_only_missing_brings_back_deleted_items_and_keeps_newer_ones(
    ddb_client: Any, tables: tuple[str, str]
) -> None:
    live, copy = tables
    damage(ddb_client, live)
    report = copy_back(ddb_client, copy, live, run_id="r2", only_missing=True)
    assert report.copied == APPOINTMENTS_EACH  # p03's calendar
    profile = ddb_client.get_item(TableName=live, Key={"PK": s("PROVIDER#p05"), "SK": s("PROFILE")})["Item"]
    assert "name" not in profile  # present in the live table, so left as it is now
