"""``make run``: DynamoDB Local + the app on http://127.0.0.1:$PORT, stopped together."""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Any

from devtools.dynamodb_local import (
    ROOT,
    DynamoDBLocal,
    SetupError,
    client,
    die_with_parent,
    port_is_free,
)

STAGE = "local"
SWEEP_EVERY_SECONDS = 60.0
CALENDAR_SYNC_EVERY_SECONDS = 60.0  # every 10 minutes in AWS; more often here, to see a change soon
STREAM_POLL_SECONDS = 1.0


def _exit_on_signal(_signum: int, _frame: FrameType | None) -> None:
    """Ctrl-C or SIGTERM is the normal way to stop: clean up (the finally blocks) and exit 0."""
    raise SystemExit(0)


def main() -> int:
    os.environ["STAGE"] = STAGE  # the app has no default stage; this runner is the local one
    port = int(os.environ.get("PORT", "8000"))
    ddb_port = int(os.environ.get("DYNAMODB_PORT", "8001"))
    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGINT, _exit_on_signal)
    die_with_parent()  # if make is killed, we still stop the emulator
    if not port_is_free(port):
        raise SetupError(f"Port {port} is already in use; stop what uses it or run 'make run PORT=8080'.")
    var_dir = Path(os.environ.setdefault("VAR_DIR", str(ROOT / "var")))
    external = os.environ.get("DYNAMODB_ENDPOINT")
    if external:  # a DynamoDB (Local) someone else runs: use it, start none
        try:
            serve(port, external)
        finally:
            print("Stopped the app.", flush=True)
        return 0
    ddb = DynamoDBLocal(ddb_port, db_path=var_dir / "dynamodb")
    try:
        ddb.start()
        serve(port, ddb.endpoint)
    finally:
        ddb.stop()
        print("Stopped the app and DynamoDB Local.", flush=True)
    return 0


def serve(port: int, endpoint: str) -> None:
    from chalice.cli.factory import CLIFactory

    from chalicelib import bootstrap
    from chalicelib.adapters.dynamo.table import ensure_table
    from devtools.gateway import create_server
    from devtools.seed import DEMO_EMAIL, seed_demo, table_is_empty
    from infra import migrate

    os.environ["DYNAMODB_ENDPOINT"] = endpoint
    os.environ.setdefault("PUBLIC_BASE_URL", f"http://127.0.0.1:{port}")
    factory = CLIFactory(project_dir=str(ROOT), environ=os.environ)
    config = factory.create_config_obj(chalice_stage_name=STAGE)
    app = config.chalice_app  # loads app.py with the stage's environment variables
    settings = bootstrap.settings()
    ddb = client(endpoint)
    if ensure_table(ddb, settings.table_name):
        print(f"Created table {settings.table_name}.")
    if table_is_empty(ddb, settings.table_name):
        seed_demo(bootstrap.container().repo)
        print(f"Seeded the demo provider ({DEMO_EMAIL}, slug 'demo').")
    # Data kept from an older version is brought up to date, as the deploy does in AWS.
    applied = migrate.run(ddb, settings.table_name, migrate.MIGRATIONS)
    if applied:
        print(f"Applied data migrations: {', '.join(applied)}.")
    server = create_server(app, config, "127.0.0.1", port)
    stop = threading.Event()
    jobs = start_jobs(ddb, endpoint, settings.table_name, stop)
    base = f"http://127.0.0.1:{port}"
    print(
        f"\nscheduler is running on {base}\n"
        f"  DynamoDB Local on {endpoint}, data kept in {os.environ['VAR_DIR']}/dynamodb\n"
        f"  emails:       written as .eml files to {os.environ['VAR_DIR']}/mail\n"
        f"  health:       {base}/health\n"
        f"  dev login:    curl -s -X POST {base}/dev/login -H 'Content-Type: application/json' "
        f'-d \'{{"email": "{DEMO_EMAIL}"}}\'\n'
        "Press Ctrl-C to stop.\n",
        flush=True,
    )
    try:
        server.serve_forever()
    finally:
        stop.set()
        for job in jobs:
            job.join(timeout=10)
        server.server.server_close()


def start_jobs(ddb: Any, endpoint: str, table_name: str, stop: threading.Event) -> list[threading.Thread]:
    """What Lambda runs in AWS, run here on threads: the stream consumer, the reminder sweep and the
    calendar sync."""
    from chalicelib import bootstrap
    from chalicelib.jobs import outbox
    from chalicelib.observability import flush_metrics
    from devtools.streams import StreamPoller

    jobs = bootstrap.container().jobs

    def consume(records: list[dict[str, Any]]) -> list[str]:
        failed = outbox.handle_records(records, jobs.outbox)
        flush_metrics()
        return failed

    # From the oldest record kept: bookings made while the runner was stopped still get their
    # emails; records already handled are skipped by their markers.
    poller = StreamPoller(ddb, endpoint, table_name, consume, start="TRIM_HORIZON")

    def sweep_every_minute() -> None:
        while not stop.wait(SWEEP_EVERY_SECONDS):
            try:
                jobs.sweep.run()
                flush_metrics()
            except Exception as error:  # noqa: BLE001 - keep ticking; the next run catches up
                print(f"reminder sweep: {type(error).__name__}: {error}", flush=True)

    def sync_calendars_every_minute() -> None:
        calendar_sync = bootstrap.container().calendar_sync
        while not stop.wait(CALENDAR_SYNC_EVERY_SECONDS):
            try:
                calendar_sync.sync_all()  # a calendar that fails keeps its status; the others go on
                flush_metrics()
            except Exception as error:  # noqa: BLE001 - keep ticking; the next run catches up
                print(f"calendar sync: {type(error).__name__}: {error}", flush=True)

    threads = [
        threading.Thread(target=poller.run, args=(stop, STREAM_POLL_SECONDS), name="stream", daemon=True),
        threading.Thread(target=sweep_every_minute, name="reminders", daemon=True),
        threading.Thread(target=sync_calendars_every_minute, name="calendars", daemon=True),
    ]
    for thread in threads:
        thread.start()
    return threads


if __name__ == "__main__":
    try:
        sys.exit(main())
    except SetupError as error:
        print(f"make run: {error}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
