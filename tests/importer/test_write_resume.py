"""An import stopped anywhere finishes when started again, with what a run that never stopped
writes: no duplicate, nothing left over, users done before untouched."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bench.old_app_data import generate
from chalicelib.adapters.dynamo.bulk import Key, Raw
from chalicelib.adapters.dynamo.table import IMPORTED_ATTRIBUTE, ensure_table
from chalicelib.domain.booking.appointments import parse_z
from importer.pipeline import open_reader
from importer.source import parse_source
from tests.importer.writing import ROOT, Recording, scan, write_import

pytestmark = pytest.mark.integration
# What differs between two runs by design: a manage token (new per booking), when reminders were
# planned, and the run that wrote an appointment. Anything else differing is a bug.
VOLATILE = {
    "booking_ref": {"token_hash"},
    "manage_link": {"sealed_token"},
    "reminder": {"updated_at"},
    "appointment": {IMPORTED_ATTRIBUTE},
}
SOON = timedelta(minutes=10)


def stable(ddb: Any, table: str) -> dict[Key, Raw]:
    """The table's items less what differs between runs by design, and less reminders coming due
    while the test runs (one run plans them, the next does not)."""
    view: dict[Key, Raw] = {}
    for item in scan(ddb, table):
        kind = item["type"]["S"]
        if kind == "migration":
            continue
        if kind == "reminder" and parse_z(item["due"]["S"]) < datetime.now(UTC) + SOON:
            continue
        view[(item["PK"]["S"], item["SK"]["S"])] = {
            name: value for name, value in item.items() if name not in VOLATILE.get(kind, set())
        }
    return view


def assert_same_tables(ddb: Any, resumed: str, clean: str) -> None:
    got, want = stable(ddb, resumed), stable(ddb, clean)
    assert got.keys() == want.keys(), (
        sorted(got.keys() - want.keys())[:5],
        sorted(want.keys() - got.keys())[:5],
    )
    differing = [key for key in want if got[key] != want[key]]
    assert not differing, [(got[k], want[k]) for k in differing[:2]]


class StopsInsideTheThirdUser(Recording):
    """Writes two users, then stops amid the third one's batches (some sent, some not)."""

    users = 0
    puts = 0

    def _store_user(self, *args: Any) -> None:
        self.users += 1
        super()._store_user(*args)

    def _put(self, *args: Any) -> bool:
        if self.users == 3:
            self.puts += 1
            # Past its catalog (clients with their search keys) and its busy time: what was put
            # so far is sent, the rest of the user is not, whatever the writer threads' timing.
            if self.puts == 110:
                self.batch.flush()
                raise RuntimeError("stopped")
        return super()._put(*args)


def import_file(database: Path, ddb: Any, table: str, writer: type[Recording] = Recording) -> Any:
    reader = open_reader(parse_source(f"sqlite://{database}"))
    try:
        return write_import(reader, ddb, table, writer=writer)
    finally:
        reader.close()


def other_table(ddb: Any, fresh_table: str) -> str:
    name = f"{fresh_table[:200]}-clean"
    ensure_table(ddb, name)
    return name


def test_a_run_stopped_inside_a_user_is_finished_by_the_next(
    container: Any, ddb_client: Any, fresh_table: str, tmp_path: Path
) -> None:
    database = generate(tmp_path / "dev.db", users=5, appointments=150)
    with pytest.raises(RuntimeError, match="stopped"):
        import_file(database, ddb_client, fresh_table, StopsInsideTheThirdUser)
    # Meanwhile the old app cancels one of the third user's future appointments: its blocks, which
    # the stopped run wrote, are not wanted any more.
    with sqlite3.connect(database) as conn:
        changed = conn.execute(
            "UPDATE appointments SET status = 'CANCELLED' WHERE id = (SELECT id FROM appointments"
            " WHERE user_id = 'ck_user_00002' AND status IN ('SCHEDULED', 'CONFIRMED') ORDER BY id LIMIT 1)"
        ).rowcount
    assert changed == 1

    outcome = import_file(database, ddb_client, fresh_table)

    states = {u.old_id: u.write.state for u in outcome.report.users if u.write}
    assert states == {
        "ck_user_00000": "already imported",
        "ck_user_00001": "already imported",
        "ck_user_00002": "resumed",
        "ck_user_00003": "written",
        "ck_user_00004": "written",
    }
    third = next(u.write for u in outcome.report.users if u.old_id == "ck_user_00002")
    assert third is not None and third.deleted["block"] >= 1 and third.unchanged["client"] > 0
    done_before = [u.write for u in outcome.report.users if u.old_id in ("ck_user_00000", "ck_user_00001")]
    assert all(w is not None and not w.written and not w.differs and not w.missing for w in done_before)
    clean = other_table(ddb_client, fresh_table)
    import_file(database, ddb_client, clean)
    assert_same_tables(ddb_client, fresh_table, clean)


def provider_count(ddb: Any, table: str) -> int:
    kwargs: dict[str, Any] = {
        "TableName": table,
        "FilterExpression": "#t = :p",
        "ExpressionAttributeNames": {"#t": "type"},
        "ExpressionAttributeValues": {":p": {"S": "provider"}},
        "Select": "COUNT",
    }
    found = 0
    while True:
        page = ddb.scan(**kwargs)
        found += int(page["Count"])
        if "LastEvaluatedKey" not in page:
            return found
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def test_an_import_killed_halfway_finishes_when_run_again(
    local_env: dict[str, str], container: Any, ddb_client: Any, fresh_table: str, tmp_path: Path
) -> None:
    database = generate(tmp_path / "dev.db", users=60, appointments=1800)
    command = [sys.executable, "-m", "importer", "--from", f"sqlite://{database}", "--report", str(tmp_path)]
    env = {**os.environ, "TABLE_NAME": fresh_table, "VAR_DIR": str(tmp_path / "var")}
    running = subprocess.Popen(  # noqa: S603 - our own command line
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 240
    while (
        provider_count(ddb_client, fresh_table) < 3 and running.poll() is None and time.monotonic() < deadline
    ):
        time.sleep(0.1)
    assert running.poll() is None, "the import ended before it could be stopped: give it more data"
    running.send_signal(signal.SIGKILL)
    running.wait()
    stopped_at = provider_count(ddb_client, fresh_table)
    assert 3 <= stopped_at < 60

    again = subprocess.run(  # noqa: S603 - our own command line
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert again.returncode == 0, again.stderr
    assert provider_count(ddb_client, fresh_table) == 60
    clean = other_table(ddb_client, fresh_table)
    import_file(database, ddb_client, clean)
    assert_same_tables(ddb_client, fresh_table, clean)
