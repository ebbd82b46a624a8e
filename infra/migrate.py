"""Data migrations: ordered, each applied once per table, recorded in the table itself.

    python -m infra.migrate --stack scheduler-prod            # apply what is pending
    python -m infra.migrate --table scheduler-dev --dry-run   # list what is pending

DynamoDB has no schema to migrate; a migration here rewrites items (a backfill, a new key
shape). The deploy workflow runs this after ``cloudformation deploy``, so the code that is live
while a migration runs must read both the old and the new shape (expand, migrate, then contract
in a later release). A migration must be idempotent: two runners racing may both apply it, and
only one records it. Add one by appending to ``MIGRATIONS``; never reorder or edit a recorded one.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from chalicelib.adapters.dynamo.keys import MIGRATIONS_PK, migration_sk

Apply = Callable[[Any, str], None]  # (boto3 DynamoDB client, table name)


@dataclass(frozen=True)
class Migration:
    id: str  # sortable and stable, e.g. "0001-backfill-reminder-index"
    description: str
    apply: Apply


def _busy_time_blocks(client: Any, table: str) -> None:
    from infra import busy_migration

    busy_migration.apply(client, table)


def _client_index_keys(client: Any, table: str) -> None:
    from infra import index_migration

    index_migration.apply(client, table)


def _day_counts(client: Any, table: str) -> None:
    from infra import count_migration

    count_migration.apply(client, table)


def _client_search_keys(client: Any, table: str) -> None:
    from infra import search_key_migration

    search_key_migration.apply(client, table)


MIGRATIONS: list[Migration] = [
    Migration(
        "0001-busy-time-blocks",
        "day ledgers (DAY#) become block items (BLOCK#) and day summaries (BUSY#)",
        _busy_time_blocks,
    ),
    Migration(
        "0002-client-appointments-index",
        "appointments get the GSI2 keys of their client (PROVIDER#<pid>#CLIENT#<cid>)",
        _client_index_keys,
    ),
    Migration(
        "0003-day-counts",
        "upcoming appointments take their place in the day counts (COUNT#) that max_per_day reads",
        _day_counts,
    ),
    Migration(
        "0004-client-search-keys",
        "clients get their search keys: CLIENTNAME# per word of the name, CLIENTPHONE# per digits suffix",
        _client_search_keys,
    ),
]


def applied(client: Any, table: str) -> set[str]:
    ids: set[str] = set()
    kwargs: dict[str, Any] = {
        "TableName": table,
        "KeyConditionExpression": "PK = :pk",
        "ExpressionAttributeValues": {":pk": {"S": MIGRATIONS_PK}},
        "ConsistentRead": True,
    }
    while True:
        page = client.query(**kwargs)
        ids |= {item["migration_id"]["S"] for item in page.get("Items", [])}
        if "LastEvaluatedKey" not in page:
            return ids
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def pending(client: Any, table: str, migrations: Sequence[Migration]) -> list[Migration]:
    done = applied(client, table)
    return [m for m in sorted(migrations, key=lambda m: m.id) if m.id not in done]


def _record(client: Any, table: str, migration: Migration) -> None:
    from botocore.exceptions import ClientError

    item = {
        "PK": {"S": MIGRATIONS_PK},
        "SK": {"S": migration_sk(migration.id)},
        "type": {"S": "migration"},
        "migration_id": {"S": migration.id},
        "description": {"S": migration.description},
        "applied_at": {"S": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")},
    }
    try:
        client.put_item(TableName=table, Item=item, ConditionExpression="attribute_not_exists(PK)")
    except ClientError as error:
        if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise


def run(client: Any, table: str, migrations: Sequence[Migration]) -> list[str]:
    """Apply the pending migrations in order; stop at the first that fails (it is not recorded)."""
    done: list[str] = []
    for migration in pending(client, table, migrations):
        migration.apply(client, table)
        _record(client, table, migration)
        done.append(migration.id)
    return done


def table_of_stack(stack: str, region: str | None) -> str:
    import boto3

    outputs = boto3.client("cloudformation", region_name=region).describe_stacks(StackName=stack)["Stacks"][0]
    for output in outputs.get("Outputs", []):
        if output["OutputKey"] == "TableName":
            return str(output["OutputValue"])
    raise SystemExit(f"stack {stack} has no TableName output")


def main(argv: list[str] | None = None) -> int:
    import boto3

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--stack", help="CloudFormation stack whose TableName output names the table")
    target.add_argument("--table")
    parser.add_argument("--region")
    parser.add_argument("--endpoint-url", help="DynamoDB Local, for rehearsals")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    table = args.table or table_of_stack(args.stack, args.region)
    client = boto3.client("dynamodb", region_name=args.region, endpoint_url=args.endpoint_url)
    todo = pending(client, table, MIGRATIONS)
    if args.dry_run:
        print(f"{table}: {len(todo)} pending: {', '.join(m.id for m in todo) or 'none'}")  # noqa: T201
        return 0
    done = run(client, table, MIGRATIONS)
    print(f"{table}: applied {len(done)}: {', '.join(done) or 'none'}")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
