"""python -m importer and make import as an operator runs them: exit codes, report, no password shown."""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from devtools.dynamodb_local import DynamoDBLocal, client, free_port, port_is_free
from devtools.postgres import PostgresServer
from tests.importer.writing import scan

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
MAKE = shutil.which("make") or "make"


def make(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The Makefile target as typed on a terminal (it installs nothing once `make install` ran)."""
    return subprocess.run(  # noqa: S603 - our own command line
        [MAKE, "--no-print-directory", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, **(env or {})},
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


# Written once per booking and never compared again (a token, reminders the sweep moves on).
NOT_COMPARED = {"booking_ref", "manage_link", "reminder"}


def test_an_import_writes_the_table_and_a_second_run_changes_nothing(
    sqlite_story: Path, tmp_path: Path, local_env: dict[str, str], fresh_table: str, ddb_client: Any
) -> None:
    env = {"TABLE_NAME": fresh_table, "VAR_DIR": str(tmp_path / "var")}
    first = importer("--from", f"sqlite://{sqlite_story}", "--report", str(tmp_path / "1.json"), env=env)
    assert first.returncode == 0, first.stderr
    assert f"Written into table {fresh_table}" in first.stdout and "Items written:" in first.stdout
    report = json.loads((tmp_path / "1.json").read_text())
    assert (report["mode"], report["complete"]) == ("import", True)
    assert report["totals"]["write_states"] == {"written": 2}
    written = Counter[str]()
    for user in report["users"]:
        written.update(user.get("write", {}).get("written", {}))
    assert written["appointment"] == 8 and written["reminder"] == 10 and written["slug"] == 2
    before = scan(ddb_client, fresh_table)

    second = importer("--from", f"sqlite://{sqlite_story}", "--report", str(tmp_path / "2.json"), env=env)
    assert second.returncode == 0, second.stderr
    again = json.loads((tmp_path / "2.json").read_text())
    assert again["totals"]["write_states"] == {"already imported": 2}
    unchanged = Counter[str]()
    for user in again["users"]:
        assert not user.get("write", {}).get("written") and not user.get("write", {}).get("differs")
        unchanged.update(user.get("write", {}).get("unchanged", {}))
    assert again["totals"]["items"]["written"] == 0
    assert unchanged == Counter({kind: n for kind, n in written.items() if kind not in NOT_COMPARED})
    assert sorted(map(str, scan(ddb_client, fresh_table))) == sorted(map(str, before)), "nothing changed"


def test_the_import_starts_dynamodb_local_on_var_or_uses_the_one_running(
    sqlite_story: Path, tmp_path: Path
) -> None:
    var, port = tmp_path / "var", free_port()
    env = {"DYNAMODB_ENDPOINT": "", "DYNAMODB_PORT": str(port), "VAR_DIR": str(var), "TABLE_NAME": ""}
    alone = importer("--from", f"sqlite://{sqlite_story}", "--report", str(tmp_path / "1.json"), env=env)
    assert alone.returncode == 0, alone.stderr
    assert f"data in {var / 'dynamodb'} (started for the import)" in alone.stdout
    assert port_is_free(port), "the emulator it started is stopped"
    running = DynamoDBLocal(port, db_path=var / "dynamodb")  # as make run keeps it
    running.start()
    try:
        found = client(running.endpoint).scan(TableName="scheduler-local", Select="COUNT")["Count"]
        assert found > 50, "the data is in var/dynamodb"
        again = importer("--from", f"sqlite://{sqlite_story}", "--report", str(tmp_path / "2.json"), env=env)
        assert again.returncode == 0, again.stderr
        assert "(make run's)" in again.stdout
        assert json.loads((tmp_path / "2.json").read_text())["totals"]["write_states"] == {
            "already imported": 2
        }
    finally:
        running.stop()


def test_a_port_taken_by_something_else_is_one_line(sqlite_story: Path, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {"DYNAMODB_ENDPOINT": "", "DYNAMODB_PORT": str(port), "VAR_DIR": str(tmp_path)}
        done = importer("--from", f"sqlite://{sqlite_story}", env=env)
    assert done.returncode == 2 and done.stdout == ""
    assert f"Port {port} is in use by something that is not DynamoDB Local" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and not (tmp_path / "dynamodb").exists()


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


def test_make_import_runs_and_never_shows_the_password(
    postgres: PostgresServer, pg_story: str, tmp_path: Path, local_env: dict[str, str], fresh_table: str
) -> None:
    report_path = tmp_path / "pg.json"
    done = make("import", f"FROM={pg_story}?sslmode=disable", "DRY_RUN=1", f"REPORT={report_path}")
    assert done.returncode == 0, done.stderr
    assert "Dry run: nothing was written." in done.stdout
    shown = done.stdout + done.stderr + report_path.read_text()
    assert postgres.password not in shown
    assert json.loads(report_path.read_text())["source"].startswith("postgresql://importer:***@127.0.0.1:")
    writing = make("import", f"FROM={pg_story}", env={"TABLE_NAME": fresh_table, "VAR_DIR": str(tmp_path)})
    assert writing.returncode == 0, writing.stderr
    assert f"Written into table {fresh_table}" in writing.stdout
    assert postgres.password not in writing.stdout + writing.stderr
