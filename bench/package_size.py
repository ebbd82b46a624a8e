"""Print the size of the Lambda deployment zip, before and after infra/slim.py, and what fills it.

    make bench-size                       # packages prod, then prints
    .venv/bin/python bench/package_size.py --build build/prod

Figures, not assertions (the 15 MB limit is checked by tests/integration/test_packaged_template.py).
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

MB = 1024 * 1024
LIMIT_BYTES = 15 * MB


def by_top_level(path: Path) -> dict[str, tuple[int, int]]:
    """Top-level name -> (compressed, uncompressed) bytes."""
    sizes: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            top = info.filename.split("/", 1)[0]
            if top.endswith(".dist-info"):
                top = "*.dist-info"
            sizes[top][0] += info.compress_size
            sizes[top][1] += info.file_size
    return {name: (packed, unpacked) for name, (packed, unpacked) in sizes.items()}


def describe(label: str, path: Path) -> dict[str, tuple[int, int]]:
    tops = by_top_level(path)
    unpacked = sum(u for _, u in tops.values())
    print(f"{label:<38} {path.stat().st_size / MB:6.1f} MB zip, {unpacked / MB:6.1f} MB unpacked  ({path})")
    return tops


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, default=Path("build/prod"))
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args(argv)
    chalice_zip, final_zip = args.build / "chalice" / "deployment.zip", args.build / "deployment.zip"
    if not final_zip.exists() or not chalice_zip.exists():
        print(f"{final_zip} is missing: run `make package` first", file=sys.stderr)
        return 1
    before = describe("chalice package (Lambda requirements)", chalice_zip)
    after = describe("deployed (runtime-provided removed)", final_zip)
    removed = sorted(set(before) - set(after))
    print(f"left out: {', '.join(removed) or 'nothing'}")
    headroom = (LIMIT_BYTES - final_zip.stat().st_size) / MB
    print(f"limit 15 MB: {'within' if headroom >= 0 else 'OVER'} ({headroom:+.1f} MB)")
    print(f"\nlargest in the deployed zip (top {args.top}):")
    print(f"  {'name':<28} {'zip MB':>7} {'unpacked MB':>12}")
    for name, (packed, unpacked) in sorted(after.items(), key=lambda kv: -kv[1][0])[: args.top]:
        print(f"  {name:<28} {packed / MB:7.2f} {unpacked / MB:12.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
