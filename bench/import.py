"""The import's speed: an old-app SQLite of 100,000 appointments into DynamoDB Local.

    make bench-import                            # 100,000 appointments over 200 users
    .venv/bin/python bench/import.py --appointments 20000 --users 40

Generates the old database (bench/old_app_data.py), starts DynamoDB Local in memory, warms it
up (its JIT makes the first minute slower than the rest), imports into one table exactly as
``make import`` does (read, convert, check, build every item, write), then writes the very
same items into an empty table with nothing but BatchWriteItem, in the same run. Prints the
figures; asserts nothing. docs/performance.md, "Import", keeps them.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("STAGE", "local")

from bench.old_app_data import generate
from chalicelib.adapters.dynamo.bulk import BatchWriter
from chalicelib.adapters.dynamo.table import ensure_table
from chalicelib.adapters.links import LocalLinkSealer
from chalicelib.services.shared import SystemClock
from devtools.dynamodb_local import DynamoDBLocal, free_port
from importer.cli import WRITERS
from importer.convert import Context
from importer.pipeline import open_reader, run
from importer.source import parse_source
from importer.write.target import make_client
from importer.write.writer import TableWriter

WARM_UP_ITEMS = 10_000


def scan(client: object, table: str) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    kwargs: dict[str, object] = {"TableName": table}
    while True:
        page = client.scan(**kwargs)  # type: ignore[attr-defined]
        items += page.get("Items", [])
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def warm_up(client: object, threads: int) -> None:
    ensure_table(client, "bench-warm-up")
    writer = BatchWriter(client, "bench-warm-up", threads)
    for n in range(WARM_UP_ITEMS):
        writer.put(
            {"PK": {"S": f"W#{n % 97}"}, "SK": {"S": f"{n:08d}"}, "type": {"S": "warm"}, "n": {"N": str(n)}}
        )
    writer.flush()
    writer.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appointments", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument(
        "--threads", type=int, default=WRITERS, help=f"writer threads (make import: {WRITERS})"
    )
    args = parser.parse_args()
    threads = args.threads
    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    started = time.monotonic()
    database = generate(folder / "dev.db", args.users, args.appointments)
    took = time.monotonic() - started
    print(f"old database: {args.users} users, {args.appointments} appointments, made in {took:.0f} s")
    emulator = DynamoDBLocal(free_port())
    emulator.start()
    try:
        client = make_client(emulator.endpoint, "us-east-1", threads + 2)
        warm_up(client, threads)
        ensure_table(client, "bench-import")
        ensure_table(client, "bench-bare")
        reader = open_reader(parse_source(f"sqlite://{database}"))
        writer = TableWriter(client, "bench-import", LocalLinkSealer(os.urandom(32)), SystemClock(), threads)
        started = time.monotonic()
        try:
            report = run(reader, writer, "import", Context(slug_taken=writer.slug_taken))
        finally:
            reader.close()
            writer.close()
        imported_seconds = time.monotonic() - started
        items = scan(client, "bench-import")
        bare = BatchWriter(client, "bench-bare", threads)
        started = time.monotonic()
        for item in items:
            bare.put(item)
        bare.flush()
        bare.close()
        bare_seconds = time.monotonic() - started
    finally:
        emulator.stop()
    appointments = report.table_totals()["appointments"]["imported"]
    print(f"import: {appointments} appointments, {len(items)} items in {imported_seconds:.1f} s")
    rate, appointment_rate = len(items) / imported_seconds, appointments / imported_seconds
    print(f"  = {rate:.0f} items/s, {appointment_rate:.0f} appointments/s")
    print(f"  requests: {writer.batch.requests} BatchWriteItem")
    print(f"bare BatchWriteItem of the same {len(items)} items ({threads} threads): {bare_seconds:.1f} s")
    print(f"  = {len(items) / bare_seconds:.0f} items/s")
    print(f"ratio import / bare: {imported_seconds / bare_seconds:.2f}")
    per_100k = imported_seconds * 100_000 / max(appointments, 1)
    print(f"100,000 appointments at this rate: {per_100k:.0f} s ({per_100k / 60:.1f} min); target 180 s")


if __name__ == "__main__":
    main()
