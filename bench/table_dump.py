"""A whole table to JSON Lines and back into an empty table on DynamoDB Local: items per second.

    .venv/bin/python bench/table_dump.py                 # 20,000 items
    .venv/bin/python bench/table_dump.py --items 100000

Seeds a table with appointment-sized items (about 0.6 KB each, bench/restore.py's), exports it
with infra/table_dump.py, restores the file into an empty table (two passes: marked, then exact)
and compares the table with the file. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.restore import item
from chalicelib.adapters.dynamo.table import ensure_table
from devtools.dynamodb_local import DynamoDBLocal, client, free_port
from infra.restore import write_batch
from infra.table_dump import differences, export_table, restore_table


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--items", type=int, default=20_000)
    args = parser.parse_args()
    emulator = DynamoDBLocal(free_port())
    emulator.start()
    try:
        ddb = client(emulator.endpoint)
        ensure_table(ddb, "bench-source")
        ensure_table(ddb, "bench-target")
        for start in range(0, args.items, 25):
            write_batch(ddb, "bench-source", [item(n) for n in range(start, min(start + 25, args.items))])
        with tempfile.TemporaryDirectory() as folder:
            for name in ("table.jsonl", "table.jsonl.gz"):
                out = Path(folder) / name
                done = export_table(ddb, "bench-source", out)
                size = out.stat().st_size / 1e6
                rate = f"{done.items_per_second:.0f}/s"
                print(f"export {name}: {done.items} items in {done.seconds:.1f} s = {rate}, {size:.1f} MB")
            restored = restore_table(ddb, "bench-target", out)
            rate = f"{restored.items_per_second:.0f}/s"
            print(f"restore (two passes): {restored.items} items in {restored.seconds:.1f} s = {rate}")
            started = time.monotonic()
            found = differences(ddb, "bench-target", out)
            print(f"compare: {len(found)} differences in {time.monotonic() - started:.1f} s")
    finally:
        emulator.stop()


if __name__ == "__main__":
    main()
