"""A whole table to a JSON Lines file, and such a file back into an empty table.

    python -m infra.table_dump export --stack scheduler-prod --out var/prod.jsonl.gz
    python -m infra.table_dump restore --table scheduler-copy --in var/prod.jsonl.gz
    python -m infra.table_dump export --local --out var/local.jsonl       # DynamoDB Local, var/dynamodb

One line per item, ``{"Item": {...}}`` in DynamoDB JSON, the layout of DynamoDB's own export to
S3: every value keeps its type tag, numbers stay the exact decimal text DynamoDB holds, sets stay
sets, binary is base64. Nothing is converted through Python numbers, so a round trip is exact.
A name ending in ``.gz`` is gzip. The file holds clients' personal data: it is written ``0600``.

A restore writes only into a table with no item (anything else is refused before the first
write), in two passes: first every item with ``restored_at`` (the stream consumer sends nothing
for such a write), then every item exactly as the file has it (the consumer sees an item change
into itself: nothing to send either). Then the table is compared with the file, item by item.
docs/operations.md, "Table export and restore", has the drill.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import json
import os
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from botocore.exceptions import ClientError

from infra.dynamo_json import canonical, item_from_text, item_to_text
from infra.restore import BATCH, RESTORED_AT, Item, segment_pages, write_batch

SEGMENTS = 4
BATCH_GET = 100  # BatchGetItem's limit


class RestoreRefusedError(Exception):
    """The target cannot take a restore (it has items, or does not exist); one sentence says why."""


# -- files ----------------------------------------------------------------------------------------
def _open(path: Path, mode: str) -> IO[str]:
    """``path`` as UTF-8 text (gzip when it ends in ``.gz``); a new file is ``0600``."""
    gz = path.suffix == ".gz"
    if mode == "r":
        return gzip.open(path, "rt", encoding="utf-8") if gz else path.open(encoding="utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    path.chmod(0o600)  # a file that was there keeps its own mode otherwise
    return gzip.open(path, "wt", encoding="utf-8") if gz else path.open("w", encoding="utf-8")


def lines(path: Path) -> Iterator[Item]:
    """The items of an export file, in file order, as boto3's client takes them."""
    with _open(path, "r") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                item = record["Item"]
                if not isinstance(item, dict) or "PK" not in item or "SK" not in item:
                    raise ValueError("no PK and SK")
                yield item_from_text(item)
            except (ValueError, KeyError, TypeError, AttributeError) as error:
                raise ValueError(f"{path}, line {number}: not an exported item ({error})") from error


def _line(item: Item) -> str:
    return json.dumps({"Item": item_to_text(item)}, separators=(",", ":")) + "\n"


# -- export ---------------------------------------------------------------------------------------
@dataclass
class Counted:
    items: int = 0
    seconds: float = 0.0

    @property
    def items_per_second(self) -> float:
        return self.items / self.seconds if self.seconds else 0.0


def export_table(client: Any, table: str, out: Path, segments: int = SEGMENTS) -> Counted:
    """Every item of ``table`` into ``out``, one line each; at most one page per segment in memory.

    Each scan is strongly consistent, but a scan is not a snapshot: items written while it runs
    may or may not be in the file. For one instant, export a point-in-time copy (infra.restore).
    """
    started = time.monotonic()
    counted = Counted()
    lock = threading.Lock()
    with _open(out, "w") as handle:

        def one(segment: int) -> None:
            for page in segment_pages(client, table, segment, segments, consistent=True):
                text = "".join(_line(item) for item in page)
                with lock:
                    handle.write(text)
                    counted.items += len(page)

        with ThreadPoolExecutor(max_workers=segments) as pool:
            list(pool.map(one, range(segments)))
    counted.seconds = time.monotonic() - started
    return counted


# -- restore --------------------------------------------------------------------------------------
def refuse_unless_empty(client: Any, table: str) -> None:
    try:
        page = client.scan(TableName=table, Limit=1, ConsistentRead=True)
    except client.exceptions.ResourceNotFoundException as error:
        raise RestoreRefusedError(
            f"Table {table} does not exist: create it first (or pass --create)."
        ) from error
    if page.get("Items") or page.get("LastEvaluatedKey"):
        raise RestoreRefusedError(
            f"Table {table} is not empty: a restore writes only into an empty table "
            "(restore into a new one, or delete and recreate this one)."
        )


def _write_all(client: Any, table: str, path: Path, marker: Item | None) -> int:
    written = 0
    batch: list[Item] = []
    for item in lines(path):
        batch.append({**item, **marker} if marker else item)
        if len(batch) == BATCH:
            write_batch(client, table, batch)
            written, batch = written + len(batch), []
    if batch:
        write_batch(client, table, batch)
        written += len(batch)
    return written


def restore_table(client: Any, table: str, source: Path) -> Counted:
    """The items of ``source`` into the empty ``table``, exactly (see the module's docstring)."""
    refuse_unless_empty(client, table)
    for _ in lines(source):  # a damaged file is refused before anything is written
        pass
    started = time.monotonic()
    run = {
        RESTORED_AT: {"S": f"table-restore-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"}
    }
    _write_all(client, table, source, run)
    counted = Counted(items=_write_all(client, table, source, None))
    counted.seconds = time.monotonic() - started
    return counted


