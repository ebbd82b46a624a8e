"""python -m importer and make import as an operator runs them: exit codes, report, no password shown."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from devtools.postgres import PostgresServer

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
MAKE = shutil.which("make") or "make"


def make(*args: str) -> subprocess.CompletedProcess[str]:
    """The Makefile target as typed on a terminal (it installs nothing once `make install` ran)."""
    return subprocess.run(  # noqa: S603 - our own command line
        [MAKE, "--no-print-directory", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def importer(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, "-m", "importer", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **(env or {})},
    )


def test_a_dry_run_writes_the_report_and_prints_the_summary(sqlite_story: Path, tmp_path: Path) -> None:
    report_path = tmp_path / "reports" / "first.json"
    done = importer("--from", f"sqlite://{sqlite_story}", "--dry-run", "--report", str(report_path))
    assert done.returncode == 0, done.stderr
    assert "appointments" in done.stdout and "Dry run: nothing was written." in done.stdout
    assert f"Report: {report_path}" in done.stdout and "ck_ana" in done.stdout
    report = json.loads(report_path.read_text())
    assert report["mode"] == "dry-run" and report["schema_version"] == 1
    assert report["totals"]["users"] == {"read": 3, "imported": 2, "refused": 1}
    assert report["totals"]["tables"]["appointments"] == {"read": 12, "imported": 8, "refused": 4}
    assert stat.S_IMODE(report_path.stat().st_mode) == 0o600
    assert "Traceback" not in done.stderr


def test_a_report_folder_gets_a_report_named_by_time_and_an_unwritable_one_is_one_line(
    sqlite_story: Path, tmp_path: Path
) -> None:
    done = importer("--from", f"sqlite://{sqlite_story}", "--dry-run", "--report", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert [p.name.startswith("dry-run-") for p in tmp_path.glob("*.json")] == [True]
    blocked = tmp_path / "file"
    blocked.write_text("")
    done = importer("--from", f"sqlite://{sqlite_story}", "--dry-run", "--report", str(blocked / "r.json"))
    assert done.returncode == 2 and done.stderr.startswith("The report cannot be written to")
    assert "Traceback" not in done.stderr


def test_without_dry_run_it_says_writing_is_not_available_and_touches_nothing(tmp_path: Path) -> None:
    done = importer("--from", f"sqlite://{tmp_path}/not-read.db", "--report", str(tmp_path / "r.json"))
    assert done.returncode == 2
    assert "not available yet" in done.stderr and "--dry-run" in done.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        ((), 2, "Name the old database"),
        (("--from", "mysql://root@db/app", "--dry-run"), 2, "not supported"),
        (
            ("--from", "sqlite:///nowhere/dev.db", "--dry-run"),
            1,
            "There is no SQLite file at /nowhere/dev.db.",
        ),
    ],
)
def test_what_cannot_run_is_one_line_and_an_exit_code(args: tuple[str, ...], code: int, words: str) -> None:
    done = importer(*args, env={"IMPORT_FROM": ""})
    assert (done.returncode, done.stdout) == (code, "")
    assert words in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_a_garbage_file_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    garbage = tmp_path / "dev.db"
    garbage.write_bytes(os.urandom(8192))
    done = importer("--from", f"file:{garbage}", "--dry-run")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert (
        done.stderr.strip()
        == f"{garbage} is not a SQLite database the import can read (file is not a database)."
    )


def test_the_url_can_come_from_the_environment_and_the_report_from_a_default_path(
    sqlite_story: Path, tmp_path: Path
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "importer", "--dry-run"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "IMPORT_FROM": f"sqlite://{sqlite_story}", "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    written = list((tmp_path / "var" / "import").glob("dry-run-*.json"))
    assert len(written) == 1 and json.loads(written[0].read_text())["totals"]["users"]["imported"] == 2


def test_make_import_runs_the_dry_run_and_never_shows_the_password(
    postgres: PostgresServer, pg_story: str, tmp_path: Path
) -> None:
    report_path = tmp_path / "pg.json"
    done = make("import", f"FROM={pg_story}?sslmode=disable", "DRY_RUN=1", f"REPORT={report_path}")
    assert done.returncode == 0, done.stderr
    assert "Dry run: nothing was written." in done.stdout
    shown = done.stdout + done.stderr + report_path.read_text()
    assert postgres.password not in shown
    assert json.loads(report_path.read_text())["source"].startswith("postgresql://importer:***@127.0.0.1:")
    not_dry = make("import", f"FROM={pg_story}")
    assert not_dry.returncode != 0 and "not available yet" in not_dry.stdout + not_dry.stderr
    assert postgres.password not in not_dry.stdout + not_dry.stderr
