"""A whole table to JSON Lines and back into an empty table, on DynamoDB Local: 0 differences."""

from __future__ import annotations

import gzip
import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from chalicelib.adapters.dynamo.notice_reader import StreamImages
from chalicelib.adapters.dynamo.table import ensure_table
from chalicelib.jobs import outbox
from chalicelib.services.notifications.outbox import Outbox
from devtools.dynamodb_local import free_port
from devtools.streams import StreamPoller
from infra.dynamo_json import canonical, item_to_text
from infra.table_dump import (
    RestoreRefusedError,
    count,
    differences,
    export_table,
    lines,
    main,
    restore_table,
)
from tests.api import Api, booking_body

pytestmark = pytest.mark.integration

RAW = b"\x00\xff\xfe binary \x80"


def every_type(n: int) -> dict[str, Any]:
    """An item with each DynamoDB type, numbers that a float would not keep."""
    return {
        "PK": {"S": f"TYPES#{n:04d}"},
        "SK": {"S": "ITEM"},
        "type": {"S": "types"},
        "text": {"S": 'Zoë — 名前 \u2028 "quoted" \\ back'},
        "empty": {"S": ""},
        "price": {"N": "19.99"},
        "tiny": {"N": "1E-130"},
        "huge": {"N": "12345678901234567890123456789012345678"},
        "negative": {"N": "-0.000000000000000000000000000000000001"},
        "count": {"N": str(n)},
        "flag": {"BOOL": n % 2 == 0},
        "nothing": {"NULL": True},
        "B": {"S": "an attribute named as a type tag"},
        "M": {"M": {"B": {"B": b"\x00tag-named"}, "SS": {"N": "1"}}},
        "blob": {"B": RAW + bytes([n % 256])},
        "names": {"SS": ["b", "a", "ç"]},
        "numbers": {"NS": ["1", "2.5", "-3", "99999999999999999999999999999999999999"]},
        "blobs": {"BS": [b"\x01", b"\x02\x03", RAW]},
        "map": {
            "M": {
                "inner": {"M": {"deep": {"L": [{"N": "0.1"}, {"S": "x"}, {"B": b"\x00"}, {"NS": ["7"]}]}}},
                "list": {"L": [{"BOOL": False}, {"NULL": True}, {"M": {}}, {"L": []}]},
            }
        },
    }