def _batches(path: Path) -> Iterator[list[Item]]:
    batch: list[Item] = []
    for item in lines(path):
        batch.append(item)
        if len(batch) == BATCH_GET:
            yield batch
            batch = []
    if batch:
        yield batch


def _get_all(client: Any, table: str, keys: list[Item]) -> dict[tuple[str, str], Item]:
    found: dict[tuple[str, str], Item] = {}
    wanted: dict[str, Any] = {table: {"Keys": keys, "ConsistentRead": True}}
    delay = 0.05
    while wanted:
        answer = client.batch_get_item(RequestItems=wanted)
        for item in answer.get("Responses", {}).get(table, []):
            found[(item["PK"]["S"], item["SK"]["S"])] = item
        wanted = answer.get("UnprocessedKeys") or {}
        if wanted:
            time.sleep(delay)
            delay = min(delay * 2, 2.0)
    return found


def differences(client: Any, table: str, source: Path, limit: int = 20) -> list[str]:
    """Where ``table`` and the file differ: items missing or not equal, then a count that differs.

    Reads the file in batches of 100 and the table by key, so memory stays bounded; with the
    counts equal, every item of the table is one of the file's.
    """
    found: list[str] = []
    in_file = 0
    for batch in _batches(source):
        in_file += len(batch)
        keys = [{"PK": item["PK"], "SK": item["SK"]} for item in batch]
        stored = _get_all(client, table, keys)
        for item in batch:
            key = (item["PK"]["S"], item["SK"]["S"])
            other = stored.get(key)
            if other is None:
                found.append(f"missing: {key[0]} / {key[1]}")
            elif canonical(item_to_text(other)) != canonical(item_to_text(item)):
                found.append(f"differs: {key[0]} / {key[1]}")
            if len(found) >= limit:
                return found
    in_table = count(client, table)
    if in_table != in_file:
        found.append(f"the table holds {in_table} items, the file {in_file}")
    return found


def count(client: Any, table: str) -> int:
    total = 0
    kwargs: dict[str, Any] = {"TableName": table, "Select": "COUNT", "ConsistentRead": True}
    while True:
        page = client.scan(**kwargs)
        total += int(page.get("Count", 0))
        if "LastEvaluatedKey" not in page:
            return total
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


# -- command --------------------------------------------------------------------------------------
def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("action", choices=("export", "restore"))
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--stack", help="CloudFormation stack whose TableName output names the table")
    where.add_argument("--table", help="the table, by name")
    where.add_argument("--local", action="store_true", help="the local stage's table on DynamoDB Local")
    parser.add_argument("--local-table", help="with --local: another table than the stage's own")
    parser.add_argument("--out", type=Path, help="export: the file to write (.gz: gzip)")
    parser.add_argument("--in", dest="source", type=Path, help="restore: the file to read")
    parser.add_argument("--create", action="store_true", help="restore: create the table when missing")
    parser.add_argument("--segments", type=int, default=SEGMENTS, help="export: parallel scans")
    parser.add_argument("--region")
    parser.add_argument("--endpoint-url", help="a DynamoDB endpoint (DynamoDB Local)")
    args = parser.parse_args(argv)
    if args.action == "export" and args.out is None:
        parser.error("export needs --out FILE")
    if args.action == "restore" and args.source is None:
        parser.error("restore needs --in FILE")
    if args.local_table and not args.local:
        parser.error("--local-table goes with --local")
    return args


@contextlib.contextmanager
def _connection(args: argparse.Namespace) -> Iterator[tuple[Any, str]]:
    """(boto3 DynamoDB client, table name) for what the arguments name."""
    if args.local:
        from devtools.dynamodb_local import LOCAL_TABLE, client, local_endpoint

        with local_endpoint() as endpoint:
            yield client(endpoint), args.local_table or LOCAL_TABLE
        return
    import boto3

    from infra.migrate import table_of_stack

    table = args.table or table_of_stack(args.stack, args.region)
    yield boto3.client("dynamodb", region_name=args.region, endpoint_url=args.endpoint_url), table


def _restore(client: Any, table: str, args: argparse.Namespace) -> int:
    if args.create:
        from chalicelib.adapters.dynamo.table import ensure_table

        ensure_table(client, table)
    done = restore_table(client, table, args.source)
    print(f"restored {done.items} items into {table} in {done.seconds:.1f} s")  # noqa: T201
    found = differences(client, table, args.source)
    print(f"differences: {len(found)}" + "".join(f"\n  {one}" for one in found))  # noqa: T201
    return 1 if found else 0


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    try:
        with _connection(args) as (client, table):
            if args.action == "export":
                done = export_table(client, table, args.out, args.segments)
                print(  # noqa: T201
                    f"exported {done.items} items of {table} to {args.out} in {done.seconds:.1f} s "
                    f"({done.items_per_second:.0f}/s)"
                )
                return 0
            return _restore(client, table, args)
    except (RestoreRefusedError, ValueError, OSError, ClientError) as error:
        print(f"table_dump: {error}")  # noqa: T201
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
