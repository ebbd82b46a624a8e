"""Test session: one in-memory DynamoDB Local on a free port, the local stage's settings."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from chalicelib import bootstrap
from chalicelib.adapters.dynamo.table import ensure_table
from chalicelib.config import Settings
from devtools.dynamodb_local import DynamoDBLocal, client, free_port
from tests.radicale_server import Radicale
from tests.radicale_server import start as start_radicale
from tests.support import raised_limits, stage_env

# The tests are a local run: say so, since the app has no default stage.
os.environ["STAGE"] = "local"


@pytest.fixture(scope="session")
def ddb_endpoint() -> Iterator[str]:
    """DynamoDB Local in memory for the whole session (never a fake)."""
    emulator = DynamoDBLocal(free_port())
    emulator.start()
    try:
        yield emulator.endpoint
    finally:
        emulator.stop()


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """moto's server mode (S3, CloudFormation, Lambda, ...) for the whole session, on a free port.

    Addressed as localhost: moto reads a CloudFormation TemplateURL on localhost as path-style S3.
    """
    from devtools.moto_server import MotoServer

    server = MotoServer(free_port())
    server.start()
    try:
        yield server.endpoint
    finally:
        server.stop()


@pytest.fixture(scope="session")
def ddb_client(ddb_endpoint: str) -> Any:
    return client(ddb_endpoint)


@pytest.fixture(scope="session")
def local_env(ddb_endpoint: str, ddb_client: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """os.environ as the local stage sets it, pointing at the test emulator and a temp var/."""
    env = stage_env("local")
    env["DYNAMODB_ENDPOINT"] = ddb_endpoint
    env["VAR_DIR"] = str(tmp_path_factory.mktemp("var"))
    env["AWS_DEFAULT_REGION"] = "us-east-1"
    # DynamoDB Local runs transactions one at a time: 50 racing bookings on 2 cores can wait
    # longer than the production read timeout (2 s). The failure tests use the defaults.
    env["DYNAMODB_READ_TIMEOUT_SECONDS"] = "15"
    # Every test client calls from 127.0.0.1: the limits' own tests run servers with their own.
    env.update(raised_limits())
    os.environ.update(env)
    ensure_table(ddb_client, env["TABLE_NAME"])
    return env


@pytest.fixture
def settings_for(local_env: dict[str, str]) -> Callable[..., Settings]:
    def make(**overrides: str) -> Settings:
        return Settings.from_env({**local_env, **overrides})

    return make


@pytest.fixture
def container(local_env: dict[str, str]) -> Iterator[bootstrap.Container]:
    """The real wiring of the local stage, bound to the test table."""
    built = bootstrap.build(Settings.from_env(local_env))
    bootstrap.reset(built)
    yield built
    bootstrap.reset()


@pytest.fixture
def fresh_table(ddb_client: Any, local_env: dict[str, str], request: pytest.FixtureRequest) -> str:
    """An empty table of its own, for tests that need one."""
    name = f"t-{request.node.name[:40]}-{os.getpid()}".replace("[", "-").replace("]", "")
    name = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in name)
    ensure_table(ddb_client, name)
    return name


@pytest.fixture
def http(container: bootstrap.Container) -> Iterator[Any]:
    """chalice.test.Client on the local stage (reads .chalice/config.json from the repo root)."""
    from chalice.test import Client

    from app import app

    os.chdir(Path(__file__).resolve().parent.parent)
    with Client(app, stage_name="local") as test_client:
        yield test_client.http


@pytest.fixture(scope="session")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    """One Radicale CalDAV server for the session (tests/radicale_server.py)."""
    server, process = start_radicale(tmp_path_factory.mktemp("radicale"))
    try:
        yield server
    finally:
        process.terminate()
        process.wait(timeout=10)
