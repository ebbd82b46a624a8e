"""The import's speed: an old-app SQLite of 100,000 appointments into DynamoDB Local.

    make bench-import                            # 100,000 appointments over 200 users
    .venv/bin/python bench/import.py --appointments 20000 --users 40

Generates the old database (bench/old_app_data.py), starts DynamoDB Local in memory, warms it
up (its JIT makes the first minute slower than the rest), imports into one table (with its
stream, as make run's) exactly as ``make import`` does (read, convert, check, build every item,
write), then writes the very same items into the same kind of table in a second emulator warmed
up alike, with nothing but BatchWriteItem, in the same run. Prints the figures; asserts nothing.
docs/performance.md, "Import", keeps them.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("STAGE", "local")

from bench.old_app_data import generate
from chalicelib.adapters.dynamo.bulk import BatchWriter, Raw
from chalicelib.adapters.dynamo.table import ensure_table, table_definition
from chalicelib.adapters.links import LocalLinkSealer
from chalicelib.services.shared import SystemClock
from devtools.dynamodb_local import DynamoDBLocal, free_port
from importer.cli import WRITERS
from importer.convert import Context
from importer.pipeline import open_reader, run
from importer.report import Report
from importer.source import parse_source
from importer.write.target import make_client
from importer.write.writer import TableWriter

WARM_UP_ITEMS = 10_000
TABLE = "scheduler-local"


def scan(client: Any, table: str) -> list[Raw]:
    items: list[Raw] = []
    kwargs: dict[str, Any] = {"TableName": table}
    while True:
        page = client.scan(**kwargs)
        items += page.get("Items", [])
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def warm_emulator(threads: int) -> tuple[DynamoDBLocal, Any]:
    """A new DynamoDB Local in memory, its JIT warmed up on a table of its own without a stream.

    Each measurement gets one: DynamoDB Local slows down with every table with a stream it
    holds, so two measurements in one emulator would not be alike."""
    emulator = DynamoDBLocal(free_port())
    emulator.start()
    client = make_client(emulator.endpoint, "us-east-1", threads + 2)
    definition = table_definition("bench-warm-up")
    definition.pop("StreamSpecification")
    client.create_table(**definition)
    writer = BatchWriter(client, "bench-warm-up", threads)
    for n in range(WARM_UP_ITEMS):
        writer.put({"PK": {"S": f"W#{n % 97}"}, "SK": {"S": f"{n:08d}"}, "type": {"S": "warm"}})
    writer.flush()
    writer.close()
    return emulator, client


def import_into_emulator(database: Path, threads: int) -> tuple[Report, float, list[Raw], int]:
    """The import of ``database`` into a table as make run's (one table, with its stream)."""
    emulator, client = warm_emulator(threads)
    try:
        ensure_table(client, TABLE)
        reader = open_reader(parse_source(f"sqlite://{database}"))
        writer = TableWriter(client, TABLE, LocalLinkSealer(os.urandom(32)), SystemClock(), threads)
        started = time.monotonic()
        try:
            report = run(reader, writer, "import", Context(slug_taken=writer.slug_taken))
            writer.close()
        finally:
            reader.close()
        seconds = time.monotonic() - started
        return report, seconds, scan(client, TABLE), writer.batch.requests
    finally:
        emulator.stop()


def bare_write(items: list[Raw], threads: int) -> float:
    """The same items into the same kind of table with BatchWriteItem and nothing else."""
    emulator, client = warm_emulator(threads)
    try:
        ensure_table(client, TABLE)
        writer = BatchWriter(client, TABLE, threads)
        started = time.monotonic()
        for item in items:
            writer.put(item)
        writer.flush()
        writer.close()
        return time.monotonic() - started
    finally:
        emulator.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appointments", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--threads", type=int, default=WRITERS, help=f"writers (make import: {WRITERS})")
    args = parser.parse_args()
    started = time.monotonic()
    database = generate(
        Path(tempfile.mkdtemp(prefix="bench-import-")) / "dev.db", args.users, args.appointments
    )
    took = time.monotonic() - started
    print(f"old database: {args.users} users, {args.appointments} appointments, made in {took:.0f} s")
    report, imported, items, requests = import_into_emulator(database, args.threads)
    bare = bare_write(items, args.threads)
    appointments = report.table_totals()["appointments"]["imported"]
    kinds = Counter(str(item["type"]["S"]) for item in items)
    print(
        f"import: {appointments} appointments, {len(items)} items in {imported:.1f} s ({requests} requests)"
    )
    print(f"  = {len(items) / imported:.0f} items/s, {appointments / imported:.0f} appointments/s")
    print(f"  items: {', '.join(f'{kind} {n}' for kind, n in kinds.most_common())}")
    print(f"bare BatchWriteItem of the same {len(items)} items ({args.threads} threads): {bare:.1f} s")
    print(f"  = {len(items) / bare:.0f} items/s")
    print(f"ratio import / bare: {imported / bare:.2f}")
    per_100k = imported * 100_000 / max(appointments, 1)
    print(f"100,000 appointments at this rate: {per_100k:.0f} s ({per_100k / 60:.1f} min); target 180 s")


if __name__ == "__main__":
    main()
