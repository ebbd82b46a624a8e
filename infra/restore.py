"""Restore the table: to a new table from a point in time (or a backup), then copy items back.

    python -m infra.restore --stack scheduler-prod --at 2026-11-30T09:00:00Z          # restore only
    python -m infra.restore --stack scheduler-prod --at 2026-11-30T09:00:00Z --copy-back
    python -m infra.restore --stack scheduler-prod --from-table scheduler-prod-restore-... --copy-back

DynamoDB always restores into a new table (no stream, TTL, alarms or tags), so the stack keeps its
table and the items go back into it: every item of the copy is written to the live table (or, with
``--only-missing``, only those the live table lacks), then both are compared. Items written back
carry ``restored_at``, and the stream consumer sends nothing for such a write (no email goes out
twice). Clients erased in the live table stay erased: their client, email-claim and appointment
items are not copied back. docs/operations.md, "Backups", has the drill and its timings.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from chalicelib.adapters.dynamo.table import RESTORED_ATTRIBUTE

RESTORED_AT = RESTORED_ATTRIBUTE

BATCH = 25  # BatchWriteItem's limit
SEGMENTS = 4
ERASABLE_TYPES = {"client", "client_email", "client_key", "appointment"}

Item = dict[str, Any]  # DynamoDB JSON


@dataclass
class CopyReport:
    copied: int = 0
    skipped_erased: int = 0
    skipped_present: int = 0
    seconds: float = 0.0
    differences: list[str] = field(default_factory=list)

    @property
    def items_per_second(self) -> float:
        return self.copied / self.seconds if self.seconds else 0.0


def segment_pages(
    client: Any, table: str, segment: int, segments: int, consistent: bool = False
) -> Iterator[list[Item]]:
    kwargs: dict[str, Any] = {"TableName": table, "Segment": segment, "TotalSegments": segments}
    if consistent:
        kwargs["ConsistentRead"] = True
    while True:
        page = client.scan(**kwargs)
        yield page.get("Items", [])
        if "LastEvaluatedKey" not in page:
            return
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def scan(client: Any, table: str, segments: int = SEGMENTS) -> Iterator[Item]:
    """Every item, read by ``segments`` parallel scans (of the copy: never the live table's hot path)."""

    def one(segment: int) -> list[Item]:
        return [item for page in segment_pages(client, table, segment, segments) for item in page]

    with ThreadPoolExecutor(max_workers=segments) as pool:
        for items in pool.map(one, range(segments)):
            yield from items


def erased_clients(client: Any, table: str) -> set[tuple[str, str]]:
    """(provider id, client id) of every client erased in ``table``."""
    found: set[tuple[str, str]] = set()
    for item in scan(client, table):
        if item.get("type", {}).get("S") == "client" and item.get("erased", {}).get("BOOL"):
            found.add((item["provider_id"]["S"], item["client_id"]["S"]))
    return found


def _belongs_to_erased(item: Item, erased: set[tuple[str, str]]) -> bool:
    if item.get("type", {}).get("S") not in ERASABLE_TYPES:
        return False
    provider, client_id = item.get("provider_id", {}).get("S"), item.get("client_id", {}).get("S")
    return (provider, client_id) in erased


def write_batch(client: Any, table: str, items: list[Item]) -> None:
    requests = [{"PutRequest": {"Item": item}} for item in items]
    delay = 0.05
    while requests:
        answer = client.batch_write_item(RequestItems={table: requests})
        requests = answer.get("UnprocessedItems", {}).get(table, [])
        if requests:  # throttled: back off and send what was left
            time.sleep(delay)
            delay = min(delay * 2, 2.0)


def _put_if_missing(client: Any, table: str, item: Item) -> bool:
    try:
        client.put_item(TableName=table, Item=item, ConditionExpression="attribute_not_exists(PK)")
    except client.exceptions.ConditionalCheckFailedException:
        return False
    return True


@dataclass(frozen=True)
class _Copy:
    client: Any
    source: str
    target: str
    marker: Item
    erased: set[tuple[str, str]]
    only_missing: bool
    segments: int


def _copy_segment(job: _Copy, segment: int) -> CopyReport:
    """One scan segment of the copy, written as it is read."""
    client, target, marker, erased, only_missing = (
        job.client,
        job.target,
        job.marker,
        job.erased,
        job.only_missing,
    )
    report = CopyReport()
    for page in segment_pages(client, job.source, segment, job.segments):
        batch: list[Item] = []
        for item in page:
            if _belongs_to_erased(item, erased):
                report.skipped_erased += 1
            elif only_missing:
                if _put_if_missing(client, target, {**item, **marker}):
                    report.copied += 1
                else:
                    report.skipped_present += 1
            else:
                batch.append({**item, **marker})
        for start in range(0, len(batch), BATCH):
            write_batch(client, target, batch[start : start + BATCH])
        report.copied += len(batch)
    return report


def copy_back(
    client: Any, source: str, target: str, run_id: str, only_missing: bool = False, segments: int = SEGMENTS
) -> CopyReport:
    """Write the items of ``source`` (the restored copy) into ``target`` (the live table).

    ``segments`` scans (and writers) run in parallel: DynamoDB takes them all; DynamoDB Local
    serialises writes, so one is fastest there.
    """
    started = time.monotonic()
    job = _Copy(
        client,
        source,
        target,
        {RESTORED_AT: {"S": run_id}},
        erased_clients(client, target),
        only_missing,
        segments,
    )
    with ThreadPoolExecutor(max_workers=segments) as pool:
        parts = list(pool.map(lambda segment: _copy_segment(job, segment), range(segments)))
    report = CopyReport(
        copied=sum(p.copied for p in parts),
        skipped_erased=sum(p.skipped_erased for p in parts),
        skipped_present=sum(p.skipped_present for p in parts),
    )
    report.seconds = time.monotonic() - started
    return report


def differences(client: Any, source: str, target: str, limit: int = 20) -> list[str]:
    """Keys whose item in ``target`` differs from ``source`` (``restored_at`` aside), erased clients aside."""
    erased = erased_clients(client, target)
    live = {(i["PK"]["S"], i["SK"]["S"]): i for i in scan(client, target)}
    found: list[str] = []
    for item in scan(client, source):
        if _belongs_to_erased(item, erased):
            continue
        key = (item["PK"]["S"], item["SK"]["S"])
        other = {k: v for k, v in live.get(key, {}).items() if k != RESTORED_AT}
        if other != {k: v for k, v in item.items() if k != RESTORED_AT}:
            found.append(f"{key[0]} / {key[1]}")
            if len(found) >= limit:
                break
    return found


def restore(client: Any, live: str, at: dt.datetime | None, backup_arn: str | None) -> str:
    """Start a restore into a new table and wait for it; returns the new table's name."""
    stamp = (at or dt.datetime.now(dt.UTC)).strftime("%Y%m%d-%H%M%S")
    target = f"{live}-restore-{stamp}"
    if backup_arn:
        client.restore_table_from_backup(
            TargetTableName=target, BackupArn=backup_arn, BillingModeOverride="PAY_PER_REQUEST"
        )
    else:
        client.restore_table_to_point_in_time(
            SourceTableName=live,
            TargetTableName=target,
            RestoreDateTime=at,
            BillingModeOverride="PAY_PER_REQUEST",
        )
    client.get_waiter("table_exists").wait(TableName=target, WaiterConfig={"Delay": 20, "MaxAttempts": 360})
    return target


def main(argv: list[str] | None = None) -> int:
    import boto3

    from infra.migrate import table_of_stack

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    live = parser.add_mutually_exclusive_group(required=True)
    live.add_argument("--stack", help="CloudFormation stack whose TableName output names the live table")
    live.add_argument("--table", help="the live table")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--at", type=dt.datetime.fromisoformat, help="restore point, e.g. 2026-11-30T09:00:00Z"
    )
    source.add_argument("--from-backup", help="a backup ARN (AWS Backup or on-demand)")
    source.add_argument("--from-table", help="an already restored table: skip the restore")
    parser.add_argument("--copy-back", action="store_true", help="write the copy's items into the live table")
    parser.add_argument(
        "--only-missing", action="store_true", help="with --copy-back: keep items the live table has"
    )
    parser.add_argument("--segments", type=int, default=SEGMENTS, help="parallel scans and writers")
    parser.add_argument("--region")
    parser.add_argument("--endpoint-url", help="DynamoDB Local, for drills")
    args = parser.parse_args(argv)
    client = boto3.client("dynamodb", region_name=args.region, endpoint_url=args.endpoint_url)
    table = args.table or table_of_stack(args.stack, args.region)
    copy = args.from_table or restore(client, table, args.at, args.from_backup)
    print(f"restored copy: {copy}")  # noqa: T201
    if not args.copy_back:
        return 0
    run_id = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    report = copy_back(client, copy, table, run_id, only_missing=args.only_missing, segments=args.segments)
    print(  # noqa: T201
        f"copied {report.copied} items in {report.seconds:.1f} s ({report.items_per_second:.0f}/s); "
        f"kept erased: {report.skipped_erased}; already present: {report.skipped_present}"
    )
    if args.only_missing:
        return 0
    diff = differences(client, copy, table)
    print(f"differences: {len(diff)}" + "".join(f"\n  {key}" for key in diff))  # noqa: T201
    return 1 if diff else 0


if __name__ == "__main__":
    raise SystemExit(main())
