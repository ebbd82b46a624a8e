"""The local stack as a child process: ``python -m devtools.run`` on free ports and its own var/.

Used by the end-to-end tests and the screenshot script; the same runner as ``make run``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from devtools.dynamodb_local import ROOT, SetupError, free_port


@dataclass(frozen=True)
class Stack:
    base: str
    var_dir: Path
    process: subprocess.Popen[str]
    dynamodb_port: int = 0  # its DynamoDB Local, for what writes beside the app (make import)


@contextmanager
def local_stack(
    var_dir: Path, timeout: float = 90, extra_env: dict[str, str] | None = None
) -> Iterator[Stack]:
    port, ddb_port = free_port(), free_port()
    env = {**os.environ, "PORT": str(port), "DYNAMODB_PORT": str(ddb_port), "VAR_DIR": str(var_dir)}
    for name in ("TABLE_NAME", "DYNAMODB_ENDPOINT"):
        env.pop(name, None)
    env["STAGE"] = "local"
    env.update(extra_env or {})
    log = (var_dir / "run.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "devtools.run"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    stack = Stack(f"http://127.0.0.1:{port}", var_dir, process, ddb_port)
    try:
        _wait_until_healthy(stack, timeout)
        yield stack
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        log.close()


def _wait_until_healthy(stack: Stack, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if stack.process.poll() is not None:
            raise SetupError(f"the local stack exited early:\n{(stack.var_dir / 'run.log').read_text()}")
        try:
            if requests.get(f"{stack.base}/health", timeout=1).status_code == 200:
                # The first page request reads the static files; pay for it here, not in a test.
                requests.get(f"{stack.base}/app", timeout=10)
                return
        except requests.RequestException:  # not listening yet, or too busy to answer
            pass
        time.sleep(0.3)
    raise SetupError(f"the local stack did not answer on {stack.base} within {timeout:.0f} s")
