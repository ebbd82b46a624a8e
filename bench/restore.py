"""The restore drill's copy-back on DynamoDB Local: items per second, and the time for 100,000.

    make bench-restore                   # 100,000 items
    .venv/bin/python bench/restore.py --items 20000

Seeds a "restored copy" with appointment-sized items (about 0.6 KB each; no stream, as a restored
table has none), then copies it into an empty live table (with its stream) with infra/restore.py's
copy_back and compares the two. Prints figures; asserts
nothing. In AWS the copy is bound by the table's write throughput (on demand: up to 40,000 write
units a second per table by default), not by the emulator.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chalicelib.adapters.dynamo.table import ensure_table, table_definition
from devtools.dynamodb_local import DynamoDBLocal, client, free_port
from infra.restore import copy_back, differences, write_batch

NOTES = "Prefers mornings; parking at the back. " * 8


def item(n: int) -> dict[str, dict[str, str]]:
    pid = f"p{n % 500:04d}"
    return {
        "PK": {"S": f"PROVIDER#{pid}"},
        "SK": {"S": f"APPT#{n:08d}"},
        "type": {"S": "appointment"},
        "provider_id": {"S": pid},
        "client_id": {"S": f"c{n % 7000:05d}"},
        "start": {"S": "2030-01-01T09:00:00Z"},
        "end": {"S": "2030-01-01T10:00:00Z"},
        "status": {"S": "confirmed"},
        "notes": {"S": NOTES},
        "GSI1PK": {"S": f"PROVIDER#{pid}#CAL"},
        "GSI1SK": {"S": f"2030-01-01T09:00:00Z#{n:08d}"},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument(
        "--segments", type=int, default=1, help="DynamoDB Local serialises writes: 1 is fastest"
    )
    args = parser.parse_args()
    emulator = DynamoDBLocal(free_port())
    emulator.start()
    try:
        ddb = client(emulator.endpoint)
        # As in AWS: a restored table has no stream; the live table has its stream.
        copy = table_definition("bench-copy")
        copy.pop("StreamSpecification")
        ddb.create_table(**copy)
        ensure_table(ddb, "bench-live")
        started = time.monotonic()
        batch: list[dict[str, dict[str, str]]] = []
        for n in range(args.items):
            batch.append(item(n))
            if len(batch) == 25:
                write_batch(ddb, "bench-copy", batch)
                batch = []
        if batch:
            write_batch(ddb, "bench-copy", batch)
        print(f"seeded {args.items} items in {time.monotonic() - started:.1f} s")
        report = copy_back(ddb, "bench-copy", "bench-live", run_id="bench", segments=args.segments)
        per_100k = 100_000 / report.items_per_second if report.items_per_second else 0.0
        rate = report.items_per_second
        print(f"copy back, {args.segments} segment(s): {report.copied} items in {report.seconds:.1f} s")
        print(f"  = {rate:.0f} items/s")
        print(f"copy back of 100,000 items at that rate: {per_100k:.0f} s ({per_100k / 60:.1f} min)")
        started = time.monotonic()
        diff = differences(ddb, "bench-copy", "bench-live")
        print(f"compare: {len(diff)} differences, {time.monotonic() - started:.1f} s")
    finally:
        emulator.stop()


if __name__ == "__main__":
    main()
