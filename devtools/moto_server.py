"""moto's server mode (a local emulator of many AWS APIs) as a child process, for rehearsals and tests.

    .venv/bin/python -m moto.server -H 127.0.0.1 -p 5000

Used by the tests that drive `make deploy` (S3 + CloudFormation) and the redrive command (SQS).
Its endpoint is addressed as ``localhost``: moto's CloudFormation reads a TemplateURL on localhost
as a path-style S3 URL, which is what the AWS CLI sends for an endpoint URL.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import requests

from devtools.dynamodb_local import SetupError, die_with_parent, port_is_free


class MotoServer:
    def __init__(self, port: int) -> None:
        self.port = port
        self.endpoint = f"http://localhost:{port}"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30.0) -> None:
        if not port_is_free(self.port):
            raise SetupError(f"Port {self.port} is already in use.")
        self._process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=die_with_parent if os.name == "posix" else None,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise SetupError(f"moto's server exited at start (code {self._process.returncode}).")
            try:
                requests.get(f"http://127.0.0.1:{self.port}/moto-api/", timeout=1)
                return
            except requests.ConnectionError:
                time.sleep(0.2)
        self.stop()
        raise SetupError(f"moto's server did not answer on port {self.port} within {timeout:.0f} s.")

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
