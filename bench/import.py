"""The import's speed: an old-app SQLite of 100,000 appointments into DynamoDB Local.

    make bench-import                            # 100,000 appointments over 200 users
    .venv/bin/python bench/import.py --appointments 20000 --users 40

    .venv/bin/python bench/import.py --appointments 20000 --users 40 --on-disk --threads 4

Generates the old database (bench/old_app_data.py), starts DynamoDB Local (in memory, or with
``--on-disk`` on a folder of its own as ``make import`` keeps var/dynamodb: -sharedDb -dbPath),
warms it up (its JIT makes the first minute slower than the rest), imports into one table (with
its stream, as make run's) exactly as ``make import`` does (read, convert, check, build every
item, write), then writes the very same items into the same kind of table in a second emulator
started and warmed up alike, with nothing but BatchWriteItem from as many threads, in the same
run. Prints wall time and the CPU time each side used (this process's, all threads, and the
emulator's): on a shared machine the wall time follows the load, the CPU times much less.
Asserts nothing. docs/performance.md, "Import", keeps the figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("STAGE", "local")

from bench.old_app_data import generate
from chalicelib.adapters.dynamo.bulk import BatchWriter, Raw
from chalicelib.adapters.dynamo.table import ensure_table, table_definition
from chalicelib.adapters.links import LocalLinkSealer
from chalicelib.services.shared import SystemClock
from devtools.dynamodb_local import JAVA_OPTIONS, DynamoDBLocal, free_port
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


@dataclass
class Setup:
    threads: int
    on_disk: bool
    java_options: tuple[str, ...]

    def describe(self) -> str:
        where = "on disk (-sharedDb -dbPath, as make import)" if self.on_disk else "in memory (-inMemory)"
        jvm = " ".join(self.java_options) or "the JVM's own defaults"
        return f"DynamoDB Local {where}, {jvm}, {self.threads} writer threads"


@dataclass
class Measured:
    seconds: float
    python_cpu: float  # this process, every thread
    emulator_cpu: float


class Clocks:
    """Wall time, this process's CPU time and the emulator's, from now on."""

    def __init__(self, emulator: DynamoDBLocal) -> None:
        self._emulator = emulator
        self._wall, self._cpu, self._jvm = time.monotonic(), time.process_time(), emulator.cpu_seconds()

    def stop(self) -> Measured:
        return Measured(
            time.monotonic() - self._wall,
            time.process_time() - self._cpu,
            self._emulator.cpu_seconds() - self._jvm,
        )


def warm_emulator(setup: Setup) -> tuple[DynamoDBLocal, Any]:
    """A new DynamoDB Local, its JIT warmed up on a table of its own without a stream.

    Each measurement gets one: DynamoDB Local slows down with every table with a stream it
    holds, so two measurements in one emulator would not be alike."""
    folder = Path(tempfile.mkdtemp(prefix="bench-import-ddb-")) if setup.on_disk else None
    emulator = DynamoDBLocal(free_port(), db_path=folder, java_options=setup.java_options)
    emulator.start(timeout=60)
    threads = setup.threads
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


def stop(emulator: DynamoDBLocal) -> None:
    emulator.stop()
    if emulator.db_path is not None:
        shutil.rmtree(emulator.db_path, ignore_errors=True)


def import_into_emulator(database: Path, setup: Setup) -> tuple[Report, Measured, list[Raw], int]:
    """The import of ``database`` into a table as make run's (one table, with its stream)."""
    emulator, client = warm_emulator(setup)
    try:
        ensure_table(client, TABLE)
        reader = open_reader(parse_source(f"sqlite://{database}"))
        sealer = LocalLinkSealer(os.urandom(32))
        writer = TableWriter(client, TABLE, sealer, SystemClock(), setup.threads)
        clocks = Clocks(emulator)
        try:
            report = run(reader, writer, "import", Context(slug_taken=writer.slug_taken))
            writer.close()
        finally:
            reader.close()
        measured = clocks.stop()
        return report, measured, scan(client, TABLE), writer.batch.requests
    finally:
        stop(emulator)


def bare_write(items: list[Raw], setup: Setup) -> Measured:
    """The same items into the same kind of table with BatchWriteItem and nothing else."""
    emulator, client = warm_emulator(setup)
    try:
        ensure_table(client, TABLE)
        writer = BatchWriter(client, TABLE, setup.threads)
        clocks = Clocks(emulator)
        for item in items:
            writer.put(item)
        writer.flush()
        writer.close()
        return clocks.stop()
    finally:
        stop(emulator)


def figures(what: str, items: int, measured: Measured) -> str:
    return (
        f"{what}: {items} items in {measured.seconds:.1f} s = {items / measured.seconds:.0f} items/s; "
        f"CPU: Python {measured.python_cpu:.1f} s, emulator {measured.emulator_cpu:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appointments", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--threads", type=int, default=WRITERS, help=f"writers (make import: {WRITERS})")
    parser.add_argument("--on-disk", action="store_true", help="the emulator on a folder, as make import")
    parser.add_argument(
        "--java-options",
        default=" ".join(JAVA_OPTIONS),
        help=f"the emulator's JVM options, instead of devtools' ({' '.join(JAVA_OPTIONS)}); '' for none",
    )
    args = parser.parse_args()
    setup = Setup(args.threads, args.on_disk, tuple(args.java_options.split()))
    started = time.monotonic()
    database = generate(
        Path(tempfile.mkdtemp(prefix="bench-import-")) / "dev.db", args.users, args.appointments
    )
    took = time.monotonic() - started
    print(f"old database: {args.users} users, {args.appointments} appointments, made in {took:.0f} s")
    print(setup.describe())
    report, imported, items, requests = import_into_emulator(database, setup)
    appointments = report.table_totals()["appointments"]["imported"]
    kinds = Counter(str(item["type"]["S"]) for item in items)
    print(figures(f"import of {appointments} appointments", len(items), imported))
    print(f"  {appointments / imported.seconds:.0f} appointments/s, {requests} requests")
    print(f"  items: {', '.join(f'{kind} {n}' for kind, n in kinds.most_common())}")
    bare = bare_write(items, setup)
    print(figures("bare BatchWriteItem of the same items", len(items), bare))
    print(f"ratio import / bare: {imported.seconds / bare.seconds:.2f} (wall time)")
    per_100k = imported.seconds * 100_000 / max(appointments, 1)
    print(f"100,000 appointments at this rate: {per_100k:.0f} s ({per_100k / 60:.1f} min); target 180 s")
    print(f"load average after: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")


if __name__ == "__main__":
    main()
