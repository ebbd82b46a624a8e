"""infra/migrate.py against DynamoDB Local: each migration once, in order, recorded in the table."""

from __future__ import annotations

from typing import Any

import pytest

from infra.migrate import Migration, applied, pending, run

pytestmark = pytest.mark.integration


def recorder(calls: list[str], migration_id: str) -> Migration:
    def apply(client: Any, table: str) -> None:
        client.put_item(TableName=table, Item={"PK": {"S": f"TEST#{migration_id}"}, "SK": {"S": "X"}})
        calls.append(migration_id)

    return Migration(migration_id, f"test {migration_id}", apply)


def test_pending_migrations_run_in_id_order_and_only_once(ddb_client: Any, fresh_table: str) -> None:
    calls: list[str] = []
    migrations = [recorder(calls, "0002-second"), recorder(calls, "0001-first")]

    assert run(ddb_client, fresh_table, migrations) == ["0001-first", "0002-second"]
    assert run(ddb_client, fresh_table, migrations) == []
    assert calls == ["0001-first", "0002-second"]
    assert applied(ddb_client, fresh_table) == {"0001-first", "0002-second"}
    item = ddb_client.get_item(TableName=fresh_table, Key={"PK": {"S": "TEST#0001-first"}, "SK": {"S": "X"}})
    assert "Item" in item


def test_a_failing_migration_stops_the_run_and_stays_pending(ddb_client: Any, fresh_table: str) -> None:
    calls: list[str] = []

    def broken(client: Any, table: str) -> None:
        raise RuntimeError("backfill failed")

    migrations = [
        recorder(calls, "0001-ok"),
        Migration("0002-broken", "fails", broken),
        recorder(calls, "0003-later"),
    ]
    with pytest.raises(RuntimeError, match="backfill failed"):
        run(ddb_client, fresh_table, migrations)

    assert calls == ["0001-ok"]
    assert [m.id for m in pending(ddb_client, fresh_table, migrations)] == ["0002-broken", "0003-later"]
