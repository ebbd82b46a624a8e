"""A throwaway local stack for benchmarks: DynamoDB Local in memory, the table, the wiring."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from chalicelib import bootstrap
from chalicelib.adapters.dynamo.table import ensure_table
from chalicelib.config import Settings
from devtools.dynamodb_local import DynamoDBLocal, client, free_port


@contextmanager
def local_stack(table: str = "bench-table") -> Iterator[bootstrap.Container]:
    emulator = DynamoDBLocal(free_port())
    emulator.start()
    try:
        with tempfile.TemporaryDirectory() as var_dir:
            env = {
                "STAGE": "local",
                "TABLE_NAME": table,
                "DYNAMODB_ENDPOINT": emulator.endpoint,
                "VAR_DIR": var_dir,
                "TOKEN_ISSUER": "urn:bench",
                "APP_CLIENT_ID": "bench",
                "POWERTOOLS_LOG_LEVEL": "WARNING",
            }
            os.environ.update(env)
            ensure_table(client(emulator.endpoint), table)
            container = bootstrap.build(Settings.from_env(env))
            bootstrap.reset(container)
            yield container
    finally:
        emulator.stop()
