"""One Radicale CalDAV server for the test session: a free loopback port, a temporary storage
folder, plain htpasswd users. Started as its own process, stopped at the end of the session."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from devtools.dynamodb_local import free_port

USER, PASSWORD = "pat", "app-password-1"
START_SECONDS = 20.0


@dataclass(frozen=True)
class Radicale:
    url: str  # http://127.0.0.1:<port>/
    username: str
    password: str

    def collection(self, name: str) -> str:
        return f"{self.url}{self.username}/{name}/"


def start(root: Path) -> tuple[Radicale, subprocess.Popen[bytes]]:
    port = free_port()
    users = root / "users"
    users.write_text(f"{USER}:{PASSWORD}\n")
    config = root / "config"
    config.write_text(
        "[server]\n"
        f"hosts = 127.0.0.1:{port}\n"
        "[auth]\n"
        "type = htpasswd\n"
        f"htpasswd_filename = {users}\n"
        "htpasswd_encryption = plain\n"
        "[storage]\n"
        f"filesystem_folder = {root / 'collections'}\n"
        "[logging]\n"
        "level = warning\n"
    )
    process = subprocess.Popen(  # noqa: S603 (our own interpreter, our own config file)
        [sys.executable, "-m", "radicale", "--config", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("Radicale exited at start")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return Radicale(f"http://127.0.0.1:{port}/", USER, PASSWORD), process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("Radicale did not start listening in time")
