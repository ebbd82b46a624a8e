"""python -m importer --from URL [--dry-run] [--report PATH]

Reads the old app's database, converts and checks every row, writes each user's data into the
stage's table (docs/import.md; with --dry-run, nothing), and writes a JSON report plus a summary
on the terminal.
Exit status: 0 done, 1 the source could not be read, 2 the command cannot run as asked, 3 the
table stopped taking writes (run again: it goes on where it stopped), 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from importer.convert import Context
from importer.pipeline import DryRun, new_report, open_reader, run
from importer.report import Report
from importer.rows import Reader
from importer.schema import NOT_CARRIED, NOT_READ
from importer.source import Source, SourceError, parse_source
from importer.terminal import progress_bar, summary

if TYPE_CHECKING:
    from importer.write.target import Target

ENV_SOURCE = "IMPORT_FROM"  # how `make import FROM=...` hands the URL over (not on a command line)
REPORT_DIR = Path("var") / "import"
WRITERS = 2  # threads sending batches: DynamoDB Local gains little from more on 2 cores
STOPPED = "Run the same command again: it goes on where it stopped, and nothing is imported twice."


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
    try:
        source = parse_source(url)
    except SourceError as error:
        err.print(str(error), markup=False)
        return 2
    if args.dry_run:
        return _dry_run(source, args.report, out, err)
    return _import(source, args.report, out, err)


def _dry_run(source: Source, report_path: Path | None, out: Console, err: Console) -> int:
    try:
        report = dry_run(source, err)
    except SourceError as error:
        err.print(source.scrub(str(error)), markup=False)
        return 1
    except KeyboardInterrupt:
        err.print("Stopped; nothing was written.", markup=False)
        return 130
    path = _report(report, report_path, err)
    if path is None:
        return 2
    summary(report, path, out)
    out.print(
        "Dry run: nothing was written. Not checked by a dry run: slugs already taken here.", markup=False
    )
    return 0


def _import(source: Source, report_path: Path | None, out: Console, err: Console) -> int:
    from importer.write.target import TargetError, open_target

    reader = None
    try:
        target = open_target(os.environ, pool=WRITERS + 2)
    except TargetError as error:
        err.print(str(error), markup=False)
        return 2
    try:
        reader = open_reader(source)
        report = new_report(reader, "import")
        code = _write(reader, target, report, err)
    except SourceError as error:
        err.print(source.scrub(str(error)), markup=False)
        return 1
    finally:
        if reader is not None:
            reader.close()
        target.close()
    path = _report(report, report_path, err)
    if path is None:
        return 2
    summary(report, path, out)
    if code == 0:
        out.print(f"Written into {target.where}.", markup=False)
    return code


def _write(reader: Reader, target: Target, report: Report, err: Console) -> int:
    """Run the import into the target; 0, or 3 / 130 when it stopped (said on ``err``)."""
    from botocore.exceptions import BotoCoreError, ClientError

    from chalicelib.adapters.dynamo.bulk import UnprocessedError
    from chalicelib.services.shared import SystemClock
    from importer.write.writer import TableWriter

    writer = TableWriter(target.client, target.settings.table_name, target.sealer, SystemClock(), WRITERS)
    try:
        try:
            total = sum(reader.counts().values())
            with progress_bar(total, err, "Importing rows") as advance:
                run(reader, writer, "import", Context(slug_taken=writer.slug_taken), advance, report)
            writer.close()  # the last users' writes; raises what failed
        except BaseException:
            writer.close(wait=False)
            raise
    except (BotoCoreError, ClientError, UnprocessedError) as error:
        done = sum(1 for user in report.users if user.write is not None)
        err.print(
            f"The table stopped taking writes after {done} users ({type(error).__name__}). {STOPPED}",
            markup=False,
        )
        return 3
    except KeyboardInterrupt:
        err.print(f"Stopped. {STOPPED}", markup=False)
        return 130
    return 0


def _report(report: Report, report_path: Path | None, err: Console) -> Path | None:
    try:
        return write_report(report, report_path)
    except OSError as error:
        err.print(
            f"The report cannot be written to {error.filename or report_path}: {error.strerror}.",
            markup=False,
        )
        return None


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