def put_all(ddb: Any, table: str, items: list[dict[str, Any]]) -> None:
    for start in range(0, len(items), 25):
        requests = [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
        ddb.batch_write_item(RequestItems={table: requests})


def table_as_text(ddb: Any, table: str) -> dict[tuple[str, str], Any]:
    found: dict[tuple[str, str], Any] = {}
    kwargs: dict[str, Any] = {"TableName": table, "ConsistentRead": True}
    while True:
        page = ddb.scan(**kwargs)
        for item in page["Items"]:
            found[(item["PK"]["S"], item["SK"]["S"])] = canonical(item_to_text(item))
        if "LastEvaluatedKey" not in page:
            return found
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def as_text(path: Path) -> list[str]:
    """The items of an export file as canonical text, sorted: files compared as sets of items."""
    return sorted(json.dumps(canonical(item_to_text(i)), sort_keys=True) for i in lines(path))


@pytest.fixture
def source(ddb_client: Any, fresh_table: str) -> str:
    put_all(ddb_client, fresh_table, [every_type(n) for n in range(260)])
    return fresh_table


@pytest.fixture
def target(ddb_client: Any, fresh_table: str) -> str:
    name = f"{fresh_table[:200]}-target"
    ensure_table(ddb_client, name)
    return name


def test_every_type_survives_export_and_restore_exactly(
    ddb_client: Any, source: str, target: str, tmp_path: Path
) -> None:
    out = tmp_path / "table.jsonl"
    exported = export_table(ddb_client, source, out, segments=3)
    assert exported.items == 260
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # clients' personal data: the owner's only
    first = json.loads(out.read_text().splitlines()[0])
    assert set(first) == {"Item"} and first["Item"]["price"] == {"N": "19.99"}

    restored = restore_table(ddb_client, target, out)

    assert restored.items == 260
    assert differences(ddb_client, target, out) == []
    assert table_as_text(ddb_client, target) == table_as_text(ddb_client, source)
    item = ddb_client.get_item(TableName=target, Key={"PK": {"S": "TYPES#0007"}, "SK": {"S": "ITEM"}})["Item"]
    assert item["blob"] == {"B": RAW + b"\x07"}
    assert item["huge"] == {"N": "12345678901234567890123456789012345678"}
    assert "restored_at" not in item  # the marker of the first pass is gone

    again = tmp_path / "again.jsonl.gz"
    export_table(ddb_client, target, again)
    with gzip.open(again, "rt") as handle:
        assert sum(1 for _ in handle) == 260
    assert as_text(again) == as_text(out)


def test_a_restore_into_a_table_with_an_item_is_refused_and_writes_nothing(
    ddb_client: Any,
    ddb_endpoint: str,
    source: str,
    target: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "table.jsonl"
    export_table(ddb_client, source, out)
    ddb_client.put_item(TableName=target, Item={"PK": {"S": "X"}, "SK": {"S": "Y"}})

    with pytest.raises(RestoreRefusedError, match="not empty"):
        restore_table(ddb_client, target, out)
    assert count(ddb_client, target) == 1
    monkeypatch.setenv("DYNAMODB_ENDPOINT", ddb_endpoint)  # what --local uses before anything else
    assert main(["restore", "--local", "--local-table", target, "--in", str(out)]) == 2
    assert "is not empty" in capsys.readouterr().out


def test_a_damaged_file_is_refused_before_the_first_write(
    ddb_client: Any, source: str, target: str, tmp_path: Path
) -> None:
    out = tmp_path / "table.jsonl"
    export_table(ddb_client, source, out)
    with out.open("a") as handle:
        handle.write('{"Item": {"PK": {"S": "only a key"}}}\n')

    with pytest.raises(ValueError, match="line 261"):
        restore_table(ddb_client, target, out)
    assert count(ddb_client, target) == 0


def test_differences_name_a_changed_a_missing_and_an_extra_item(
    ddb_client: Any, source: str, target: str, tmp_path: Path
) -> None:
    out = tmp_path / "table.jsonl"
    export_table(ddb_client, source, out)
    restore_table(ddb_client, target, out)
    key = {"PK": {"S": "TYPES#0003"}, "SK": {"S": "ITEM"}}
    changed = {":p": {"N": "19.990001"}}
    ddb_client.update_item(
        TableName=target, Key=key, UpdateExpression="SET price = :p", ExpressionAttributeValues=changed
    )
    ddb_client.delete_item(TableName=target, Key={"PK": {"S": "TYPES#0004"}, "SK": {"S": "ITEM"}})

    found = differences(ddb_client, target, out)
    assert found[-1] == "the table holds 259 items, the file 260"  # the count comes last
    assert sorted(found[:-1]) == ["differs: TYPES#0003 / ITEM", "missing: TYPES#0004 / ITEM"]
    ddb_client.put_item(TableName=target, Item=every_type(4))
    ddb_client.put_item(TableName=target, Item={**every_type(3), "PK": {"S": "NEW"}})
    assert differences(ddb_client, target, out) == [
        "differs: TYPES#0003 / ITEM",
        "the table holds 261 items, the file 260",
    ]


def test_the_app_s_own_table_round_trips_and_the_consumer_sends_nothing_for_the_restore(
    ddb_client: Any, ddb_endpoint: str, http: Any, local_env: dict[str, str], target: str, tmp_path: Path
) -> None:
    provider = Api(http)
    service = provider.bookable()
    for days in (14, 15):
        day = (datetime.now(UTC) + timedelta(days=days)).date()
        reply = provider.post("/appointments", booking_body(service["id"], f"{day}T10:00:00+00:00"))
        assert reply.status == 201, reply
    out = tmp_path / "app.jsonl"
    export_table(ddb_client, local_env["TABLE_NAME"], out)
    appointments = sum(1 for item in lines(out) if item.get("type") == {"S": "appointment"})
    assert appointments >= 2
    seen: list[dict[str, Any]] = []

    def collect(records: list[dict[str, Any]]) -> list[str]:
        seen.extend(records)
        return []

    restore_table(ddb_client, target, out)
    # The table is new: its whole stream is the restore's. (DynamoDB Local fails reads through an
    # iterator taken while a stream is still empty, so the poller starts after the writes.)
    stream = StreamPoller(ddb_client, ddb_endpoint, target, collect, start="TRIM_HORIZON")

    assert differences(ddb_client, target, out) == []
    stream.drain(max_polls=100_000)  # the whole stream: the session table may hold thousands of items
    touched = [r for r in seen if r["dynamodb"]["NewImage"].get("type") == {"S": "appointment"}]
    assert len(touched) == 2 * appointments  # each one written twice: marked, then exactly
    consumer = Outbox(StreamImages(), Untouchable(), Untouchable(), Untouchable())  # type: ignore[arg-type]
    assert outbox.handle_records(touched, consumer) == []


class Untouchable:
    """The consumer's ports, past reading the change: the test fails when it reaches for any."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the consumer used {name} for a restore write")


def test_the_local_command_starts_an_emulator_on_var_when_none_runs_and_the_data_stays(
    source: str, ddb_client: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "table.jsonl.gz"
    export_table(ddb_client, source, out)
    monkeypatch.delenv("DYNAMODB_ENDPOINT", raising=False)
    monkeypatch.setenv("DYNAMODB_PORT", str(free_port()))
    monkeypatch.setenv("VAR_DIR", str(tmp_path / "var"))

    assert main(["restore", "--local", "--create", "--in", str(out)]) == 0
    assert main(["export", "--local", "--out", str(tmp_path / "back.jsonl")]) == 0  # a second emulator

    assert (tmp_path / "var" / "dynamodb").is_dir()
    assert as_text(tmp_path / "back.jsonl") == as_text(out)
