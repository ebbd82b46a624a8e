"""python -m importer --from URL --dry-run [--report PATH]

Reads the old app's database, converts and checks every row, and writes a JSON report plus a
summary on the terminal. Writing into this service's table is not available yet: without
--dry-run the command says so and stops before connecting to anything.
Exit status: 0 done, 1 the source could not be read, 2 the command cannot run as asked.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console

from importer.pipeline import DryRun, open_reader, run
from importer.report import Report
from importer.schema import NOT_CARRIED, NOT_READ
from importer.source import Source, SourceError, parse_source
from importer.terminal import progress_bar, summary

ENV_SOURCE = "IMPORT_FROM"  # how `make import FROM=...` hands the URL over (not on a command line)
REPORT_DIR = Path("var") / "import"
WRITE_NOT_AVAILABLE = (
    "Writing into this service's table is not available yet: run with --dry-run "
    "(make import FROM=... DRY_RUN=1) to read, check and report without writing anything."
)


def parser() -> argparse.ArgumentParser:
    parse = argparse.ArgumentParser(prog="python -m importer", description="Import the old app's data.")
    parse.add_argument(
        "--from", dest="source", metavar="URL", help=f"the old app's DATABASE_URL (or ${ENV_SOURCE})"
    )
    parse.add_argument("--dry-run", action="store_true", help="read, check and report; write nothing")
    parse.add_argument(
        "--report", type=Path, metavar="PATH", help=f"the JSON report, or its folder (default {REPORT_DIR})"
    )
    return parse


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    # A report piped to a file or a CI log gets tables wide enough for a 26-character id.
    out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 120)
    err = Console(stderr=True, soft_wrap=True)
    url = args.source or os.environ.get(ENV_SOURCE, "")
    if not url:
        err.print(f"Name the old database: --from URL (or {ENV_SOURCE}=URL).", markup=False)
        return 2
    if not args.dry_run:
        err.print(WRITE_NOT_AVAILABLE, markup=False)
        return 2
    try:
        source = parse_source(url)
    except SourceError as error:
        err.print(str(error), markup=False)
        return 2
    try:
        report = dry_run(source, err)
    except SourceError as error:
        err.print(source.scrub(str(error)), markup=False)
        return 1
    except KeyboardInterrupt:
        err.print("Stopped; nothing was written.", markup=False)
        return 130
    try:
        path = write_report(report, args.report)
    except OSError as error:
        err.print(
            f"The report cannot be written to {error.filename or args.report}: {error.strerror}.",
            markup=False,
        )
        return 2
    summary(report, path, out)
    out.print(
        "Dry run: nothing was written. Not checked by a dry run: slugs already taken here.", markup=False
    )
    return 0


def dry_run(source: Source, err: Console) -> Report:
    reader = open_reader(source)
    try:
        total = sum(reader.counts().values())
        with progress_bar(total, err) as advance:
            return run(reader, DryRun(), "dry-run", progress=advance)
    finally:
        reader.close()


def write_report(report: Report, path: Path | None) -> Path:
    if path is None or path.is_dir():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        path = (path or REPORT_DIR) / f"{report.mode}-{stamp}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report.as_json(NOT_READ, NOT_CARRIED), indent=1, ensure_ascii=False) + "\n"
    partial = path.with_name(path.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    partial.replace(path)
    return path
