"""Where an import writes: the stage's table, read from the environment as the app reads it.

The local stage (the default) is DynamoDB Local with its data in ``var/dynamodb``, as ``make run``
keeps it: the emulator ``make run`` started when it is running (it answers on DYNAMODB_PORT,
8001 unless set), or one started here on the same folder and port and stopped at the end. The
table is made if missing and brought up to date (ensure_table and the data migrations), as
``make run`` does. Another stage (STAGE=dev|prod, TABLE_NAME, AWS credentials) must have its table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chalicelib.config import LOCAL_STAGE, Settings, StageError, require_stage
from chalicelib.services.shared import LinkSealer

DEFAULT_PORT = 8001  # make run's DYNAMODB_PORT
LOCAL_CREDENTIALS = ("local", "local")


class TargetError(Exception):
    """The table cannot be written as asked; the message is one sentence for a person."""


@dataclass
class Target:
    settings: Settings
    client: Any
    sealer: LinkSealer
    where: str  # for the operator: which table, on which DynamoDB
    emulator: Any = None  # a DynamoDBLocal started here

    def close(self) -> None:
        if self.emulator is not None:
            self.emulator.stop()
            self.emulator = None


def make_client(endpoint: str | None, region: str, pool: int = 8) -> Any:
    import boto3
    from botocore.config import Config

    config = Config(
        retries={"mode": "standard", "max_attempts": 8},
        connect_timeout=5,
        read_timeout=60,  # DynamoDB Local on a busy machine; a batch is retried, never lost
        max_pool_connections=pool,
        # The items are the item classes' own DynamoDB JSON (bulk.serialized), and the table
        # checks every request anyway: checking each against the API's model here first took
        # about half of the client's CPU time per batch, on the cores the emulator needs.
        parameter_validation=False,
    )
    if endpoint is None:
        return boto3.client("dynamodb", region_name=region, config=config)
    key, secret = LOCAL_CREDENTIALS
    return boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        config=config,
    )


def _answers(endpoint: str) -> bool:
    import boto3
    from botocore.config import Config

    probe = boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=LOCAL_CREDENTIALS[0],
        aws_secret_access_key=LOCAL_CREDENTIALS[1],
        config=Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 1}),
    )
    try:
        probe.list_tables(Limit=1)
    except Exception:  # noqa: BLE001 - anything but an answer means no DynamoDB there
        return False
    return True


def _local_endpoint(env: dict[str, str]) -> tuple[str, Any, str]:
    """The endpoint to write to, the emulator started for it (or None), and what it is."""
    from devtools.dynamodb_local import DynamoDBLocal, SetupError, port_is_free

    given = env.get("DYNAMODB_ENDPOINT")
    if given:
        return given, None, f"DynamoDB at {given}"
    port = int(env.get("DYNAMODB_PORT") or DEFAULT_PORT)
    endpoint = f"http://127.0.0.1:{port}"
    if _answers(endpoint):
        return endpoint, None, f"the running DynamoDB Local on {endpoint} (make run's)"
    if not port_is_free(port):
        raise TargetError(
            f"Port {port} is in use by something that is not DynamoDB Local; free it or set DYNAMODB_PORT."
        )
    folder = Path(env["VAR_DIR"]) / "dynamodb"
    emulator = DynamoDBLocal(port, db_path=folder)
    try:
        emulator.start(timeout=60)
    except SetupError as error:
        raise TargetError(str(error)) from error
    return (
        emulator.endpoint,
        emulator,
        f"DynamoDB Local on {endpoint}, data in {folder} (started for the import)",
    )


def open_target(environ: Mapping[str, str], pool: int = 8) -> Target:
    from chalicelib.adapters.dynamo.table import ensure_table
    from chalicelib.adapters.links import sealer_for
    from devtools.dynamodb_local import ROOT
    from infra import migrate

    env = {name: value for name, value in environ.items() if value}  # empty means unset
    env["STAGE"] = env.get("STAGE") or LOCAL_STAGE
    try:
        stage = require_stage(env)
    except StageError as error:
        raise TargetError(str(error)) from error
    emulator, where = None, ""
    if stage == LOCAL_STAGE:
        env.setdefault("VAR_DIR", str(ROOT / "var"))
        env["DYNAMODB_ENDPOINT"], emulator, where = _local_endpoint(env)
    settings = Settings.from_env(env)
    client = make_client(settings.dynamodb_endpoint, settings.region, pool)
    try:
        if settings.is_local:
            ensure_table(client, settings.table_name)
            migrate.run(client, settings.table_name, migrate.MIGRATIONS)
        else:
            client.describe_table(TableName=settings.table_name)
            where = f"DynamoDB in {settings.region}"
        sealer = sealer_for(settings)
    except Exception as error:
        if emulator is not None:
            emulator.stop()
        raise TargetError(f"The table {settings.table_name} cannot be used: {error}") from error
    return Target(settings, client, sealer, f"table {settings.table_name}, {where}", emulator)
