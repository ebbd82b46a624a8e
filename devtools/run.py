"""``make run``: DynamoDB Local + the app on http://127.0.0.1:$PORT, stopped together."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from types import FrameType

from devtools.dynamodb_local import (
    ROOT,
    DynamoDBLocal,
    SetupError,
    client,
    die_with_parent,
    port_is_free,
)

STAGE = "local"


def _exit_on_signal(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def main() -> int:
    port = int(os.environ.get("PORT", "8000"))
    ddb_port = int(os.environ.get("DYNAMODB_PORT", "8001"))
    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGINT, _exit_on_signal)
    die_with_parent()  # if make is killed, we still stop the emulator
    if not port_is_free(port):
        raise SetupError(f"Port {port} is already in use; stop what uses it or run 'make run PORT=8080'.")
    var_dir = Path(os.environ.setdefault("VAR_DIR", str(ROOT / "var")))
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

    os.environ["DYNAMODB_ENDPOINT"] = endpoint
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
    server = create_server(app, config, "127.0.0.1", port)
    base = f"http://127.0.0.1:{port}"
    print(
        f"\nscheduler is running on {base}\n"
        f"  DynamoDB Local on {endpoint}, data kept in {os.environ['VAR_DIR']}/dynamodb\n"
        f"  health:       {base}/health\n"
        f"  dev login:    curl -s -X POST {base}/dev/login -H 'Content-Type: application/json' "
        f'-d \'{{"email": "{DEMO_EMAIL}"}}\'\n'
        "Press Ctrl-C to stop.\n",
        flush=True,
    )
    try:
        server.serve_forever()
    finally:
        server.server.server_close()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except SetupError as error:
        print(f"make run: {error}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
